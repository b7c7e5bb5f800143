"""Messages one part of the backend sends another through SQS. Plain data, versioned by `type`."""

from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, TypeVar

DOSSIER_STATUS_CHANGED = "dossier_status_changed"
DOSSIER_RECEIPT_OVERDUE = "dossier_receipt_overdue"
M = TypeVar("M", bound="Message")


class Message:
    """A dataclass of strings that travels as JSON with its `type` beside its fields."""

    TYPE: ClassVar[str]

    def to_message(self) -> dict[str, Any]:
        return {"type": self.TYPE, **asdict(self)}  # type: ignore[call-overload]

    @classmethod
    def from_message(cls: type[M], message: dict[str, Any]) -> M:
        if message.get("type") != cls.TYPE:
            raise ValueError(f"not a {cls.TYPE} message")
        return cls(**{f.name: str(message[f.name]) for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True)
class _DossierMessage(Message):
    """What every message about a dossier carries. `event_id` is the consumers' dedupe key, so publishing
    twice is safe."""

    event_id: str
    citizen_id: str
    dossier_id: str
    receipt_code: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str


@dataclass(frozen=True)
class DossierStatusChanged(_DossierMessage):
    """A dossier's status moved (or a timeline step arrived): the citizen gets an inbox entry and a push."""

    status: str
    occurred_at: str  # ISO 8601 with offset
    TYPE: ClassVar[str] = DOSSIER_STATUS_CHANGED


@dataclass(frozen=True)
class DossierReceiptOverdue(_DossierMessage):
    """An online dossier was not received within 8 working hours: the citizen is told (once per dossier;
    event_id is "<dossier_id>-receipt-overdue")."""

    due_at: str  # ISO 8601 with offset
    TYPE: ClassVar[str] = DOSSIER_RECEIPT_OVERDUE

    def as_dossier_update(self) -> DossierStatusChanged:
        """Told like a step of the dossier (inbox entry and push), with its own template."""
        common = {f.name: getattr(self, f.name) for f in fields(_DossierMessage)}
        return DossierStatusChanged(**common, status="overdue_not_received", occurred_at=self.due_at)


WALLET_DOCUMENT_CHANGED = "wallet_document_changed"


@dataclass(frozen=True)
class WalletDocumentChanged(Message):
    """A document was issued into a citizen's wallet, or its issuer revoked, suspended or reinstated it.
    `event_id` is the consumers' dedupe key (domain/wallet.py change_event_id)."""

    event_id: str
    citizen_id: str
    document_id: str
    credential_type: str
    type_name_vi: str
    type_name_en: str
    issuer_name_vi: str
    issuer_name_en: str
    change: str  # issued | revoked | suspended | reinstated; upload_ready | upload_rejected (credential_type "upload")
    TYPE: ClassVar[str] = WALLET_DOCUMENT_CHANGED


TAX_ALERT = "tax_alert"


@dataclass(frozen=True)
class TaxAlert(Message):
    """A tax deadline in 7 days or tomorrow (kind due7/due1), or a debt since yesterday (debt), for one
    citizen: the taxpayer or a legal representative of the business. `event_id` is
    domain/tax_alerts.alert_event_id (one per obligation, due date, kind and person)."""

    event_id: str
    citizen_id: str
    kind: str
    obligation_id: str
    tax_type_code: str
    tax_name_vi: str
    tax_name_en: str
    period: str
    due_date: str  # YYYY-MM-DD
    days_left: str  # to the due date from the pass's day in Vietnam; negative for a debt
    outstanding_vnd: str
    business_tax_code: str  # "" for the citizen's own tax
    business_name: str
    TYPE: ClassVar[str] = TAX_ALERT


TAX_PAYMENT_CHANGED = "tax_payment_changed"


@dataclass(frozen=True)
class TaxPaymentChanged(Message):
    """A citizen's tax payment through the gateway completed or failed. `event_id` is "<payment_id>-<status>".
    No amount: the push text travels through a third party."""

    event_id: str
    citizen_id: str
    payment_id: str
    reference: str
    status: str  # completed | failed
    tax_names_vi: str
    tax_names_en: str
    TYPE: ClassVar[str] = TAX_PAYMENT_CHANGED


TAX_DELEGATION_CHANGED = "tax_delegation_changed"


@dataclass(frozen=True)
class TaxDelegationChanged(Message):
    """A business's legal representative granted the citizen read access to its tax data or revoked it, or the
    grant ended at its expiry. `event_id` ("<delegation_id>-<change>") is the consumers' dedupe key."""

    event_id: str
    citizen_id: str
    delegation_id: str
    tax_code: str
    business_name: str
    change: str  # granted | revoked | expired
    expires_at: str  # RFC 3339 UTC
    TYPE: ClassVar[str] = TAX_DELEGATION_CHANGED


ACCOUNT_DELETION_CHANGED = "account_deletion_changed"


@dataclass(frozen=True)
class AccountDeletionChanged(Message):
    """The citizen asked for their account to be erased, is reminded 3 days before, or cancelled it.
    `event_id` ("deletion-<citizen_id>-<requested_at>-<change>") is the consumers' dedupe key."""

    event_id: str
    citizen_id: str
    change: str  # scheduled | reminder | cancelled
    erase_at: str  # RFC 3339 UTC
    TYPE: ClassVar[str] = ACCOUNT_DELETION_CHANGED


ACCESS_DIGEST = "access_digest"


@dataclass(frozen=True)
class AccessDigest(Message):
    """How many organisations touched a citizen's data in a month (Vietnam time). `event_id` is
    "access-digest-<citizen_id>-<yyyy-mm>": one digest per citizen and month."""

    event_id: str
    citizen_id: str
    month: str  # YYYY-MM
    organisations: str
    entries: str
    TYPE: ClassVar[str] = ACCESS_DIGEST


EXPORT_READY = "export_ready"


@dataclass(frozen=True)
class ExportReady(Message):
    """The citizen's data export is ready to download until `expires_at` (RFC 3339 UTC). `event_id`
    ("export-<export_id>-ready") is the consumers' dedupe key."""

    event_id: str
    citizen_id: str
    export_id: str
    expires_at: str
    TYPE: ClassVar[str] = EXPORT_READY


EXPORT_REQUESTED = "export_requested"


@dataclass(frozen=True)
class ExportRequested(Message):
    """A citizen asked for an export of their data: the exports worker builds it (a redelivery is harmless)."""

    citizen_id: str
    export_id: str
    TYPE: ClassVar[str] = EXPORT_REQUESTED
