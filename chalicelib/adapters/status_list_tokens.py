"""Status List Tokens (draft-ietf-oauth-status-list): the signed, public, cacheable `statuslist+jwt` that
says which credentials of one list are revoked or suspended."""

from collections.abc import Mapping
from typing import Any

from chalicelib.adapters.jws import ALGORITHM, Es256Signer, sign_compact, unverified_header, verified_payload
from chalicelib.domain.status_list import StatusList, StatusListFormatError, StatusListToken
from chalicelib.errors import ValidationError

TYP = "statuslist+jwt"
MEDIA_TYPE = "application/statuslist+jwt"


def sign_status_list_token(
    signer: Es256Signer, status_list: StatusList, *, uri: str, issuer: str, issued_at: int, ttl: int, expires_at: int
) -> str:
    """`sub` is the list's own URI, the one every credential of the list names in its status claim."""
    claims = {
        "sub": uri,
        "iss": issuer,
        "iat": issued_at,
        "exp": expires_at,
        "ttl": ttl,
        "status_list": status_list.encode(),
    }
    return sign_compact(signer, {"typ": TYP, "kid": signer.kid}, claims)


def verify_status_list_token(
    token: str, issuer_keys: Mapping[str, Any], *, now: int, uri: str | None = None
) -> StatusListToken:
    """ValidationError: status_list_invalid, status_list_expired, status_list_uri_mismatch."""
    claims = _verified_claims(token.strip(), issuer_keys)
    if uri is not None and claims["sub"] != uri:
        raise ValidationError("status_list_uri_mismatch")
    expires_at = claims.get("exp")
    if expires_at is not None and expires_at <= now:
        raise ValidationError("status_list_expired")
    try:
        status_list = StatusList.decode(claims.get("status_list"))
    except StatusListFormatError as error:
        raise ValidationError("status_list_invalid") from error
    return StatusListToken(claims["sub"], claims["iat"], expires_at, claims.get("ttl"), status_list)


def _verified_claims(token: str, issuer_keys: Mapping[str, Any]) -> dict[str, Any]:
    try:
        header = unverified_header(token)
        key = issuer_keys.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
        if header.get("typ") != TYP or header.get("alg") != ALGORITHM or key is None:
            raise ValidationError("status_list_invalid")
        claims = verified_payload(token, key)
    except ValueError as error:
        raise ValidationError("status_list_invalid") from error
    optional_ok = all(_is_int(claims[name]) for name in ("exp", "ttl") if name in claims)
    if not isinstance(claims.get("sub"), str) or not _is_int(claims.get("iat")) or not optional_ok:
        raise ValidationError("status_list_invalid")
    return claims


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
