"""Verifying an SD-JWT VC presentation offline (RFC 9901): issuer signature, Disclosures, validity, Key Binding
JWT and Token Status List, each reported as a checked fact with a reason code."""

from collections.abc import Callable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from chalicelib.adapters.jws import (
    ALGORITHM,
    unverified_header,
    verified_payload,
)
from chalicelib.adapters.sd_jwt_vc import (
    KB_TYP,
    LEEWAY_SECONDS,
    SD_ALG,
    TYP,
    CheckRefused,
    decode_disclosure,
    digest_of,
    public_holder_jwk,
    split_sd_jwt,
)
from chalicelib.domain.credentials import (
    NOT_CHECKED,
    NOT_REQUIRED,
    OK,
    RESERVED_CLAIMS,
    CredentialStatus,
    VerifiedPresentation,
)
from chalicelib.domain.status_list import StatusListToken
from chalicelib.errors import ValidationError

KB_MAX_AGE_SECONDS = 300
CHECKS = ("signature", "disclosures", "validity", "key_binding", "status")
StatusLookup = Callable[[str, int], int | None]
_STATUS_REASONS = {
    CredentialStatus.VALID: OK,
    CredentialStatus.INVALID: "revoked",
    CredentialStatus.SUSPENDED: "suspended",
}


def load_issuer_keys(jwks: Any) -> dict[str, ec.EllipticCurvePublicKey]:
    """kid -> key for the ES256 keys of a JWKS; anything else in it is ignored, never trusted."""
    keys = {}
    for jwk in (jwks or {}).get("keys", []) if isinstance(jwks, dict) else []:
        usable = isinstance(jwk, dict) and isinstance(jwk.get("kid"), str) and "d" not in jwk
        if usable and jwk.get("crv") == "P-256" and jwk.get("alg", ALGORITHM) == ALGORITHM:
            keys[jwk["kid"]] = ECAlgorithm.from_jwk(jwk)
    return keys


def verify_presentation(
    presentation: str,
    issuer_keys: Mapping[str, Any],
    *,
    status: StatusLookup | StatusListToken | None,
    now: int,
    audience: str | None = None,
    nonce: str | None = None,
    kb_max_age: int = KB_MAX_AGE_SECONDS,
) -> VerifiedPresentation:
    """Key binding is required when an audience or nonce is expected (the verifier's policy, not the holder's)."""
    checks = dict.fromkeys(CHECKS, NOT_CHECKED)
    try:
        issuer_jwt, disclosures, kb_jwt = split_sd_jwt(presentation)
        payload = verify_issuer_jwt(issuer_jwt, issuer_keys)
    except (CheckRefused, ValidationError) as refused:
        checks["signature"] = "signature_invalid" if refused.code == "signature_invalid" else "format_invalid"
        return VerifiedPresentation(None, None, {}, False, checks)
    checks["signature"] = OK
    claims, checks["disclosures"] = _outcome(lambda: disclose_claims(payload, disclosures))
    checks["validity"] = _outcome(lambda: check_validity(payload, now))[1]
    bound = "~".join([issuer_jwt, *disclosures, ""])
    checks["key_binding"] = _outcome(
        lambda: check_key_binding(payload, bound, kb_jwt, audience, nonce, now, kb_max_age)
    )[1]
    credential_status, checks["status"] = _outcome(lambda: check_status(payload, status, now))
    if credential_status is not None:
        checks["status"] = _STATUS_REASONS[credential_status]
    valid = all(value in (OK, NOT_REQUIRED) for value in checks.values())
    return VerifiedPresentation(
        payload["iss"], payload["vct"], claims or {}, valid, checks, credential_status, payload.get("exp")
    )


def _outcome(check: Callable[[], Any]) -> tuple[Any, str]:
    try:
        result = check()
    except CheckRefused as refused:
        return None, refused.code
    return result, NOT_REQUIRED if result is NOT_REQUIRED else OK


def verify_issuer_jwt(token: str, issuer_keys: Mapping[str, Any]) -> dict[str, Any]:
    """Explicit typing first (dc+sd-jwt), then ES256 by a key we know; `none` and HMAC never get that far."""
    header = _header(token)
    if header.get("typ") != TYP:
        raise CheckRefused("format_invalid")
    key = issuer_keys.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if header.get("alg") != ALGORITHM or key is None:
        raise CheckRefused("signature_invalid")
    payload = _verified_payload(token, key, "signature_invalid")
    well_formed = (
        isinstance(payload.get("iss"), str)
        and isinstance(payload.get("vct"), str)
        and all(_is_int(payload[name]) for name in ("iat", "nbf", "exp") if name in payload)
    )
    if not well_formed or payload.get("_sd_alg", SD_ALG) != SD_ALG:
        raise CheckRefused("format_invalid")
    return payload


def _header(token: str) -> dict[str, Any]:
    try:
        return unverified_header(token)
    except ValueError as error:
        raise CheckRefused("format_invalid") from error


def _verified_payload(token: str, key: Any, reason: str) -> dict[str, Any]:
    try:
        return verified_payload(token, key)
    except ValueError as error:
        raise CheckRefused(reason) from error


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def disclose_claims(payload: dict[str, Any], disclosures: list[str]) -> dict[str, Any]:
    """Each Disclosure must match exactly one digest of the top-level `_sd` and name a claim not seen yet."""
    digests = payload.get("_sd", [])
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        raise CheckRefused("disclosure_tampered")
    if len(set(digests)) != len(digests) or len(set(disclosures)) != len(disclosures):
        raise CheckRefused("disclosure_duplicate")
    known, claims = set(digests), {k: v for k, v in payload.items() if k not in RESERVED_CLAIMS}
    for disclosure in disclosures:
        if digest_of(disclosure) not in known:
            raise CheckRefused("disclosure_tampered")
        _, name, value = decode_disclosure(disclosure)
        if name in RESERVED_CLAIMS or name in claims:
            raise CheckRefused("disclosure_tampered")
        claims[name] = value
    return claims


def check_validity(payload: dict[str, Any], now: int) -> None:
    if "exp" in payload and payload["exp"] <= now - LEEWAY_SECONDS:
        raise CheckRefused("expired")
    if payload.get("nbf", 0) > now + LEEWAY_SECONDS or payload.get("iat", 0) > now + LEEWAY_SECONDS:
        raise CheckRefused("not_yet_valid")


def check_key_binding(
    payload: dict[str, Any],
    presented: str,
    kb_jwt: str,
    audience: str | None,
    nonce: str | None,
    now: int,
    max_age: int,
) -> Any:
    """A KB-JWT that is present is always checked; audience, nonce and age only when the verifier asks."""
    required = audience is not None or nonce is not None
    if not kb_jwt:
        if required:
            raise CheckRefused("kb_missing")
        return NOT_REQUIRED
    claims = _verified_kb_claims(payload, kb_jwt)
    if claims.get("sd_hash") != digest_of(presented):
        raise CheckRefused("kb_sd_hash_mismatch")
    if not required:
        return NOT_REQUIRED
    if audience is not None and claims.get("aud") != audience:
        raise CheckRefused("kb_audience_mismatch")
    if nonce is not None and claims.get("nonce") != nonce:
        raise CheckRefused("kb_nonce_mismatch")
    issued = claims.get("iat")
    if not _is_int(issued) or not now - max_age - LEEWAY_SECONDS <= issued <= now + LEEWAY_SECONDS:
        raise CheckRefused("kb_iat_invalid")
    return OK


def _verified_kb_claims(payload: dict[str, Any], kb_jwt: str) -> dict[str, Any]:
    holder = payload.get("cnf", {}).get("jwk") if isinstance(payload.get("cnf"), dict) else None
    if not isinstance(holder, dict):
        raise CheckRefused("holder_key_missing")
    try:
        key = ECAlgorithm.from_jwk(public_holder_jwk(holder))
    except ValidationError as error:
        raise CheckRefused("holder_key_missing") from error
    try:
        header = unverified_header(kb_jwt)
    except ValueError as error:
        raise CheckRefused("kb_signature_invalid") from error
    if header.get("typ") != KB_TYP or header.get("alg") != ALGORITHM:
        raise CheckRefused("kb_signature_invalid")
    return _verified_payload(kb_jwt, key, "kb_signature_invalid")


def check_status(payload: dict[str, Any], status: StatusLookup | StatusListToken | None, now: int) -> CredentialStatus:
    """Unknown when no list was given, the list is stale or another one, or the value is application-specific."""
    reference = payload.get("status", {}).get("status_list") if isinstance(payload.get("status"), dict) else None
    if (
        not isinstance(reference, dict)
        or not isinstance(reference.get("uri"), str)
        or not _is_int(reference.get("idx"))
        or status is None
    ):
        raise CheckRefused("status_unknown")
    if isinstance(status, StatusListToken):
        value = status.status_of(reference["uri"], reference["idx"], now)
    else:
        value = status(reference["uri"], reference["idx"])
    if value not in _STATUS_REASONS:
        raise CheckRefused("status_unknown")
    return CredentialStatus(value)
