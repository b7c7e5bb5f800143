"""Validation of OIDC authorization requests for the dev eID provider, and the redirects it answers.

Only the client_id and redirect_uri checks raise (shown as a 400, never redirected); every later
problem is sent back to the client's redirect_uri, as RFC 6749 section 4.1.2.1 requires.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from devstack.eid_model import OAuthError, RegisteredClient

SUPPORTED_SCOPES = ("openid", "profile")
_REQUIRED = ("response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method")
# A S256 challenge is always 32 bytes of SHA-256, base64url without padding.
_S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str
    code_challenge: str
    login_hint: str | None
    params: Mapping[str, str]


def trusted_redirect_uri(params: Mapping[str, list[str]], clients: Mapping[str, RegisteredClient]) -> str:
    """The redirect_uri, once it provably belongs to the client; raises a 400 OAuthError if not."""
    client_ids, uris = params.get("client_id", []), params.get("redirect_uri", [])
    client = clients.get(client_ids[0]) if len(client_ids) == 1 else None
    if client is None:
        raise OAuthError(400, "invalid_client", "unknown or missing client_id")
    # Exact string match only: prefix or pattern matching is how open redirectors are born.
    if len(uris) != 1 or uris[0] not in client.redirect_uris:
        raise OAuthError(400, "invalid_request", "redirect_uri is not registered for this client")
    return uris[0]


def parse_request(params: Mapping[str, list[str]], redirect_uri: str) -> AuthorizeRequest:
    """Check everything after the redirect_uri; raises OAuthError meant for the redirect."""
    repeated = sorted(name for name, values in params.items() if len(values) > 1)
    if repeated:
        raise _invalid(f"parameters must not be repeated: {', '.join(repeated)}")
    flat = {name: values[0] for name, values in params.items()}
    missing = [name for name in _REQUIRED if not flat.get(name)]
    if missing:
        raise _invalid(f"missing required parameters: {', '.join(missing)}")
    _check_values(flat)
    return AuthorizeRequest(
        client_id=flat["client_id"],
        redirect_uri=redirect_uri,
        scope=granted_scope(flat["scope"]),
        state=flat["state"],
        nonce=flat["nonce"],
        code_challenge=flat["code_challenge"],
        login_hint=flat.get("login_hint"),
        params=flat,
    )


def _check_values(flat: Mapping[str, str]) -> None:
    if flat["response_type"] != "code":
        raise OAuthError(400, "unsupported_response_type", "only response_type=code is supported")
    if "openid" not in flat["scope"].split():
        raise OAuthError(400, "invalid_scope", "scope must include openid")
    if flat["code_challenge_method"] != "S256":
        raise _invalid("code_challenge_method must be S256")
    if not _S256_CHALLENGE.fullmatch(flat["code_challenge"]):
        raise _invalid("code_challenge must be a base64url SHA-256 digest (43 characters)")


def granted_scope(requested: str) -> str:
    """Supported scopes among those asked for; unknown ones are ignored, as RFC 6749 allows."""
    asked = requested.split()
    return " ".join(scope for scope in SUPPORTED_SCOPES if scope in asked)


def error_redirect(redirect_uri: str, error: OAuthError, state: str | None) -> str:
    params = {"error": error.error, "error_description": error.description}
    if state:
        params["state"] = state
    return with_query(redirect_uri, params)


def with_query(uri: str, params: Mapping[str, str]) -> str:
    """Add params to a URI, keeping its own query as is; works for custom schemes too."""
    parts = urlsplit(uri)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    return urlunsplit(parts._replace(query=query))


def _invalid(description: str) -> OAuthError:
    return OAuthError(400, "invalid_request", description)
