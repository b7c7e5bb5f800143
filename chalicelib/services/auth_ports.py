"""The ports the auth use cases need, and their bundle. Adapters implement them; unit tests pass fakes."""

from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.citizens import Citizen, EidIdentity
from chalicelib.domain.login import LoginAttempt
from chalicelib.domain.sessions import RefreshRecord, SealedSuccessor, Session, SessionPolicy


class LoginAttempts(Protocol):
    def save(self, attempt: LoginAttempt) -> None: ...
    def consume(self, state: str, now: int) -> LoginAttempt | None: ...


class EidClient(Protocol):
    def authorization_url(self, attempt: LoginAttempt) -> str: ...
    def exchange(self, code: str, attempt: LoginAttempt) -> EidIdentity: ...


class Citizens(Protocol):
    def find_id_by_subject(self, eid_subject: str) -> str | None: ...
    def create(self, citizen: Citizen) -> None: ...
    def refresh_from_eid(self, citizen_id: str, identity: EidIdentity, now: int) -> None: ...
    def get(self, citizen_id: str) -> Citizen | None: ...


class Sessions(Protocol):
    def open(self, session: Session, refresh_hash: str) -> None: ...
    def get(self, citizen_id: str, session_id: str) -> Session | None: ...
    def get_with_profile(self, citizen_id: str, session_id: str) -> tuple[Session | None, Citizen | None]: ...
    def of_ids(self, citizen_id: str, session_ids: list[str]) -> list[Session]: ...
    def list(self, citizen_id: str) -> list[Session]: ...
    def end(self, citizen_id: str, session_id: str) -> bool: ...
    def find_refresh(self, token_hash: str) -> RefreshRecord | None: ...
    def rotate(
        self, old_hash: str, new_hash: str, session: Session, now: int, successor: SealedSuccessor | None = None
    ) -> None: ...
    def find_successor(self, old_hash: str, now: int) -> SealedSuccessor | None: ...


class SuccessorSealer(Protocol):
    """Seals a successor refresh token under a key derived from its predecessor token."""

    def seal(self, predecessor: str, successor: str) -> str: ...
    def unseal(self, predecessor: str, sealed: str) -> str | None: ...


class TokenSigner(Protocol):
    def sign(self, claims: dict[str, Any]) -> str: ...


class TokenVerifier(Protocol):
    def verify(self, token: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class TokenSettings:
    issuer: str
    audience: str
    policy: SessionPolicy
    refresh_reuse_grace: int = 0  # seconds a rotated refresh token answers its successor pair again


@dataclass(frozen=True)
class AuthPorts:
    """Citizen login, refresh and logout."""

    login_attempts: LoginAttempts
    eid: EidClient
    citizens: Citizens
    sessions: Sessions
    signer: TokenSigner
    settings: TokenSettings
    sealer: SuccessorSealer | None = None  # None: no grace window, every reuse revokes
