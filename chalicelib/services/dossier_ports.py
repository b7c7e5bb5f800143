"""The ports the dossier use cases need, bundled: adapters implement them; unit tests pass fakes."""
from dataclasses import dataclass
from typing import Any, Optional, Protocol

from chalicelib.domain.agencies import Agency
from chalicelib.domain.dossiers import AccessEntry, Dossier, DossierEvent, ProcedureRef
from chalicelib.domain.working_days import HolidayCalendar
from chalicelib.services.access_log import AccessLog

Page = tuple[list[Any], Optional[dict[str, Any]]]


class Dossiers(Protocol):
    def create(self, dossier: Dossier, first_event: DossierEvent, pin_hash: str, access: Optional[AccessEntry],
               extra: list[dict[str, Any]]) -> None: ...
    def load(self, person_key: str, dossier_id: str) -> Optional[tuple[Dossier, list[DossierEvent]]]: ...
    def record_event(self, before: Dossier, after: Dossier, event: DossierEvent, access: AccessEntry) -> None: ...
    def mark_published(self, person_key: str, dossier_id: str, event_id: str) -> None: ...
    def find_receipt(self, receipt_code: str) -> Optional[dict[str, Any]]: ...
    def citizen_of(self, person_key: str) -> Optional[str]: ...
    def list_for_person(self, person_key: str, status: str, start: Optional[dict[str, Any]], limit: int) -> Page: ...
    def list_for_agency(self, agency_id: str, status: str, start: Optional[dict[str, Any]], limit: int) -> Page: ...


class Idempotency(Protocol):
    def get(self, scope: str, key: str) -> Optional[tuple[str, int, dict[str, Any]]]: ...
    def put_operation(self, scope: str, key: str, fingerprint: str, status: int, answer: dict[str, Any],
                      now: int) -> dict[str, Any]: ...


class Procedures(Protocol):
    def find(self, code: str) -> Optional[ProcedureRef]: ...


class PersonKeys(Protocol):
    def key_of(self, personal_id: str) -> str: ...
    def pin_hash(self, receipt_code: str, pin: str) -> str: ...
    def issue_pin(self, receipt_code: str) -> str: ...


class Publisher(Protocol):
    def publish(self, message: dict[str, Any], delay_seconds: int = 0,
                attributes: Optional[dict[str, str]] = None) -> None: ...


class AgencyDirectory(Protocol):
    def get(self, client_id: str) -> Optional[Agency]: ...


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
