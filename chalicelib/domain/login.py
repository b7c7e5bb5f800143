"""A login in progress: what we keep server-side between sending the citizen to the eID and their return."""

import base64
import hashlib
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class LoginAttempt:
    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    expires_at: int


def begin_login(redirect_uri: str, now: int, ttl: int) -> LoginAttempt:
    return LoginAttempt(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(48),
        redirect_uri=redirect_uri,
        expires_at=now + ttl,
    )


def code_challenge(code_verifier: str) -> str:
    """PKCE S256 (RFC 7636 section 4.2)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
