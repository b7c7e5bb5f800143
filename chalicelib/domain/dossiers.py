"""Administrative-procedure dossiers: statuses and their order, the timeline, deadlines, receipt codes."""

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime

from chalicelib.domain.working_days import VIETNAM

STATUSES = (
    "submitted",
    "received",
    "processing",
    "additional_info_required",
    "approved",
    "rejected",
    "result_ready",
    "completed",
    "withdrawn",
)
# Later steps rank higher; equal ranks (processing <-> additional_info_required go back and forth)
# are settled by occurred_at. Terminal statuses end the dossier: nothing replaces them.
STATUS_RANK = {
    "submitted": 10,
    "received": 20,
    "processing": 30,
    "additional_info_required": 30,
    "approved": 40,
    "result_ready": 50,
    "rejected": 90,
    "withdrawn": 90,
    "completed": 100,
}
TERMINAL = frozenset({"rejected", "withdrawn", "completed"})
FINISHED = TERMINAL | {"result_ready"}  # the agency's clock has stopped
COUNTER, ONLINE = "counter", "online"


@dataclass(frozen=True)
class DossierEvent:
    event_id: str
    occurred_at: str  # ISO 8601 with offset, as the agency sent it
    occurred_ms: int  # the same instant in Unix ms, for ordering
    status: str
    step_name: str = ""
    agency_unit: str = ""
    officer_role: str = ""
    note: str = ""
    requested_documents: tuple[str, ...] = ()
    recorded_at: int = 0
    published: bool = False
    result_document_id: str = ""  # the wallet document a `completed` event delivered


@dataclass(frozen=True)
class Dossier:
    dossier_id: str
    person_key: str
    receipt_code: str
    agency_id: str
    procedure_code: str
    channel: str
    status: str
    status_ms: int
    submitted_at: str
    due_date: str
    statutory_days: int
    procedure_name_vi: str = ""
    procedure_name_en: str = ""
    agency_name_vi: str = ""
    agency_name_en: str = ""
    version: int = 1
    citizen_id: str = ""
    applicant_name: str = ""
    appointment_date: str = ""
    form: dict = field(default_factory=dict)
    overdue_receipt: bool = False
    receipt_due_bucket: str = ""
    rating: int | None = None
    rating_comment: str = ""
    documents: tuple = ()  # wallet documents attached at filing (domain.wallet.attachment), what the agency sees
    result_document_id: str = ""  # the result delivered into the wallet when the dossier was completed


@dataclass(frozen=True)
class ReceiptRecord:
    """What the receipt code on a paper receipt leads to."""

    receipt_code: str
    person_key: str
    dossier_id: str
    agency_id: str
    pin_hash: str


@dataclass(frozen=True)
class ReceiptTimer:
    """The legal time to receive an online dossier, waiting in its hour bucket."""

    dossier_id: str
    person_key: str
    due_ms: int
    flagged: bool = False


@dataclass(frozen=True)
class AgencyDossierRow:
    """A dossier as the agency's work list shows it."""

    dossier_id: str
    person_key: str
    receipt_code: str
    procedure_code: str
    channel: str
    status: str
    submitted_at: str
    due_date: str
    applicant_name: str = ""
    form: dict = field(default_factory=dict)
    overdue_receipt: bool = False
    documents: tuple = ()


@dataclass(frozen=True)
class FiledDossier:
    """What filing a dossier (online or at the counter) answers; the same again for a replayed request."""

    dossier_id: str
    receipt_code: str
    status: str
    due_date: str
    pin: str = ""
    receipt_due_at: str = ""


@dataclass(frozen=True)
class IdempotencyClaim:
    """An Idempotency-Key claimed in the same write as what it created, with the answer to replay."""

    scope: str
    key: str
    fingerprint: str
    answer: dict


def supersedes(new_status: str, new_ms: int, current_status: str, current_ms: int) -> bool:
    """Whether an event's status becomes the dossier's current one, whatever order events arrive in."""
    if current_status in TERMINAL:
        return False
    new_rank, current_rank = STATUS_RANK[new_status], STATUS_RANK[current_status]
    return new_rank > current_rank or (new_rank == current_rank and new_ms >= current_ms)


def apply_event(dossier: Dossier, event: DossierEvent) -> Dossier:
    """The dossier after `event`: a new version always; a new status only when the event supersedes."""
    if supersedes(event.status, event.occurred_ms, dossier.status, dossier.status_ms):
        return replace(dossier, status=event.status, status_ms=event.occurred_ms, version=dossier.version + 1)
    return replace(dossier, version=dossier.version + 1)


def deliverable(before: Dossier, after: Dossier) -> bool:
    """A result goes with the event that completes the dossier, or one completing it again, and only once."""
    return after.status == "completed" and not before.result_document_id


def timeline(events: list[DossierEvent]) -> list[DossierEvent]:
    return sorted(events, key=lambda e: (e.occurred_ms, e.recorded_at, e.event_id))


def parse_instant(value: str) -> datetime | None:
    """ISO 8601 with an explicit offset; a time without one is ambiguous and refused."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


def new_dossier_id(now: float) -> str:
    """Time-ordered (ms prefix), so sorting ids sorts dossiers by when they were created."""
    return f"{int(now * 1000):013x}{secrets.token_hex(6)}"


def new_receipt_code(now: float) -> str:
    """Printed on the paper receipt: the date in Vietnam plus 8 random characters from an unambiguous alphabet."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    day = datetime.fromtimestamp(now, VIETNAM).strftime("%y%m%d")
    return f"HS{day}-" + "".join(secrets.choice(alphabet) for _ in range(8))


def looks_like_personal_id(value: object) -> bool:
    return isinstance(value, str) and len(value) == 12 and value.isdigit()


def body_fingerprint(canonical_json: str) -> str:
    return hashlib.sha256(canonical_json.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ProcedureRef:
    """What dossiers need of a catalog procedure."""

    code: str
    name_vi: str
    name_en: str
    statutory_days: int
    online: bool
    form_fields: tuple[tuple[str, str, bool], ...] = ()  # (name, type, required)


@dataclass(frozen=True)
class AccessEntry:
    """One read or write of a citizen's data by anyone but the citizen, as the citizen sees it: when (at), who
    (the organisation, its client, and the officer or delegate when known: actor), what (category, target and
    what came with it: related), why (purpose) and through which channel (domain/access_log.py)."""

    agency_id: str
    agency_name_vi: str
    agency_name_en: str
    client_id: str
    action: str  # dossier.create | dossier.event | dossier.read | ...
    target: str  # what was touched, e.g. "dossier:<receipt code>"
    purpose: str
    at: str  # ISO 8601 UTC
    # Entries stored before these existed read with them derived from action and client_id (domain/access_log.py).
    category: str = ""
    channel: str = ""
    actor: str = ""
    related: tuple[str, ...] = ()  # other objects read in the same access, e.g. the documents filed with a dossier


class StaleDossier(Exception):
    """The dossier changed (or the event was recorded) between our read and our write."""


class TooManyPendingFilings(Exception):
    """The citizen already has as many online filings waiting to be received as they may have."""
