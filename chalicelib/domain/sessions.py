"""Sessions: one per logged-in device, with idle and absolute lifetimes and rotating refresh tokens."""

import hashlib
import secrets
from dataclasses import dataclass, replace

from chalicelib.domain.citizens import Citizen


class RefreshRaceLost(Exception):
    """Another request rotated this refresh token between our read and our write."""


class SessionGone(Exception):
    """The session was ended or expired while a refresh was in flight."""


@dataclass(frozen=True)
class SessionPolicy:
    access_token_ttl: int
    idle_ttl: int
    absolute_ttl: int


@dataclass(frozen=True)
class Session:
    session_id: str
    citizen_id: str
    eid_level: int
    created_at: int
    last_refreshed_at: int
    idle_expires_at: int
    absolute_expires_at: int
    device_name: str = ""
    user_agent: str = ""

    def is_active(self, now: int) -> bool:
        return now < self.idle_expires_at and now < self.absolute_expires_at


@dataclass(frozen=True)
class RefreshRecord:
    """The stored, hashed side of one refresh token."""

    token_hash: str
    citizen_id: str
    session_id: str
    rotated: bool
    expires_at: int


@dataclass(frozen=True)
class SealedSuccessor:
    """What a rotated refresh token keeps for the grace window: its successor, sealed so that only the holder of
    the rotated token can open it (the key derives from that token, which is never stored)."""

    successor_hash: str
    sealed: str
    grace_until: int


@dataclass(frozen=True)
class Principal:
    """Who is calling, established from a verified access token and a live session, with their profile
    (read in the same DynamoDB call as the session, so views need not read it again)."""

    citizen_id: str
    session_id: str
    eid_level: int
    citizen: Citizen | None = None
    logged_in_at: int = 0  # when the eID login that opened the session happened (refreshes keep it)


def open_session(
    citizen_id: str, eid_level: int, now: int, policy: SessionPolicy, device_name: str = "", user_agent: str = ""
) -> Session:
    return Session(
        session_id=secrets.token_hex(16),
        citizen_id=citizen_id,
        eid_level=eid_level,
        created_at=now,
        last_refreshed_at=now,
        idle_expires_at=min(now + policy.idle_ttl, now + policy.absolute_ttl),
        absolute_expires_at=now + policy.absolute_ttl,
        device_name=device_name,
        user_agent=user_agent,
    )


def refresh_session(session: Session, now: int, policy: SessionPolicy) -> Session:
    """Using the session pushes its idle deadline out, never past the absolute one."""
    return replace(
        session,
        last_refreshed_at=now,
        idle_expires_at=min(now + policy.idle_ttl, session.absolute_expires_at),
    )


def new_refresh_token() -> tuple[str, str]:
    """An opaque refresh token and the hash we keep of it (the token itself is never stored)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_refresh_token(token: str | None) -> bool:
    return isinstance(token, str) and 20 <= len(token) <= 128
