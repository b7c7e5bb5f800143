"""private_key_jwt client authentication (RFC 7523) for the dev eID token endpoint.

The only method accepted, as the national eID requires of confidential relying parties.
"""

import threading
from collections.abc import Iterable, Mapping

import jwt

from devstack.eid_model import OAuthError, RegisteredClient, assertion_algorithms

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_ASSERTION_LIFETIME = 300
CLOCK_SKEW = 10
_REQUIRED = ["iss", "sub", "aud", "exp", "jti"]


class JtiLedger:
    """Remembers each client's assertion ids until they expire, so every assertion is single-use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], float] = {}

    def claim(self, client_id: str, jti: str, expires_at: float, now: float) -> bool:
        with self._lock:
            # Forgetting expired ids is safe: their assertions fail the exp check anyway.
            self._seen = {key: exp for key, exp in self._seen.items() if exp >= now}
            if (client_id, jti) in self._seen:
                return False
            self._seen[(client_id, jti)] = expires_at
            return True


def invalid_client(description: str) -> OAuthError:
    return OAuthError(401, "invalid_client", description)


def authenticate_client(
    form: Mapping[str, str],
    authorization: str | None,
    clients: Mapping[str, RegisteredClient],
    audiences: Iterable[str],
    now: float,
    ledger: JtiLedger,
) -> RegisteredClient:
    """Return the client proven by the form's client_assertion, or raise invalid_client."""
    _refuse_other_methods(form, authorization)
    assertion = form["client_assertion"]
    client = _claimed_client(assertion, form.get("client_id"), clients)
    claims = _verified_claims(assertion, client, list(audiences))
    _check_times(claims, now)
    if not ledger.claim(client.client_id, claims["jti"], claims["exp"], now):
        raise invalid_client("client_assertion was already used (jti replay)")
    return client


def _refuse_other_methods(form: Mapping[str, str], authorization: str | None) -> None:
    if authorization:
        raise invalid_client("only private_key_jwt is accepted; do not send an Authorization header")
    if "client_secret" in form:
        raise invalid_client("only private_key_jwt is accepted; client secrets are refused")
    if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
        raise invalid_client(f"client_assertion_type must be {ASSERTION_TYPE} with a client_assertion")


def _claimed_client(assertion: str, client_id: str | None, clients: Mapping[str, RegisteredClient]) -> RegisteredClient:
    try:
        issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
    except jwt.InvalidTokenError:
        raise invalid_client("client_assertion is not a well-formed JWT") from None
    if client_id is not None and client_id != issuer:
        raise invalid_client("client_id does not match the client_assertion issuer")
    client = clients.get(issuer) if isinstance(issuer, str) else None
    if client is None:
        raise invalid_client("unknown client")
    return client


def _verified_claims(assertion: str, client: RegisteredClient, audiences: list[str]) -> dict:
    try:
        kid = jwt.get_unverified_header(assertion).get("kid")
        if kid is not None and kid != client.public_jwk["kid"]:
            raise invalid_client("client_assertion kid is not the registered key")
        claims = jwt.decode(
            assertion,
            jwt.PyJWK(client.public_jwk).key,
            algorithms=assertion_algorithms(client.public_jwk),
            audience=audiences,
            issuer=client.client_id,
            # Times are checked against the provider's own clock in _check_times.
            options={"require": _REQUIRED, "verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError as exc:
        raise invalid_client(f"client_assertion rejected: {exc}") from None
    if claims["sub"] != client.client_id:
        raise invalid_client("client_assertion sub must equal the client_id")
    return claims


def _check_times(claims: dict, now: float) -> None:
    exp, nbf = claims["exp"], claims.get("nbf", now)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (exp, nbf)):
        raise invalid_client("client_assertion exp/nbf must be numbers")
    if exp <= now:
        raise invalid_client("client_assertion has expired")
    if exp > now + MAX_ASSERTION_LIFETIME + CLOCK_SKEW:
        raise invalid_client(f"client_assertion may live at most {MAX_ASSERTION_LIFETIME} s")
    if nbf > now + CLOCK_SKEW:
        raise invalid_client("client_assertion is not valid yet")
    if not isinstance(claims["jti"], str) or not claims["jti"]:
        raise invalid_client("client_assertion jti must be a non-empty string")
