"""What the citizen is told about closing their account, in Vietnamese and English."""

from datetime import datetime

from chalicelib.domain.events import AccountDeletionChanged
from chalicelib.domain.working_days import VIETNAM

_DELETION = {
    "scheduled": {
        "vi": (
            "Tài khoản sẽ bị xóa",
            "Theo yêu cầu của bạn, tài khoản sẽ bị xóa sau 30 ngày, lúc {when} (giờ Việt Nam). Bạn có thể hủy trước đó.",
        ),
        "en": (
            "Your account will be deleted",
            "As you asked, your account will be deleted in 30 days, at {when} (Vietnam time). You can cancel until then.",
        ),
    },
    "reminder": {
        "vi": (
            "Còn 3 ngày trước khi xóa tài khoản",
            "Tài khoản của bạn sẽ bị xóa lúc {when} (giờ Việt Nam). Nếu bạn đổi ý, hãy hủy yêu cầu trước đó.",
        ),
        "en": (
            "3 days before your account is deleted",
            "Your account will be deleted at {when} (Vietnam time). If you changed your mind, cancel before then.",
        ),
    },
    "cancelled": {
        "vi": ("Đã hủy yêu cầu xóa tài khoản", "Tài khoản của bạn sẽ không bị xóa."),
        "en": ("Account deletion cancelled", "Your account will not be deleted."),
    },
}


def render_deletion_change(event: AccountDeletionChanged, language: str) -> tuple[str, str]:
    title, body = _DELETION[event.change][language]
    when = datetime.fromisoformat(event.erase_at.replace("Z", "+00:00")).astimezone(VIETNAM)
    shown = when.strftime("%H:%M %d/%m/%Y") if language == "vi" else when.strftime("%Y-%m-%d %H:%M")
    return title, body.format(when=shown)


def deletion_data(event: AccountDeletionChanged) -> dict[str, str]:
    return {"deletion": event.change, "erase_at": event.erase_at}
