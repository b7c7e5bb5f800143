"""A citizen's dossiers: the list, one dossier with its timeline and deadline clock, and the access log.

Everything is read from the person's own partition, so another citizen's dossier id is simply not found.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from chalicelib.domain.access_log import AccessQuery
from chalicelib.domain.dossiers import FINISHED, AccessEntry, Dossier, DossierEvent, timeline
from chalicelib.domain.pages import Page
from chalicelib.domain.sessions import Principal
from chalicelib.domain.working_days import end_of_working_day
from chalicelib.errors import NotFoundError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.dossier_ports import DossierPorts
from chalicelib.services.me import get_profile


@dataclass(frozen=True)
class DossierView:
    dossier: Dossier
    timeline: list[DossierEvent]
    time_remaining_seconds: int
    overdue: bool


def person_key_of(principal: Principal, citizens: Citizens, ports: DossierPorts) -> str:
    return ports.person_keys.key_of(get_profile(principal, citizens).personal_id)


def list_my_dossiers(
    principal: Principal, status: str, after: str | None, limit: int, citizens: Citizens, ports: DossierPorts
) -> Page[DossierView]:
    person_key = person_key_of(principal, citizens, ports)
    page = ports.dossiers.list_for_person(person_key, status, after, limit)
    now = datetime.now(UTC)
    return Page([_view(d, [], now) for d in page.items], page.after)


def get_my_dossier(principal: Principal, dossier_id: str, citizens: Citizens, ports: DossierPorts) -> DossierView:
    loaded = ports.dossiers.load(person_key_of(principal, citizens, ports), dossier_id)
    if loaded is None:
        raise NotFoundError("dossier_not_found")
    return _view(loaded[0], timeline(loaded[1]), datetime.now(UTC))


def _view(dossier: Dossier, events: list[DossierEvent], now: datetime) -> DossierView:
    deadline = end_of_working_day(date.fromisoformat(dossier.due_date))
    remaining = int((deadline - now).total_seconds())
    return DossierView(
        dossier,
        events,
        max(remaining, 0) if dossier.status not in FINISHED else 0,
        overdue=remaining < 0 and dossier.status not in FINISHED,
    )


def list_my_access_log(
    principal: Principal, after: str | None, limit: int, query: AccessQuery, citizens: Citizens, ports: DossierPorts
) -> Page[AccessEntry]:
    return ports.access_log.list(person_key_of(principal, citizens, ports), after, limit, query)
