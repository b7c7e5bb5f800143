"""SD-JWT VC (RFC 9901, draft-ietf-oauth-sd-jwt-vc): issuing with a salted Disclosure for every claim,
presenting chosen Disclosures with a Key Binding JWT, and verifying a presentation offline."""

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from chalicelib.adapters.jws import (
    ALGORITHM,
    Es256Signer,
    b64url,
    b64url_decode,
    sign_compact,
    unverified_header,
    verified_payload,
)
from chalicelib.domain.credentials import (
    NOT_CHECKED,
    NOT_REQUIRED,
    OK,
    RESERVED_CLAIMS,
    CredentialStatus,
    CredentialType,
    IssuedCredential,
    VerifiedPresentation,
)
from chalicelib.domain.status_list import StatusListToken
from chalicelib.errors import ValidationError

TYP, KB_TYP, SD_ALG = "dc+sd-jwt", "kb+jwt", "sha-256"
LEEWAY_SECONDS = 30
KB_MAX_AGE_SECONDS = 300
CHECKS = ("signature", "disclosures", "validity", "key_binding", "status")
StatusLookup = Callable[[str, int], int | None]
_STATUS_REASONS = {
    CredentialStatus.VALID: OK,
    CredentialStatus.INVALID: "revoked",
    CredentialStatus.SUSPENDED: "suspended",
}


class _Refused(Exception):
    """One check failed; `code` is its reason."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def issuer_metadata(issuer: str, signers: Iterable[Es256Signer]) -> dict[str, Any]:
    """The body of /.well-known/jwt-vc-issuer: the keys inline, so one fetch gives a verifier all it needs."""
    return {"issuer": issuer, "jwks": {"keys": [signer.public_jwk() for signer in signers]}}


def digest_of(disclosure: str) -> str:
    """RFC 9901 4.2.3: over the ASCII of the base64url Disclosure, not the JSON it encodes."""
    return b64url(hashlib.sha256(disclosure.encode("ascii")).digest())


def make_disclosure(salt: str, name: str, value: Any) -> str:
    return b64url(json.dumps([salt, name, value], ensure_ascii=False).encode("utf-8"))


def issue_credential(
    signer: Es256Signer,
    credential_type: CredentialType,
    claims: dict[str, Any],
    *,
    issuer: str,
    issued_at: int,
    expires_at: int | None,
    status_uri: str,
    status_index: int,
    holder_jwk: dict[str, Any] | None = None,
) -> IssuedCredential:
    """The claims are expected checked already (credentials.check_claims)."""
    sd_jwt = issue_sd_jwt_vc(
        signer,
        claims=claims,
        vct=credential_type.vct,
        issuer=issuer,
        issued_at=issued_at,
        expires_at=expires_at,
        status_uri=status_uri,
        status_index=status_index,
        holder_jwk=holder_jwk,
    )
    return IssuedCredential(
        credential_type.code,
        credential_type.vct,
        issuer,
        issued_at,
        expires_at,
        status_uri,
        status_index,
        holder_jwk is not None,
        sd_jwt,
    )


def issue_sd_jwt_vc(
    signer: Es256Signer,
    *,
    claims: dict[str, Any],
    vct: str,
    issuer: str,
    issued_at: int,
    expires_at: int | None,
    status_uri: str,
    status_index: int,
    holder_jwk: dict[str, Any] | None = None,
    decoys: int | None = None,
) -> str:
    """`<issuer-signed JWT>~<Disclosure>~...~`; decoys default to 1-4, so the digest count hides the claim count."""
    reserved = sorted(set(claims) & RESERVED_CLAIMS)
    if reserved:
        raise ValueError(f"claims {reserved} are not selectively disclosable")
    disclosures = [make_disclosure(secrets.token_urlsafe(16), name, value) for name, value in claims.items()]
    decoy_count = 1 + secrets.randbelow(4) if decoys is None else decoys
    digests = [digest_of(d) for d in disclosures] + [_decoy_digest() for _ in range(decoy_count)]
    payload: dict[str, Any] = {
        "iss": issuer,
        "iat": issued_at,
        "vct": vct,
        "status": {"status_list": {"idx": status_index, "uri": status_uri}},
        "_sd": sorted(digests),
        "_sd_alg": SD_ALG,
    }
    if expires_at is not None:
        payload["exp"] = expires_at
    if holder_jwk is not None:
        payload["cnf"] = {"jwk": public_holder_jwk(holder_jwk)}
    issuer_jwt = sign_compact(signer, {"typ": TYP, "kid": signer.kid}, payload)
    return "~".join([issuer_jwt, *disclosures, ""])


def _decoy_digest() -> str:
    return b64url(hashlib.sha256(secrets.token_bytes(32)).digest())


def public_holder_jwk(jwk: Any) -> dict[str, Any]:
    """Only a P-256 public key, reduced to its RFC 7638 members; a private part is refused, not stripped."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or "d" in jwk:
        raise ValidationError("holder_key_invalid")
    members = {name: jwk.get(name) for name in ("kty", "crv", "x", "y")}
    try:
        ECAlgorithm.from_jwk(members)
    except (jwt.InvalidKeyError, ValueError, TypeError) as error:
        raise ValidationError("holder_key_invalid") from error
    return members


def present_sd_jwt_vc(
    sd_jwt: str,
    disclose: Iterable[str],
    holder: Es256Signer | None = None,
    audience: str | None = None,
    nonce: str | None = None,
    issued_at: int | None = None,
) -> str:
    """Only the chosen claims' Disclosures; with a holder key, a KB-JWT for this audience and nonce."""
    issuer_jwt, disclosures, _ = split_sd_jwt(sd_jwt)
    wanted = set(disclose)
    try:
        names = {d: _decode_disclosure(d)[1] for d in disclosures}
    except _Refused as refused:
        raise ValidationError("sd_jwt_malformed") from refused
    if wanted - set(names.values()):
        raise ValidationError("claim_not_in_credential")
    presented = "~".join([issuer_jwt, *(d for d in disclosures if names[d] in wanted), ""])
    if holder is None:
        return presented
    if not audience or not nonce or issued_at is None:
        raise ValueError(f"a key binding needs audience, nonce, issued_at: got {audience!r}, {nonce!r}, {issued_at!r}")
    kb_payload = {"iat": issued_at, "aud": audience, "nonce": nonce, "sd_hash": digest_of(presented)}
    return presented + sign_compact(holder, {"typ": KB_TYP}, kb_payload)


def split_sd_jwt(text: str) -> tuple[str, list[str], str]:
    """(issuer-signed JWT, Disclosures, KB-JWT or "")."""
    parts = text.strip().split("~")
    if len(parts) < 2 or not parts[0] or any(not part for part in parts[1:-1]):
        raise ValidationError("sd_jwt_malformed")
    return parts[0], parts[1:-1], parts[-1]


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
    except (_Refused, ValidationError) as refused:
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
    except _Refused as refused:
        return None, refused.code
    return result, NOT_REQUIRED if result is NOT_REQUIRED else OK


def verify_issuer_jwt(token: str, issuer_keys: Mapping[str, Any]) -> dict[str, Any]:
    """Explicit typing first (dc+sd-jwt), then ES256 by a key we know; `none` and HMAC never get that far."""
    header = _header(token)
    if header.get("typ") != TYP:
        raise _Refused("format_invalid")
    key = issuer_keys.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if header.get("alg") != ALGORITHM or key is None:
        raise _Refused("signature_invalid")
    payload = _verified_payload(token, key, "signature_invalid")
    well_formed = (
        isinstance(payload.get("iss"), str)
        and isinstance(payload.get("vct"), str)
        and all(_is_int(payload[name]) for name in ("iat", "nbf", "exp") if name in payload)
    )
    if not well_formed or payload.get("_sd_alg", SD_ALG) != SD_ALG:
        raise _Refused("format_invalid")
    return payload


def _header(token: str) -> dict[str, Any]:
    try:
        return unverified_header(token)
    except ValueError as error:
        raise _Refused("format_invalid") from error


def _verified_payload(token: str, key: Any, reason: str) -> dict[str, Any]:
    try:
        return verified_payload(token, key)
    except ValueError as error:
        raise _Refused(reason) from error


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def disclose_claims(payload: dict[str, Any], disclosures: list[str]) -> dict[str, Any]:
    """Each Disclosure must match exactly one digest of the top-level `_sd` and name a claim not seen yet."""
    digests = payload.get("_sd", [])
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        raise _Refused("disclosure_tampered")
    if len(set(digests)) != len(digests) or len(set(disclosures)) != len(disclosures):
        raise _Refused("disclosure_duplicate")
    known, claims = set(digests), {k: v for k, v in payload.items() if k not in RESERVED_CLAIMS}
    for disclosure in disclosures:
        if digest_of(disclosure) not in known:
            raise _Refused("disclosure_tampered")
        _, name, value = _decode_disclosure(disclosure)
        if name in RESERVED_CLAIMS or name in claims:
            raise _Refused("disclosure_tampered")
        claims[name] = value
    return claims


def _decode_disclosure(disclosure: str) -> tuple[str, str, Any]:
    try:
        decoded = json.loads(b64url_decode(disclosure))
    except ValueError as error:
        raise _Refused("disclosure_tampered") from error
    if not (isinstance(decoded, list) and len(decoded) == 3 and all(isinstance(x, str) for x in decoded[:2])):
        raise _Refused("disclosure_tampered")
    return decoded[0], decoded[1], decoded[2]


def check_validity(payload: dict[str, Any], now: int) -> None:
    if "exp" in payload and payload["exp"] <= now - LEEWAY_SECONDS:
        raise _Refused("expired")
    if payload.get("nbf", 0) > now + LEEWAY_SECONDS or payload.get("iat", 0) > now + LEEWAY_SECONDS:
        raise _Refused("not_yet_valid")


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
            raise _Refused("kb_missing")
        return NOT_REQUIRED
    claims = _verified_kb_claims(payload, kb_jwt)
    if claims.get("sd_hash") != digest_of(presented):
        raise _Refused("kb_sd_hash_mismatch")
    if not required:
        return NOT_REQUIRED
    if audience is not None and claims.get("aud") != audience:
        raise _Refused("kb_audience_mismatch")
    if nonce is not None and claims.get("nonce") != nonce:
        raise _Refused("kb_nonce_mismatch")
    issued = claims.get("iat")
    if not _is_int(issued) or not now - max_age - LEEWAY_SECONDS <= issued <= now + LEEWAY_SECONDS:
        raise _Refused("kb_iat_invalid")
    return OK


def _verified_kb_claims(payload: dict[str, Any], kb_jwt: str) -> dict[str, Any]:
    holder = payload.get("cnf", {}).get("jwk") if isinstance(payload.get("cnf"), dict) else None
    if not isinstance(holder, dict):
        raise _Refused("holder_key_missing")
    try:
        key = ECAlgorithm.from_jwk(public_holder_jwk(holder))
    except ValidationError as error:
        raise _Refused("holder_key_missing") from error
    try:
        header = unverified_header(kb_jwt)
    except ValueError as error:
        raise _Refused("kb_signature_invalid") from error
    if header.get("typ") != KB_TYP or header.get("alg") != ALGORITHM:
        raise _Refused("kb_signature_invalid")
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
        raise _Refused("status_unknown")
    if isinstance(status, StatusListToken):
        value = status.status_of(reference["uri"], reference["idx"], now)
    else:
        value = status(reference["uri"], reference["idx"])
    if value not in _STATUS_REASONS:
        raise _Refused("status_unknown")
    return CredentialStatus(value)
