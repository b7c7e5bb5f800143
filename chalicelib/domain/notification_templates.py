"""What a notification says, in Vietnamese or English: one template per event type, status labels per language."""

from datetime import datetime

from chalicelib.domain.events import (
    AccessDigest,
    DossierStatusChanged,
    TaxAlert,
    TaxDelegationChanged,
    TaxPaymentChanged,
    WalletDocumentChanged,
)
from chalicelib.domain.working_days import VIETNAM

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


_WALLET = {
    "issued": {
        "vi": ("Giấy tờ mới trong ví", "{issuer} đã cấp “{document}” vào ví giấy tờ của bạn."),
        "en": ("New document in your wallet", "{issuer} issued “{document}” into your document wallet."),
    },
    "revoked": {
        "vi": ("Giấy tờ bị thu hồi", "{issuer} đã thu hồi “{document}”; giấy tờ này không còn giá trị."),
        "en": ("Document revoked", "{issuer} revoked “{document}”; it is no longer valid."),
    },
    "suspended": {
        "vi": ("Giấy tờ bị tạm đình chỉ", "{issuer} đã tạm đình chỉ “{document}”."),
        "en": ("Document suspended", "{issuer} suspended “{document}”."),
    },
    "reinstated": {
        "vi": ("Giấy tờ có hiệu lực trở lại", "{issuer} đã khôi phục hiệu lực của “{document}”."),
        "en": ("Document reinstated", "{issuer} reinstated “{document}”; it is valid again."),
    },
    # The citizen's own upload, processed by the upload worker (no issuer: {issuer} is empty).
    "upload_ready": {
        "vi": ("Tệp đã sẵn sàng", "Tệp bạn tải lên đã được xử lý và lưu vào ví giấy tờ."),
        "en": ("File ready", "The file you uploaded was processed and is in your document wallet."),
    },
    "upload_rejected": {
        "vi": ("Tệp bị từ chối", "Tệp bạn tải lên không được chấp nhận; mở ví giấy tờ để xem lý do."),
        "en": ("File refused", "The file you uploaded was not accepted; open your wallet to see why."),
    },
}


def render_wallet_change(event: WalletDocumentChanged, locale: str) -> tuple[str, str]:
    """(title, body) for a wallet document issued, revoked, suspended or reinstated, in `locale` (vi when unknown)."""
    language = locale if locale in ("vi", "en") else "vi"
    title, body = _WALLET[event.change][language]
    english = language == "en"
    document = (event.type_name_en or event.type_name_vi) if english else event.type_name_vi
    issuer = (event.issuer_name_en or event.issuer_name_vi) if english else event.issuer_name_vi
    return title, body.format(issuer=issuer, document=document)


def wallet_data(event: WalletDocumentChanged) -> dict[str, str]:
    """What the app needs to open the document; no claim values."""
    return {"document_id": event.document_id, "type": event.credential_type, "change": event.change}


# --- tax alerts: amounts as Vietnam writes them (356.000 đ), dates as dd/mm/yyyy in both languages

_TAX_ALERT = {
    "due": {
        "vi": ("Sắp đến hạn nộp thuế", "{tax} kỳ {period}{of}: còn phải nộp {amount}, hạn nộp {date} ({left})."),
        "en": ("Tax due soon", "{tax} for {period}{of}: {amount} to pay by {date} ({left})."),
    },
    "debt": {
        "vi": (
            "Phát sinh nợ thuế",
            "{tax} kỳ {period}{of} đã quá hạn nộp ({date}); còn nợ {amount}, tính tiền chậm nộp 0,03%/ngày.",
        ),
        "en": (
            "New tax debt",
            "{tax} for {period}{of} was due on {date} and is unpaid: {amount} owed; late-payment interest "
            "of 0.03% a day applies.",
        ),
    },
}


# A business's tax data delegated to the citizen (an accountant) or taken back. The expiry is told in Vietnam's time.
_DELEGATION = {
    "granted": {
        "vi": (
            "Bạn được ủy quyền xem thông tin thuế",
            "{business} (MST {tax_code}) đã ủy quyền cho bạn xem thông tin thuế đến {until} (giờ Việt Nam).",
        ),
        "en": (
            "Tax data delegated to you",
            "{business} (tax code {tax_code}) lets you see its tax data until {until} (Vietnam time).",
        ),
    },
    "revoked": {
        "vi": (
            "Ủy quyền xem thông tin thuế đã kết thúc",
            "{business} (MST {tax_code}) đã thu hồi quyền xem thông tin thuế của bạn.",
        ),
        "en": (
            "Tax data delegation ended",
            "{business} (tax code {tax_code}) withdrew your access to its tax data.",
        ),
    },
    "expired": {
        "vi": (
            "Ủy quyền xem thông tin thuế đã hết hạn",
            "Quyền xem thông tin thuế của {business} (MST {tax_code}) đã hết hạn lúc {until} (giờ Việt Nam).",
        ),
        "en": (
            "Tax data delegation expired",
            "Your access to the tax data of {business} (tax code {tax_code}) expired at {until} (Vietnam time).",
        ),
    },
}


# --- tax payments through the app's gateway ----------------------------------------------------------------

_TAX_PAYMENT = {
    "completed": {
        "vi": ("Nộp thuế thành công", "Khoản nộp “{taxes}” (mã {reference}) đã thanh toán thành công."),
        "en": ("Tax paid", "Your payment of “{taxes}” (reference {reference}) went through."),
    },
    "failed": {
        "vi": (
            "Nộp thuế không thành công",
            "Khoản nộp “{taxes}” (mã {reference}) chưa được thanh toán; bạn có thể thử lại.",
        ),
        "en": (
            "Tax payment failed",
            "Your payment of “{taxes}” (reference {reference}) did not go through; you can try again.",
        ),
    },
}


def render_tax_alert(event: TaxAlert, locale: str) -> tuple[str, str]:
    """(title, body) for a tax deadline ahead or a new debt, in `locale` (vi when unknown)."""
    language = locale if locale in ("vi", "en") else "vi"
    title, body = _TAX_ALERT["debt" if event.kind == "debt" else "due"][language]
    english = language == "en"
    of = ""
    if event.business_name:
        of = f" of {event.business_name}" if english else f" của {event.business_name}"
    return title, body.format(
        tax=event.tax_name_en if english else event.tax_name_vi,
        period=event.period,
        of=of,
        amount=vnd_text(int(event.outstanding_vnd), english),
        date=vietnam_date(event.due_date),
        left=_days_left(int(event.days_left), english),
    )


def tax_alert_data(event: TaxAlert) -> dict[str, str]:
    """What the app needs to open the obligation; a business's tax code, never a person's."""
    data = {"obligation_id": event.obligation_id, "kind": event.kind, "due_date": event.due_date}
    if event.business_tax_code:
        data["business_tax_code"] = event.business_tax_code
    return data


def vnd_text(amount: int, english: bool = False) -> str:
    """356000 -> "356.000 đ" (vi) or "VND 356,000" (en)."""
    grouped = f"{amount:,}"
    return f"VND {grouped}" if english else grouped.replace(",", ".") + " đ"


def vietnam_date(iso_date: str) -> str:
    year, month, day = iso_date.split("-")
    return f"{day}/{month}/{year}"


def _days_left(days: int, english: bool) -> str:
    if days == 0:
        return "due today" if english else "hạn chót là hôm nay"
    if english:
        return "1 day left" if days == 1 else f"{days} days left"
    return f"còn {days} ngày"


def render_tax_payment(event: TaxPaymentChanged, locale: str) -> tuple[str, str]:
    """(title, body) for a tax payment completed or failed, in `locale` (vi when unknown). No amount."""
    language = locale if locale in ("vi", "en") else "vi"
    title, body = _TAX_PAYMENT[event.status][language]
    taxes = (event.tax_names_en or event.tax_names_vi) if language == "en" else event.tax_names_vi
    return title, body.format(taxes=taxes, reference=event.reference)


def tax_payment_data(event: TaxPaymentChanged) -> dict[str, str]:
    """What the app needs to open the payment."""
    return {"payment_id": event.payment_id, "status": event.status}


def render_delegation_change(event: TaxDelegationChanged, locale: str) -> tuple[str, str]:
    """(title, body) for a delegation granted or revoked, in `locale` (vi when unknown)."""
    language = locale if locale in ("vi", "en") else "vi"
    title, body = _DELEGATION[event.change][language]
    until = datetime.fromisoformat(event.expires_at.replace("Z", "+00:00")).astimezone(VIETNAM)
    shown = until.strftime("%H:%M %d/%m/%Y") if language == "vi" else until.strftime("%Y-%m-%d %H:%M")
    return title, body.format(business=event.business_name, tax_code=event.tax_code, until=shown)


def delegation_data(event: TaxDelegationChanged) -> dict[str, str]:
    """What the app needs to open the business; no personal data."""
    return {"tax_code": event.tax_code, "delegation_id": event.delegation_id, "change": event.change}


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")  # fmt: skip
_ACCESS_DIGEST = {
    "vi": ("Ai đã truy cập dữ liệu của bạn", "{count} cơ quan, tổ chức đã truy cập dữ liệu của bạn trong {month}."),
    "en": ("Who accessed your data", "{count} {organisations} accessed your data in {month}."),
}


def render_access_digest(event: AccessDigest, locale: str) -> tuple[str, str]:
    """(title, body) of the monthly access-log digest, e.g. "3 agencies accessed your data in November"."""
    language = locale if locale in ("vi", "en") else "vi"
    year, month = event.month.split("-")
    shown = f"tháng {int(month)}/{year}" if language == "vi" else f"{_MONTHS_EN[int(month) - 1]} {year}"
    count = int(event.organisations)
    title, body = _ACCESS_DIGEST[language]
    organisations = "organisation" if count == 1 else "organisations"
    return title, body.format(count=count, month=shown, organisations=organisations)


def access_digest_data(event: AccessDigest) -> dict[str, str]:
    """What the app needs to open the access log at that month."""
    return {"month": event.month, "organisations": event.organisations, "entries": event.entries}
