"""Messages one part of the backend sends another through SQS. Plain data, versioned by `type`."""
from dataclasses import asdict, dataclass
from typing import Any

DOSSIER_STATUS_CHANGED = "dossier_status_changed"


@dataclass(frozen=True)
class DossierStatusChanged:
    """A dossier's status moved (or a timeline step arrived): the citizen gets an inbox entry and a push.

    `event_id` is the agency's idempotency key: consumers dedupe on it, so publishing twice is safe.
    """
    event_id: str
    citizen_id: str
    dossier_id: str
    receipt_code: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    status: str
    occurred_at: str          # ISO 8601 with offset

    def to_message(self) -> dict[str, Any]:
        return {"type": DOSSIER_STATUS_CHANGED, **asdict(self)}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> "DossierStatusChanged":
        if message.get("type") != DOSSIER_STATUS_CHANGED:
            raise ValueError(f"not a {DOSSIER_STATUS_CHANGED} message")
        return cls(**{name: str(message[name]) for name in cls.__dataclass_fields__})


DOSSIER_RECEIPT_OVERDUE = "dossier_receipt_overdue"


@dataclass(frozen=True)
class DossierReceiptOverdue:
    """An online dossier was not received within 8 working hours: the citizen is told (once per dossier)."""
    event_id: str             # "<dossier_id>-receipt-overdue": consumers dedupe on it
    citizen_id: str
    dossier_id: str
    receipt_code: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    due_at: str               # ISO 8601 with offset

    def to_message(self) -> dict[str, Any]:
        return {"type": DOSSIER_RECEIPT_OVERDUE, **asdict(self)}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> "DossierReceiptOverdue":
        if message.get("type") != DOSSIER_RECEIPT_OVERDUE:
            raise ValueError(f"not a {DOSSIER_RECEIPT_OVERDUE} message")
        return cls(**{name: str(message[name]) for name in cls.__dataclass_fields__})

    def as_dossier_update(self) -> DossierStatusChanged:
        """Told like a step of the dossier (inbox entry and push), with its own template."""
        return DossierStatusChanged(self.event_id, self.citizen_id, self.dossier_id, self.receipt_code,
                                    self.procedure_code, self.procedure_name_vi, self.procedure_name_en,
                                    "overdue_not_received", self.due_at)
