"""What a notification says, in Vietnamese or English: one template per event type, status labels per language."""

from chalicelib.domain.events import DossierStatusChanged

_STATUS = {
    "submitted": ("đã nộp", "submitted"),
    "received": ("đã được tiếp nhận", "received"),
    "processing": ("đang được xử lý", "being processed"),
    "additional_info_required": ("cần bổ sung giấy tờ", "needs more documents"),
    "approved": ("đã được phê duyệt", "approved"),
    "rejected": ("bị từ chối", "rejected"),
    "result_ready": ("đã có kết quả, mời nhận", "has its result ready to collect"),
    "completed": ("đã hoàn thành", "completed"),
    "withdrawn": ("đã được rút", "withdrawn"),
    "overdue_not_received": ("chưa được tiếp nhận đúng hạn", "was not received in time"),
}
_DOSSIER = {
    "vi": ("Hồ sơ {receipt_code} {status}", "Hồ sơ “{procedure}” của bạn {status}."),
    "en": ("Dossier {receipt_code} {status}", "Your “{procedure}” dossier is {status}."),
}

# Messages that are not a status of their own, e.g. the receipt deadline clock running out.
_SPECIAL = {
    "overdue_not_received": {
        "vi": (
            "Hồ sơ {receipt_code} chưa được tiếp nhận đúng hạn",
            "Hồ sơ “{procedure}” của bạn chưa được cơ quan tiếp nhận trong 8 giờ làm việc; cơ quan đã được nhắc.",
        ),
        "en": (
            "Dossier {receipt_code} not received in time",
            "Your “{procedure}” dossier was not received within 8 working hours; the agency has been reminded.",
        ),
    },
}


def render_dossier_update(event: DossierStatusChanged, locale: str) -> tuple[str, str]:
    """(title, body) for a dossier status change in `locale` (vi when unknown)."""
    language = locale if locale in _DOSSIER else "vi"
    if event.status in _SPECIAL:
        procedure = (
            event.procedure_name_vi if language == "vi" else (event.procedure_name_en or event.procedure_name_vi)
        )
        title, body = _SPECIAL[event.status][language]
        return title.format(receipt_code=event.receipt_code), body.format(procedure=procedure)
    labels = _STATUS.get(event.status, (event.status, event.status))
    status = labels[0] if language == "vi" else labels[1]
    procedure = event.procedure_name_vi if language == "vi" else (event.procedure_name_en or event.procedure_name_vi)
    title, body = _DOSSIER[language]
    return (
        title.format(receipt_code=event.receipt_code, status=status),
        body.format(procedure=procedure, status=status),
    )


def dossier_data(event: DossierStatusChanged) -> dict[str, str]:
    """What the app needs to open the right screen; no personal data."""
    return {"dossier_id": event.dossier_id, "receipt_code": event.receipt_code, "status": event.status}
