"""A login in progress: what we keep server-side between sending the citizen to the eID and their return;
the app's own PKCE proof (RFC 7636) that binds the login to the app instance that started it; and which
redirect URIs are safe to allow (RFC 8252)."""

import base64
import hashlib
import hmac
import re
import secrets
import urllib.parse
from dataclasses import dataclass

S256 = "S256"
# RFC 7636 4.1 and 4.2: the verifier is 43-128 unreserved characters; an S256 challenge is 43 base64url ones.
_CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
_S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class LoginAttempt:
    state: str
    nonce: str
    code_verifier: str  # ours, towards the eID
    redirect_uri: str
    expires_at: int
    app_code_challenge: str = ""  # the app's, towards us


def begin_login(redirect_uri: str, now: int, ttl: int, app_code_challenge: str = "") -> LoginAttempt:
    return LoginAttempt(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(48),
        redirect_uri=redirect_uri,
        expires_at=now + ttl,
        app_code_challenge=app_code_challenge,
    )


def code_challenge(code_verifier: str) -> str:
    """PKCE S256 (RFC 7636 section 4.2)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def is_code_verifier(value: str) -> bool:
    return _CODE_VERIFIER.fullmatch(value) is not None


def is_s256_challenge(value: str) -> bool:
    return _S256_CHALLENGE.fullmatch(value) is not None


def proves_challenge(code_verifier: str, attempt: LoginAttempt) -> bool:
    """Constant time, so the comparison leaks nothing of the stored challenge."""
    if not attempt.app_code_challenge or not is_code_verifier(code_verifier):
        return False
    return hmac.compare_digest(code_challenge(code_verifier), attempt.app_code_challenge)


# --- redirect URIs ----------------------------------------------------------------------------------

# A private-use scheme (RFC 8252 7.1): dot-free (`citizenapp`) or a reverse domain name (`vn.gov.app`).
_PRIVATE_SCHEME = re.compile(r"[a-z][a-z0-9+-]*|[a-z][a-z0-9-]*(\.[a-z0-9-]+)+")
# Schemes a browser or the OS gives a meaning of its own: never an app's.
_RESERVED_SCHEMES = frozenset(
    {"http", "javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss", "mailto", "tel", "intent"}
)
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def redirect_uri_problem(uri: str, allow_loopback_http: bool) -> str | None:
    """Why `uri` may not be on the login redirect allowlist, or None when it may: an https URI (an app link
    or universal link, verified by the OS), a private-use scheme, or (local stage only) http on loopback."""
    if not uri.isprintable() or any(c in uri for c in " *\\"):
        return "it contains spaces, wildcards, backslashes or control characters"
    parts = urllib.parse.urlsplit(uri)
    if "#" in uri:
        return "it has a fragment"
    if not parts.scheme or not (parts.netloc or parts.path):
        return "it is not an absolute URI"
    if not uri.startswith(parts.scheme + ":"):
        return "its scheme must be lowercase (the allowlist is matched exactly)"
    if parts.scheme in ("https", "http"):
        return _web_redirect_problem(parts, allow_loopback_http)
    if parts.scheme in _RESERVED_SCHEMES or not _PRIVATE_SCHEME.fullmatch(parts.scheme):
        return f"scheme '{parts.scheme}' is neither https nor a private-use scheme (lowercase, RFC 8252)"
    return None


def _web_redirect_problem(parts: urllib.parse.SplitResult, allow_loopback_http: bool) -> str | None:
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return "it needs a host and no user information"
    if parts.scheme == "http" and not (allow_loopback_http and parts.hostname in _LOOPBACK_HOSTS):
        return "http is allowed only for a loopback host on the local stage; use https"
    return None
