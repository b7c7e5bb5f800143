"""SD-JWT VC (RFC 9901, draft-ietf-oauth-sd-jwt-vc): issuing with a salted Disclosure for every claim,
presenting chosen Disclosures with a Key Binding JWT. Verifying a presentation: sd_jwt_verify.py."""

import hashlib
import json
import secrets
from collections.abc import Iterable
from typing import Any

import jwt
from jwt.algorithms import ECAlgorithm

from chalicelib.adapters.jws import (
    Es256Signer,
    b64url,
    b64url_decode,
    sign_compact,
)
from chalicelib.domain.credentials import (
    RESERVED_CLAIMS,
    CredentialType,
    IssuedCredential,
)
from chalicelib.errors import ValidationError

TYP, KB_TYP, SD_ALG = "dc+sd-jwt", "kb+jwt", "sha-256"
LEEWAY_SECONDS = 30


class CheckRefused(Exception):
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


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace."""
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    return b64url(hashlib.sha256(json.dumps(members, separators=(",", ":")).encode("utf-8")).digest())


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
        names = {d: decode_disclosure(d)[1] for d in disclosures}
    except CheckRefused as refused:
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


def decode_disclosure(disclosure: str) -> tuple[str, str, Any]:
    try:
        decoded = json.loads(b64url_decode(disclosure))
    except ValueError as error:
        raise CheckRefused("disclosure_tampered") from error
    if not (isinstance(decoded, list) and len(decoded) == 3 and all(isinstance(x, str) for x in decoded[:2])):
        raise CheckRefused("disclosure_tampered")
    return decoded[0], decoded[1], decoded[2]
