"""Our access tokens: ES256 JWTs signed inside KMS (the private key never leaves it) and verified
locally against public keys cached per container, so the request path makes no KMS call."""

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import jwt
from botocore.exceptions import BotoCoreError, ClientError
from cryptography.hazmat.primitives.serialization import load_der_public_key
from jwt.algorithms import ECAlgorithm

from chalicelib.adapters.jws import b64url, is_canonical_signature, sign_with_kms
from chalicelib.errors import AuthenticationError, ServiceUnavailableError

_ALGORITHM = "ES256"
_REQUIRED_CLAIMS = ["iss", "aud", "sub", "sid", "loa", "iat", "exp", "jti"]


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: the key's own fingerprint makes a kid that cannot drift from the key."""
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")
    return b64url(hashlib.sha256(canonical).digest())


class KmsPublicKeys:
    """The verifying keys by kid, fetched from KMS at most once per TTL per container."""

    def __init__(
        self,
        kms_client: Any,
        key_ids: tuple[str, ...],
        ttl_seconds: int = 300,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._kms, self._key_ids, self._ttl, self._clock = kms_client, key_ids, ttl_seconds, clock
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[Any, dict[str, Any]]] = {}
        self._fetched_at = float("-inf")

    def by_kid(self) -> dict[str, tuple[Any, dict[str, Any]]]:
        """kid -> (public key object, public JWK)."""
        with self._lock:
            if self._clock() - self._fetched_at >= self._ttl:
                self._keys = dict(self._fetch(key_id) for key_id in self._key_ids)
                self._fetched_at = self._clock()
            return self._keys

    def jwks(self) -> dict[str, Any]:
        return {"keys": [jwk for _, jwk in self.by_kid().values()]}

    def kid_of(self, key_id: str) -> str:
        """The mapping keeps the order of key_ids, so the n-th kid belongs to the n-th key id."""
        return list(self.by_kid())[self._key_ids.index(key_id)]

    def _fetch(self, key_id: str) -> tuple[str, tuple[Any, dict[str, Any]]]:
        try:
            der = self._kms.get_public_key(KeyId=key_id)["PublicKey"]
        except (ClientError, BotoCoreError) as error:
            raise ServiceUnavailableError("signing_keys_unavailable") from error
        public_key = load_der_public_key(der)
        jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
        kid = jwk_thumbprint(jwk)
        jwk.update({"kid": kid, "use": "sig", "alg": _ALGORITHM})
        return kid, (public_key, jwk)


class KmsAccessTokenSigner:
    def __init__(self, kms_client: Any, key_id: str, public_keys: KmsPublicKeys):
        self._kms, self._key_id, self._public_keys = kms_client, key_id, public_keys

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": _ALGORITHM, "typ": "at+jwt", "kid": self._public_keys.kid_of(self._key_id)}
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode("utf-8")) for part in (header, claims)
        )
        return f"{signing_input}.{b64url(sign_with_kms(self._kms, self._key_id, signing_input.encode('ascii')))}"


class AccessTokenVerifier:
    """Citizen tokens by default; agency tokens pass their own audience and claims (one audience each,
    so a token minted for one kind of caller is never accepted as the other)."""

    def __init__(
        self,
        public_keys: KmsPublicKeys,
        issuer: str,
        audience: str,
        required_claims: tuple[str, ...] = tuple(_REQUIRED_CLAIMS),
    ):
        self._public_keys, self._issuer, self._audience = public_keys, issuer, audience
        self._required = list(required_claims)

    def verify(self, token: str) -> dict[str, Any]:
        if not is_canonical_signature(token):
            raise AuthenticationError("token_invalid")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            entry = self._public_keys.by_kid().get(kid) if isinstance(kid, str) else None
            if entry is None:
                raise AuthenticationError("token_invalid")
            return jwt.decode(
                token,
                entry[0],
                algorithms=[_ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": self._required},
                leeway=5,
            )
        except jwt.ExpiredSignatureError as error:
            raise AuthenticationError("token_expired") from error
        except jwt.PyJWTError as error:
            raise AuthenticationError("token_invalid") from error
