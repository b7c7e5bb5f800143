"""A citizen's request to close their account: erased after a 30-day grace period they can cancel, with a
reminder 3 days before; only a login within the last 10 minutes may ask for it."""

import secrets
from dataclasses import dataclass, field

GRACE_SECONDS = 30 * 86400
REMINDER_BEFORE_SECONDS = 3 * 86400
FRESH_LOGIN_SECONDS = 600
SCHEDULED, REMINDED, CANCELLED = "scheduled", "reminder", "cancelled"  # the notices' `change`


@dataclass(frozen=True)
class ErasureProgress:
    """Set when the erasure starts (a cancel is then too late) and read back by a run resuming after a crash:
    what the statement counts, the random key kept records move to, and the businesses whose grants end."""

    started_at: int
    kept_key: str
    counts: dict[str, int] = field(default_factory=dict)
    represents: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeletionRequest:
    citizen_id: str
    person_key: str
    requested_at: int  # epoch seconds
    erase_at: int
    statement_id: str = ""  # the secret of the final statement's link, shown to the citizen while they can log in
    progress: ErasureProgress | None = None

    @property
    def remind_at(self) -> int:
        return self.erase_at - REMINDER_BEFORE_SECONDS


def new_deletion_request(citizen_id: str, person_key: str, now: int, statement_id: str) -> DeletionRequest:
    return DeletionRequest(citizen_id, person_key, now, now + GRACE_SECONDS, statement_id)


def new_statement_id() -> str:
    """The secret of the final statement's link: the link is the only way to it once the account is gone."""
    return secrets.token_urlsafe(24)


def is_fresh_login(logged_in_at: int, now: int) -> bool:
    """Deleting an account is asked of the person holding the eID now, not of a session left open on a phone."""
    return 0 <= now - logged_in_at <= FRESH_LOGIN_SECONDS
