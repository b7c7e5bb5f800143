"""Agency clients: the OAuth client-credentials token endpoint and authenticating agency calls."""

import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.agencies import (
    AGENCY_AUDIENCE,
    AGENCY_TOKEN_TTL,
    CLOCK_SKEW,
    MAX_ASSERTION_LIFETIME,
    Agency,
    AgencyPrincipal,
    OAuthError,
    check_assertion_times,
    granted_scopes,
    invalid_client,
)
from chalicelib.errors import ForbiddenError
from chalicelib.services.auth_ports import TokenSigner, TokenVerifier

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class Agencies(Protocol):
    def get(self, client_id: str) -> Agency | None: ...
    def claim_assertion(self, client_id: str, jti: str, expires_at: int) -> bool: ...


class AssertionVerifier(Protocol):
    def claimed_client_id(self, assertion: str) -> str: ...
    def verify(self, assertion: str, agency: Agency, audiences: list[str]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class AgencyTokenSettings:
    issuer: str
    token_endpoint: str


@dataclass(frozen=True)
class AgencyTokenPorts:
    agencies: Agencies
    assertions: AssertionVerifier
    signer: TokenSigner
    settings: AgencyTokenSettings


@dataclass(frozen=True)
class AgencyToken:
    access_token: str
    expires_in: int
    scope: str


def issue_token(form: dict[str, str], has_authorization: bool, ports: AgencyTokenPorts, now: int) -> AgencyToken:
    _check_grant(form, has_authorization)
    settings = ports.settings
    agency = _authenticated_agency(form, ports.agencies, ports.assertions, settings, now)
    scopes = granted_scopes(agency, form.get("scope"))
    claims = {
        "iss": settings.issuer,
        "aud": AGENCY_AUDIENCE,
        "sub": agency.client_id,
        "agency": agency.agency_id,
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + AGENCY_TOKEN_TTL,
        "jti": secrets.token_urlsafe(12),
    }
    return AgencyToken(ports.signer.sign(claims), AGENCY_TOKEN_TTL, claims["scope"])


def _check_grant(form: dict[str, str], has_authorization: bool) -> None:
    if form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "grant_type must be client_credentials")
    if has_authorization or "client_secret" in form:
        raise invalid_client("only private_key_jwt is accepted; client secrets and Basic auth are refused")
    if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
        raise OAuthError("invalid_request", f"client_assertion_type must be {ASSERTION_TYPE} with a client_assertion")


def _authenticated_agency(
    form: dict[str, str], agencies: Agencies, assertions: AssertionVerifier, settings: AgencyTokenSettings, now: int
) -> Agency:
    assertion = form["client_assertion"]
    client_id = assertions.claimed_client_id(assertion)
    if form.get("client_id") and form["client_id"] != client_id:
        raise invalid_client("client_id does not match the client_assertion issuer")
    agency = agencies.get(client_id)
    if agency is None or not agency.active:
        raise invalid_client("unknown client")
    claims = assertions.verify(assertion, agency, [settings.token_endpoint, settings.issuer])
    check_assertion_times(claims, now)
    # Kept past the assertion's own expiry (plus skew), so a replay is refused for as long as it could pass.
    keep_until = int(min(claims["exp"], now + MAX_ASSERTION_LIFETIME)) + 2 * CLOCK_SKEW
    if not agencies.claim_assertion(client_id, claims["jti"], keep_until):
        raise invalid_client("client_assertion was already used (jti replay)")
    return agency


def authenticate_agency(token: str, verifier: TokenVerifier, scope: str) -> AgencyPrincipal:
    claims = verifier.verify(token)
    principal = AgencyPrincipal(
        client_id=str(claims["sub"]), agency_id=str(claims["agency"]), scopes=frozenset(str(claims["scope"]).split())
    )
    if not principal.may(scope):
        raise ForbiddenError("agency_scope_missing", params={"scope": scope})
    return principal
