"""The OpenID4VCI 1.0 proof of possession: the wallet signs the issuer's identifier and our c_nonce with
the device key it wants the credential bound to; the key travels in the proof's `jwk` header."""

from typing import Any

from jwt.algorithms import ECAlgorithm

from chalicelib.adapters.jws import ALGORITHM, unverified_header, verified_payload
from chalicelib.adapters.sd_jwt_vc import LEEWAY_SECONDS, public_holder_jwk
from chalicelib.errors import ValidationError

TYP = "openid4vci-proof+jwt"
MAX_AGE_SECONDS = 300


def check_proof_jwt(
    proof_jwt: str, *, issuer: str, nonce: str | None, now: int, max_age: int = MAX_AGE_SECONDS
) -> dict[str, Any]:
    """The holder's public JWK; ValidationError invalid_proof (or invalid_nonce, so the wallet fetches a new one)."""
    holder_jwk, claims = _checked(proof_jwt, issuer, now, max_age)
    if nonce is not None and claims.get("nonce") != nonce:
        raise ValidationError("invalid_nonce")
    return holder_jwk


def proof_key_and_nonce(
    proof_jwt: str, *, issuer: str, now: int, max_age: int = MAX_AGE_SECONDS
) -> tuple[dict[str, Any], str | None]:
    """For an issuer whose c_nonces are single-use secrets: the key, and the nonce to redeem (None if absent)."""
    holder_jwk, claims = _checked(proof_jwt, issuer, now, max_age)
    nonce = claims.get("nonce")
    return holder_jwk, nonce if isinstance(nonce, str) else None


def _checked(proof_jwt: str, issuer: str, now: int, max_age: int) -> tuple[dict[str, Any], dict[str, Any]]:
    holder_jwk = _holder_jwk(proof_jwt)
    try:
        claims = verified_payload(proof_jwt, ECAlgorithm.from_jwk(holder_jwk))
    except ValueError as error:
        raise ValidationError("invalid_proof") from error
    issued = claims.get("iat")
    fresh = (
        isinstance(issued, int)
        and not isinstance(issued, bool)
        and (now - max_age - LEEWAY_SECONDS <= issued <= now + LEEWAY_SECONDS)
    )
    if claims.get("aud") != issuer or not fresh:
        raise ValidationError("invalid_proof")
    return holder_jwk, claims


def _holder_jwk(proof_jwt: str) -> dict[str, Any]:
    """A proof carrying its key names it by value only: `kid` or `x5c` beside `jwk` is refused."""
    try:
        header = unverified_header(proof_jwt)
    except ValueError as error:
        raise ValidationError("invalid_proof") from error
    if header.get("typ") != TYP or header.get("alg") != ALGORITHM or "kid" in header or "x5c" in header:
        raise ValidationError("invalid_proof")
    try:
        return public_holder_jwk(header.get("jwk"))
    except ValidationError as error:
        raise ValidationError("invalid_proof") from error
