"""Closing an account: the citizen asks (eID level 2, logged in within 10 minutes), is told at once and 3 days
before the end of the 30-day grace period, and may cancel until then."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.deletion import (
    CANCELLED,
    REMINDED,
    SCHEDULED,
    DeletionRequest,
    is_fresh_login,
    new_deletion_request,
    new_statement_id,
)
from chalicelib.domain.events import AccountDeletionChanged
from chalicelib.domain.instants import day_buckets_back, utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.errors import ForbiddenError, NotFoundError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.dossier_ports import PersonKeys, Publisher
from chalicelib.services.me import get_profile

REMINDER_LOOKBACK_DAYS = 7  # a reminder schedule down for days still tells, late rather than never


class DeletionRequests(Protocol):
    def schedule(self, request: DeletionRequest) -> bool: ...
    def get(self, citizen_id: str) -> DeletionRequest | None: ...
    def cancel(self, request: DeletionRequest) -> bool: ...
    def reminders_on(self, day: str) -> list[DeletionRequest]: ...
    def forget_reminder(self, request: DeletionRequest) -> None: ...


@dataclass(frozen=True)
class DeletionPorts:
    requests: DeletionRequests
    citizens: Citizens
    person_keys: PersonKeys
    publisher: Publisher  # the notifications queue


def request_deletion(ports: DeletionPorts, principal: Principal, now: int) -> tuple[DeletionRequest, bool]:
    """The citizen's request and whether this call made it (asking again answers the request that stands)."""
    if not is_fresh_login(principal.logged_in_at, now):
        raise ForbiddenError("fresh_login_required", params={"minutes": 10})
    standing = ports.requests.get(principal.citizen_id)
    if standing is not None:
        return standing, False
    person_key = ports.person_keys.key_of(get_profile(principal, ports.citizens).personal_id)
    request = new_deletion_request(principal.citizen_id, person_key, now, new_statement_id())
    if not ports.requests.schedule(request):
        return my_deletion(ports, principal), False
    _tell(ports, request, SCHEDULED)
    return request, True


def my_deletion(ports: DeletionPorts, principal: Principal) -> DeletionRequest:
    request = ports.requests.get(principal.citizen_id)
    if request is None:
        raise NotFoundError("deletion_not_found")
    return request


def cancel_deletion(ports: DeletionPorts, principal: Principal) -> None:
    """Until the erasure has started (it marks the request first), a cancel stops it, even past `erase_at`."""
    request = my_deletion(ports, principal)
    if not ports.requests.cancel(request):
        raise NotFoundError("deletion_not_found")  # cancelled a moment ago
    _tell(ports, request, CANCELLED)


def remind_due_deletions(ports: DeletionPorts, now: datetime) -> int:
    """How many citizens were reminded. Safe to run twice: the notice is deduplicated by its event id and the
    reminder's copy is deleted only once the queue took it."""
    reminded = 0
    for day in day_buckets_back(now, REMINDER_LOOKBACK_DAYS):
        for request in ports.requests.reminders_on(day):
            if request.remind_at <= now.timestamp():
                _tell(ports, request, REMINDED)
                ports.requests.forget_reminder(request)
                reminded += 1
    return reminded


def _tell(ports: DeletionPorts, request: DeletionRequest, change: str) -> None:
    notice = AccountDeletionChanged(
        event_id=f"deletion-{request.citizen_id}-{request.requested_at}-{change}",
        citizen_id=request.citizen_id,
        change=change,
        erase_at=utc_instant(request.erase_at),
    )
    ports.publisher.publish(notice.to_message())
