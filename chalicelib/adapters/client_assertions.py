"""private_key_jwt client assertions (RFC 7523) checked against an agency's registered public JWKs.

The algorithm is pinned by each key's type, never read from the token: no HMAC, no `none`.
"""

from typing import Any

import jwt

from chalicelib.domain.agencies import Agency, invalid_client

_ALGORITHMS_BY_KEY = {("EC", "P-256"): ["ES256"], ("EC", "P-384"): ["ES384"], ("RSA", None): ["RS256", "PS256"]}
_REQUIRED = ["iss", "sub", "aud", "exp", "jti"]


def algorithms_for(jwk: dict[str, Any]) -> list[str]:
    kty = jwk.get("kty")
    return _ALGORITHMS_BY_KEY.get((kty, jwk.get("crv") if kty == "EC" else None), [])


def claimed_client_id(assertion: str) -> str:
    try:
        issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
    except jwt.InvalidTokenError:
        raise invalid_client("client_assertion is not a well-formed JWT") from None
    if not isinstance(issuer, str) or not issuer:
        raise invalid_client("client_assertion has no issuer")
    return issuer


def verify_client_assertion(assertion: str, agency: Agency, audiences: list[str]) -> dict[str, Any]:
    """Claims of an assertion signed by one of the agency's keys; times are checked by the caller."""
    try:
        kid = jwt.get_unverified_header(assertion).get("kid")
    except jwt.InvalidTokenError:
        raise invalid_client("client_assertion is not a well-formed JWT") from None
    for jwk in _candidate_keys(agency, kid):
        try:
            claims = jwt.decode(
                assertion,
                jwt.PyJWK(jwk).key,
                algorithms=algorithms_for(jwk),
                audience=audiences,
                issuer=agency.client_id,
                options={"require": _REQUIRED, "verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
        except jwt.InvalidTokenError:
            continue
        if claims["sub"] != agency.client_id:
            raise invalid_client("client_assertion sub must equal the client_id")
        return claims
    raise invalid_client("client_assertion signature, audience or issuer is not valid")


def _candidate_keys(agency: Agency, kid: Any) -> list[dict[str, Any]]:
    keys = [jwk for jwk in agency.public_jwks if algorithms_for(jwk)]
    if kid is not None:
        keys = [jwk for jwk in keys if jwk.get("kid") == kid]
    return keys


class JwtClientAssertions:
    """The assertion-verifier port, as an object the services can take."""

    def claimed_client_id(self, assertion: str) -> str:
        return claimed_client_id(assertion)

    def verify(self, assertion: str, agency: Agency, audiences: list[str]) -> dict[str, Any]:
        return verify_client_assertion(assertion, agency, audiences)
