"""Compact ES256 JWS pieces shared by our signers: base64url, the signing port with its local and KMS keys,
and KMS's DER signatures turned into the fixed-width r||s that JWS wants (RFC 7518 3.4)."""

import base64
import binascii
import json
from typing import Any, Protocol

import jwt
from botocore.exceptions import BotoCoreError, ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from jwt.algorithms import ECAlgorithm

from chalicelib.errors import ServiceUnavailableError

ALGORITHM = "ES256"
_JWS = jwt.PyJWS(algorithms=[ALGORITHM])


class InvalidJwsError(ValueError):
    """Not a compact JWS that the given key signed with ES256 over a JSON object."""


class Es256Signer(Protocol):
    """Signs a JWS signing input; the private key may never leave its home (KMS, a device)."""

    kid: str

    def sign(self, signing_input: bytes) -> bytes:
        """The raw r||s signature, 64 bytes."""

    def public_jwk(self) -> dict[str, Any]: ...


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict: padding and characters outside the URL-safe alphabet are refused."""
    if "=" in text or "+" in text or "/" in text:
        raise InvalidJwsError()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise InvalidJwsError() from error


def json_part(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def sign_compact(signer: Es256Signer, header: dict[str, Any], payload: dict[str, Any]) -> str:
    signing_input = f"{json_part({'alg': ALGORITHM, **header})}.{json_part(payload)}"
    return f"{signing_input}.{b64url(signer.sign(signing_input.encode('ascii')))}"


def unverified_header(token: str) -> dict[str, Any]:
    """InvalidJwsError when it is not a compact JWS."""
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidJwsError() from error


def verified_payload(token: str, key: Any) -> dict[str, Any]:
    """The JSON object an ES256 signature by `key` covers; InvalidJwsError for anything else (alg pinned)."""
    try:
        payload = json.loads(_JWS.decode_complete(token, key, algorithms=[ALGORITHM])["payload"])
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidJwsError() from error
    if not isinstance(payload, dict):
        raise InvalidJwsError()
    return payload


# The order of P-256: (r, s) and (r, n - s) verify alike, so only the low-S twin is issued and accepted.
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def der_to_raw(der: bytes) -> bytes:
    r, s = decode_dss_signature(der)
    s = min(s, P256_ORDER - s)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def is_canonical_signature(token: str) -> bool:
    """Exactly 64 bytes of unpadded base64url, low S: no re-encoded twin of a signature passes."""
    segment = token.rpartition(".")[2]
    if len(segment) != 86:
        return False
    try:
        raw = b64url_decode(segment)
    except InvalidJwsError:
        return False
    return b64url(raw) == segment and int.from_bytes(raw[32:], "big") <= P256_ORDER // 2


def sign_with_kms(kms_client: Any, key_id: str, signing_input: bytes) -> bytes:
    """KMS answers an ASN.1 DER ECDSA signature; this returns the JWS r||s form."""
    try:
        der = kms_client.sign(KeyId=key_id, Message=signing_input, MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")[
            "Signature"
        ]
    except (ClientError, BotoCoreError) as error:
        raise ServiceUnavailableError("signing_unavailable") from error
    return der_to_raw(der)


def public_jwk_of(public_key: ec.EllipticCurvePublicKey, kid: str) -> dict[str, Any]:
    jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
    jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
    return jwk


class LocalEcSigner:
    """A P-256 key in this process: tests, the benchmark, the holder's side in the verifier's tests."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey, kid: str):
        self._key, self.kid = private_key, kid

    @classmethod
    def generate(cls, kid: str) -> "LocalEcSigner":
        return cls(ec.generate_private_key(ec.SECP256R1()), kid)

    def sign(self, signing_input: bytes) -> bytes:
        return der_to_raw(self._key.sign(signing_input, ec.ECDSA(hashes.SHA256())))

    def public_jwk(self) -> dict[str, Any]:
        return public_jwk_of(self._key.public_key(), self.kid)


class KmsEcSigner:
    """The issuer's key in KMS: the kid is the RFC 7638 thumbprint KmsPublicKeys gives it."""

    def __init__(self, kms_client: Any, key_id: str, public_keys: Any):
        self._kms, self._key_id, self._public_keys = kms_client, key_id, public_keys

    @property
    def kid(self) -> str:
        return self._public_keys.kid_of(self._key_id)

    def sign(self, signing_input: bytes) -> bytes:
        return sign_with_kms(self._kms, self._key_id, signing_input)

    def public_jwk(self) -> dict[str, Any]:
        return self._public_keys.by_kid()[self.kid][1]
