"""What closing an account erases and what it keeps, under which rule: the final statement's rows, and the
reduced form of each kept record (nothing in it links back to the person's ID number or to the account)."""

from dataclasses import dataclass
from typing import Any

ERASED, KEPT, EXPIRES = "erased", "kept", "expires"
TAX_RETENTION_YEARS = 10  # accounting documents, payment records among them, are kept at least 10 years
ACCESS_LOG_RETENTION_YEARS = 5  # the record of who processed the data outlives the data, as proof of lawful use
# The table's point-in-time recovery window, and how far back the erasure schedule looks: a restore to any point
# in it still holds the requests of the accounts erased since, which the schedule then erases again (docs/deploy.md).
BACKUP_WINDOW_DAYS = 35
STATEMENT_DAYS = 365  # how long the final statement can be fetched with its link
TECHNICAL_DAYS = 90  # the longest-lived self-expiring record naming the account: a refresh token's record
_YEAR = 365 * 86400


@dataclass(frozen=True)
class Rule:
    category: str
    outcome: str
    rule_vi: str
    rule_en: str
    kept_years: int = 0


_ERASED_AT_REQUEST = ("Xóa theo yêu cầu của chủ thể dữ liệu.", "Erased at the data subject's request.")

RULES: tuple[Rule, ...] = (
    Rule("profile", ERASED, *_ERASED_AT_REQUEST),
    Rule("sessions", ERASED, "Mọi phiên đăng nhập đã bị thu hồi.", "Every login session was revoked."),
    Rule("devices", ERASED, *_ERASED_AT_REQUEST),
    Rule(
        "dossiers",
        ERASED,
        "Bản sao tại ứng dụng đã xóa; hồ sơ gốc do cơ quan giải quyết lưu theo quy định về thủ tục hành chính.",
        "The app's copy was erased; the one-stop shop keeps the original file under the rules on administrative"
        " procedures.",
    ),
    Rule("notifications", ERASED, *_ERASED_AT_REQUEST),
    Rule("preferences", ERASED, *_ERASED_AT_REQUEST),
    Rule(
        "wallet_documents",
        ERASED,
        "Giấy tờ, nội dung và tệp đã xóa.",
        "Documents, their contents and files erased.",
    ),
    Rule("uploads", ERASED, *_ERASED_AT_REQUEST),
    Rule("shares", ERASED, *_ERASED_AT_REQUEST),
    Rule("tax", ERASED, "Dữ liệu thuế lưu tạm đã xóa; cơ quan thuế giữ sổ thuế của mình.", "Cached tax data erased."),
    Rule(
        "delegations",
        ERASED,
        "Mọi ủy quyền đã cấp và được nhận đã chấm dứt.",
        "Every delegation granted or received ended.",
    ),
    Rule("exports", ERASED, *_ERASED_AT_REQUEST),
    Rule(
        "access_log",
        KEPT,
        f"Giữ {ACCESS_LOG_RETENTION_YEARS} năm làm bằng chứng xử lý dữ liệu hợp pháp, không còn gắn với số định danh.",
        f"Kept {ACCESS_LOG_RETENTION_YEARS} years as proof of lawful processing, no longer linked to your ID number.",
        ACCESS_LOG_RETENTION_YEARS,
    ),
    Rule(
        "tax_payments",
        KEPT,
        f"Chứng từ nộp thuế đã thanh toán giữ {TAX_RETENTION_YEARS} năm theo Luật Kế toán, chỉ còn số tiền, khoản"
        " nộp, mã giao dịch và biên lai; không còn mã số thuế, họ tên hay tài khoản.",
        f"Paid tax payment records kept {TAX_RETENTION_YEARS} years under the accounting law, reduced to amount,"
        " obligations, transaction and receipt numbers; no tax code, name or account.",
        TAX_RETENTION_YEARS,
    ),
    Rule(
        "issued_credentials",
        KEPT,
        "Với mỗi chứng thư đã cấp chỉ còn loại, cơ quan cấp và vị trí trong danh sách trạng thái (không có nội dung)"
        " đến khi hết hạn, để cơ quan cấp vẫn thu hồi được và bên kiểm tra biết chứng thư còn hiệu lực hay không.",
        "For each issued credential only its type, issuer and status-list position remain (no contents) until it"
        " expires, so the issuer can still revoke it and verifiers learn whether it is valid.",
    ),
    Rule(
        "technical",
        EXPIRES,
        f"Bản ghi kỹ thuật chỉ mang mã tài khoản đã xóa (phiên làm mới, chống gửi trùng, giới hạn tần suất) tự hết"
        f" hạn trong tối đa {TECHNICAL_DAYS} ngày; câu trả lời lưu để chống lặp yêu cầu trong ngày cuối tự xóa"
        " sau 24 giờ.",
        f"Technical records naming only the erased account's id (refresh records, delivery dedupe, rate counters)"
        f" expire by themselves within {TECHNICAL_DAYS} days; answers kept so that a retried request of your last"
        " day is not done twice are deleted after 24 hours.",
    ),
)

# What a kept payment record still says: enough to prove the payment, nothing that names the payer.
_PAYMENT_KEPT_FIELDS = frozenset(
    {"payment_id", "reference", "lines", "amount_vnd", "status", "created_at", "pay_until", "paid_at"}
    | {"gateway_txn_id", "receipt_number", "settled"}
)


def kept_payment(item: dict[str, Any]) -> dict[str, Any]:
    """A paid payment's record without its payer; a DynamoDB TTL ends it after the retention period."""
    kept = {name: value for name, value in item.items() if name in _PAYMENT_KEPT_FIELDS}
    kept.update(citizen_id="", tax_code="", taxpayer_name="", gateway_url="", vietqr="")
    paid_at = int(item.get("paid_at") or item.get("created_at") or 0)
    return {**kept, "expires_at": paid_at + TAX_RETENTION_YEARS * _YEAR}


_CREDENTIAL_KEPT_FIELDS = frozenset(
    {"document_id", "credential_type", "vct", "issuer", "issuer_agency_id", "issuer_name_vi", "issuer_name_en"}
    | {"status", "issued_at", "valid_until", "status_list_id", "status_index", "holder_bound", "version"}
)


def kept_credential(item: dict[str, Any]) -> dict[str, Any]:
    """An issued document reduced to what revoking it needs: no claims, no credential, no file; until it expires."""
    kept = {name: value for name, value in item.items() if name in _CREDENTIAL_KEPT_FIELDS}
    kept.update(claims="{}", sd_jwt="")
    return {**kept, **({"expires_at": int(item["valid_until"])} if item.get("valid_until") else {})}


def kept_access_entry(item: dict[str, Any], now: int) -> dict[str, Any]:
    return {**item, "expires_at": now + ACCESS_LOG_RETENTION_YEARS * _YEAR}


def statement_items(counts: dict[str, int]) -> list[dict[str, Any]]:
    """One row per category: how many items there were, erased or kept, under which rule and for how many years."""
    return [
        {
            "category": rule.category,
            "outcome": rule.outcome,
            "count": int(counts.get(rule.category, 0)),
            "rule": {"vi": rule.rule_vi, "en": rule.rule_en},
            "kept_years": rule.kept_years or None,
        }
        for rule in RULES
    ]
