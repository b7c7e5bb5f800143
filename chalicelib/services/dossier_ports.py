"""The ports the dossier use cases need, bundled: adapters implement them; unit tests pass fakes."""

from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.agencies import Agency
from chalicelib.domain.dossiers import (
    AccessEntry,
    AgencyDossierRow,
    Dossier,
    DossierEvent,
    IdempotencyClaim,
    ProcedureRef,
    ReceiptRecord,
    ReceiptTimer,
)
from chalicelib.domain.pages import Page
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.uploads import PresignedDownload
from chalicelib.domain.wallet import WalletDocument
from chalicelib.domain.working_days import HolidayCalendar
from chalicelib.services.access_log import AccessLog
from chalicelib.services.rate_limits import RateCounters


class Dossiers(Protocol):
    def create(
        self,
        dossier: Dossier,
        first_event: DossierEvent,
        pin_hash: str,
        access: AccessEntry | None,
        claim: IdempotencyClaim,
        receipt_due_ms: int | None = None,
        max_pending: int | None = None,
    ) -> None: ...
    def load(self, person_key: str, dossier_id: str) -> tuple[Dossier, list[DossierEvent]] | None: ...
    def record_event(self, before: Dossier, after: Dossier, event: DossierEvent, access: AccessEntry) -> None: ...
    def mark_published(self, person_key: str, dossier_id: str, event_id: str) -> None: ...
    def find_receipt(self, receipt_code: str) -> ReceiptRecord | None: ...
    def citizen_of(self, person_key: str) -> str | None: ...
    def list_for_person(self, person_key: str, status: str, after: str | None, limit: int) -> Page[Dossier]: ...
    def list_for_agency(self, agency_id: str, status: str, after: str | None, limit: int) -> Page[AgencyDossierRow]: ...
    def due_timers(self, hour_bucket: str) -> list[ReceiptTimer]: ...
    def flag_overdue_receipt(self, dossier: Dossier) -> bool: ...
    def delete_timer(self, hour_bucket: str, dossier_id: str) -> None: ...
    def rate(self, person_key: str, dossier_id: str, score: int, comment: str) -> bool: ...


class WalletDocumentReader(Protocol):
    """The person's wallet, read to attach its documents (issued or uploaded) to a filing."""

    def load(self, person_key: str, document_id: str) -> WalletDocument | UploadedDocument | None: ...


class FileLinks(Protocol):
    """Short-lived links to documents' files in the documents bucket (the agency's view of attachments)."""

    def presigned_download(self, key: str) -> PresignedDownload: ...


class Idempotency(Protocol):
    def get(self, scope: str, key: str) -> IdempotencyClaim | None: ...


class Procedures(Protocol):
    def find(self, code: str) -> ProcedureRef | None: ...


class PersonKeys(Protocol):
    def key_of(self, personal_id: str) -> str: ...
    def pin_hash(self, receipt_code: str, pin: str) -> str: ...
    def issue_pin(self, receipt_code: str) -> str: ...


class Publisher(Protocol):
    def publish(
        self, message: dict[str, Any], delay_seconds: int = 0, attributes: dict[str, str] | None = None
    ) -> None: ...


class AgencyDirectory(Protocol):
    def get(self, client_id: str) -> Agency | None: ...
    def handlers_of(self, procedure_code: str) -> list[Agency]: ...


@dataclass(frozen=True)
class DossierPorts:
    dossiers: Dossiers
    access_log: AccessLog
    idempotency: Idempotency
    procedures: Procedures
    person_keys: PersonKeys
    publisher: Publisher
    calendar: HolidayCalendar
    agencies: AgencyDirectory
    counters: RateCounters
    wallet_documents: WalletDocumentReader
    file_links: FileLinks
