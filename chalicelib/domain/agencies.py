"""Agencies that talk to us machine to machine: their registration, their tokens' scope, OAuth errors."""

from dataclasses import dataclass
from typing import Any

AGENCY_AUDIENCE = "citizen-app-agency"
AGENCY_TOKEN_TTL = 300
MAX_ASSERTION_LIFETIME = 300
CLOCK_SKEW = 10
DOSSIER_SCOPES = ("dossiers:read", "dossiers:write")
PROCEDURE_SCOPE_PREFIX = "procedure:"
ISSUE_SCOPE = "documents:issue"  # an issuer of wallet documents; each type also needs documents:issue:<TYPE>


class OAuthError(Exception):
    """Answered in the OAuth shape {error, error_description} (RFC 6749 5.2), not as problem+json."""

    def __init__(self, error: str, description: str):
        super().__init__(error)
        self.error, self.description = error, description


def invalid_client(description: str) -> OAuthError:
    return OAuthError("invalid_client", description)


@dataclass(frozen=True)
class Agency:
    agency_id: str
    client_id: str
    name_vi: str
    name_en: str
    public_jwks: tuple[dict[str, Any], ...]
    procedure_codes: tuple[str, ...]
    active: bool = True
    credential_types: tuple[str, ...] = ()  # wallet document types it may issue (documents:issue:<TYPE>)


@dataclass(frozen=True)
class AgencyPrincipal:
    """The agency client calling, from a verified agency token."""

    client_id: str
    agency_id: str
    scopes: frozenset[str]

    @property
    def procedure_codes(self) -> frozenset[str]:
        return frozenset(s[len(PROCEDURE_SCOPE_PREFIX) :] for s in self.scopes if s.startswith(PROCEDURE_SCOPE_PREFIX))

    def may(self, scope: str) -> bool:
        return scope in self.scopes


def granted_scopes(agency: Agency, requested: str | None) -> tuple[str, ...]:
    """All the agency may have when it asks for nothing; otherwise exactly what it asked, if allowed."""
    allowed = DOSSIER_SCOPES + tuple(PROCEDURE_SCOPE_PREFIX + code for code in agency.procedure_codes)
    if agency.credential_types:
        allowed += (ISSUE_SCOPE, *(f"{ISSUE_SCOPE}:{code}" for code in agency.credential_types))
    if not requested:
        return allowed
    asked = tuple(dict.fromkeys(requested.split()))
    if any(scope not in allowed for scope in asked):
        raise OAuthError("invalid_scope", "the requested scope exceeds what the agency is registered for")
    return asked


def check_assertion_times(claims: dict[str, Any], now: float) -> None:
    exp, nbf = claims.get("exp"), claims.get("nbf", now)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (exp, nbf)):
        raise invalid_client("client_assertion exp/nbf must be numbers")
    if exp <= now - CLOCK_SKEW:
        raise invalid_client("client_assertion has expired")
    if exp > now + MAX_ASSERTION_LIFETIME + CLOCK_SKEW:
        raise invalid_client(f"client_assertion may live at most {MAX_ASSERTION_LIFETIME} s")
    if nbf > now + CLOCK_SKEW:
        raise invalid_client("client_assertion is not valid yet")
    if not isinstance(claims.get("jti"), str) or not claims["jti"] or len(claims["jti"]) > 200:
        raise invalid_client("client_assertion jti must be a non-empty string")
