"""Login with the eID, token refresh with rotation and reuse detection, logout, request authentication."""

import secrets
import uuid
from dataclasses import dataclass

from chalicelib.domain.citizens import (
    CitizenAlreadyExists,
    EidIdentity,
    citizen_from_identity,
    normalize_identity,
)
from chalicelib.domain.login import S256, LoginAttempt, begin_login, proves_challenge
from chalicelib.domain.sessions import (
    Principal,
    RefreshRaceLost,
    RefreshRecord,
    SealedSuccessor,
    Session,
    SessionGone,
    hash_refresh_token,
    looks_like_refresh_token,
    new_refresh_token,
    open_session,
    refresh_session,
)
from chalicelib.errors import AuthenticationError, ConflictError, ForbiddenError, ValidationError
from chalicelib.services.auth_ports import AuthPorts, Citizens, Sessions, TokenSettings, TokenSigner, TokenVerifier


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Device:
    name: str = ""
    user_agent: str = ""


@dataclass(frozen=True)
class AppChallenge:
    """The app's PKCE challenge (RFC 7636): only the app instance holding the verifier can finish the login."""

    code_challenge: str
    method: str


def start_login(
    redirect_uri: str,
    challenge: AppChallenge,
    allowed_redirect_uris: tuple[str, ...],
    ports: AuthPorts,
    now: int,
    ttl: int,
) -> tuple[LoginAttempt, str]:
    if redirect_uri not in allowed_redirect_uris:
        raise ValidationError("redirect_uri_not_allowed")
    if challenge.method != S256:  # "plain" would hand the verifier to whoever reads the login request
        raise ValidationError("code_challenge_method_unsupported")
    attempt = begin_login(redirect_uri, now, ttl, challenge.code_challenge)
    url = ports.eid.authorization_url(attempt)
    ports.login_attempts.save(attempt)
    return attempt, url


def complete_login(code: str, state: str, code_verifier: str, device: Device, ports: AuthPorts, now: int) -> TokenPair:
    """The attempt is consumed before the verifier is checked: a wrong verifier burns the intercepted code."""
    attempt = ports.login_attempts.consume(state, now)
    if attempt is None:
        raise AuthenticationError("login_state_invalid")
    if not proves_challenge(code_verifier, attempt):
        raise AuthenticationError("code_verifier_mismatch")
    identity = normalize_identity(ports.eid.exchange(code, attempt))
    citizen_id = _upsert_citizen(identity, ports.citizens, now)
    session = open_session(citizen_id, identity.level, now, ports.settings.policy, device.name, device.user_agent)
    refresh_token, refresh_hash = new_refresh_token()
    ports.sessions.open(session, refresh_hash)
    return _token_pair(session, refresh_token, ports.signer, ports.settings, now)


def _upsert_citizen(identity: EidIdentity, citizens: Citizens, now: int) -> str:
    citizen_id = citizens.find_id_by_subject(identity.subject)
    if citizen_id is not None:
        citizens.refresh_from_eid(citizen_id, identity, now)
        return citizen_id
    new_id = str(uuid.uuid4())
    try:
        citizens.create(citizen_from_identity(new_id, identity, now))
        return new_id
    except CitizenAlreadyExists:  # a parallel first login won: use its citizen
        winner = citizens.find_id_by_subject(identity.subject)
    if winner is None:
        raise ConflictError("login_conflict")
    return winner


def refresh_tokens(refresh_token: str, ports: AuthPorts, now: int) -> TokenPair:
    """Rotate on every use. A token already rotated is a replay: the whole session dies (RFC 9700 4.14), unless
    it comes back within the grace window while its successor is unused (two requests in flight from one phone):
    then it gets that same successor again."""
    sessions, settings = ports.sessions, ports.settings
    if not looks_like_refresh_token(refresh_token):
        raise AuthenticationError("refresh_token_invalid")
    record = sessions.find_refresh(hash_refresh_token(refresh_token))
    if record is None or record.expires_at <= now:
        raise AuthenticationError("refresh_token_invalid")
    if record.rotated:
        return _replay_or_revoke(refresh_token, record, ports, now)
    session = sessions.get(record.citizen_id, record.session_id)
    if session is None or not session.is_active(now):
        raise AuthenticationError("session_expired")
    renewed = refresh_session(session, now, settings.policy)
    new_token, new_hash = new_refresh_token()
    try:
        sessions.rotate(record.token_hash, new_hash, renewed, now, _sealed(refresh_token, new_token, ports, now))
    except RefreshRaceLost:  # the other request's successor is sealed for us too
        pair = _replay(refresh_token, record, ports, now)
        if pair is None:
            raise ConflictError("refresh_in_progress") from None
        return pair
    except SessionGone:
        raise AuthenticationError("session_expired") from None
    return _token_pair(renewed, new_token, ports.signer, settings, now)


def _sealed(refresh_token: str, new_token: str, ports: AuthPorts, now: int) -> SealedSuccessor | None:
    grace = ports.settings.refresh_reuse_grace
    if ports.sealer is None or grace <= 0:
        return None
    sealed = ports.sealer.seal(refresh_token, new_token)
    return SealedSuccessor(hash_refresh_token(new_token), sealed, now + grace)


def _replay_or_revoke(refresh_token: str, record: RefreshRecord, ports: AuthPorts, now: int) -> TokenPair:
    pair = _replay(refresh_token, record, ports, now)
    if pair is not None:
        return pair
    ports.sessions.end(record.citizen_id, record.session_id)
    raise AuthenticationError("refresh_token_reused")


def _replay(refresh_token: str, record: RefreshRecord, ports: AuthPorts, now: int) -> TokenPair | None:
    """The successor pair again, if the window is open and the successor itself was never used (a grandchild
    means the reuse is not a twin request in flight: None, and the caller revokes). The refresh token is the
    same; the access token is freshly signed for the same session."""
    sealed = ports.sessions.find_successor(record.token_hash, now) if ports.sealer else None
    successor = ports.sealer.unseal(refresh_token, sealed.sealed) if sealed else None
    if successor is None or hash_refresh_token(successor) != sealed.successor_hash:
        return None
    successor_record = ports.sessions.find_refresh(sealed.successor_hash)
    if successor_record is None or successor_record.rotated or successor_record.session_id != record.session_id:
        return None
    session = ports.sessions.get(record.citizen_id, record.session_id)
    if session is None or not session.is_active(now):
        raise AuthenticationError("session_expired")
    return _token_pair(session, successor, ports.signer, ports.settings, now)


def _token_pair(
    session: Session, refresh_token: str, signer: TokenSigner, settings: TokenSettings, now: int
) -> TokenPair:
    ttl = settings.policy.access_token_ttl
    claims = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": session.citizen_id,
        "sid": session.session_id,
        "loa": session.eid_level,
        "iat": now,
        "exp": now + ttl,
        "jti": secrets.token_urlsafe(12),
    }
    return TokenPair(access_token=signer.sign(claims), refresh_token=refresh_token, expires_in=ttl)


def authenticate(
    access_token: str, verifier: TokenVerifier, sessions: Sessions, now: int, min_level: int = 1
) -> Principal:
    """A valid signature is not enough: the session must still be alive, so logout takes effect at once."""
    claims = verifier.verify(access_token)
    session, citizen = sessions.get_with_profile(str(claims["sub"]), str(claims["sid"]))
    if session is None or citizen is None or not session.is_active(now):
        raise AuthenticationError("session_expired")
    principal = Principal(
        citizen_id=session.citizen_id,
        session_id=session.session_id,
        eid_level=session.eid_level,
        citizen=citizen,
        logged_in_at=session.created_at,
    )
    if principal.eid_level < min_level:
        raise ForbiddenError("eid_level_too_low", params={"required": min_level})
    return principal


def logout(principal: Principal, sessions: Sessions) -> None:
    sessions.end(principal.citizen_id, principal.session_id)
