"""What a logged-in citizen reads and manages about themself: profile and devices (sessions)."""

from chalicelib.domain.citizens import Citizen
from chalicelib.domain.sessions import Principal, Session
from chalicelib.errors import NotFoundError
from chalicelib.services.auth_ports import Citizens, Sessions


def get_profile(principal: Principal, citizens: Citizens) -> Citizen:
    """Authentication already read the profile with the session; the repository is the fallback."""
    citizen = principal.citizen or citizens.get(principal.citizen_id)
    if citizen is None:
        raise NotFoundError("citizen_not_found")
    return citizen


def list_sessions(principal: Principal, sessions: Sessions, now: int) -> list[Session]:
    """The caller's own session first (the one a "sign out other devices" screen keeps), then the most recently
    used. Expired sessions may linger until TTL deletion catches up; they are never shown."""
    listed = sessions.list(principal.citizen_id)
    if all(s.session_id != principal.session_id for s in listed):
        current = sessions.get(principal.citizen_id, principal.session_id)
        listed = ([current] if current else []) + listed
    active = [s for s in listed if s.is_active(now)]
    return sorted(active, key=lambda s: (s.session_id != principal.session_id, -s.last_refreshed_at))


def end_session(principal: Principal, session_id: str, sessions: Sessions) -> None:
    """Sessions are looked up under the caller's own partition: another citizen's id is simply not found."""
    if not sessions.end(principal.citizen_id, session_id):
        raise NotFoundError("session_not_found")
