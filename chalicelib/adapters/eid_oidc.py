"""Relying-party side of the national eID (OpenID Connect, code flow + PKCE, private_key_jwt).

The backend is the confidential client: the phone only ever carries the authorization code back;
eID tokens stay here. Network faults become ServiceUnavailableError so the app answers 503.
"""

import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from chalicelib.domain.citizens import EidIdentity
from chalicelib.domain.login import LoginAttempt, code_challenge
from chalicelib.errors import AuthenticationError, ServiceUnavailableError, UpstreamRejectedError

_ID_TOKEN_ALGORITHMS = {"RS256", "PS256", "ES256"}  # asymmetric only: never HMAC beside them
_DISCOVERY_TTL = 3600
_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class OidcEidClient:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_key_pem: Callable[[], str],
        timeout: float = 3.0,
        clock: Callable[[], float] = time.time,
    ):
        self._issuer, self._client_id, self._client_key_pem = issuer.rstrip("/"), client_id, client_key_pem
        self._timeout, self._clock = timeout, clock
        self._lock = threading.Lock()
        self._discovery: dict[str, Any] = {}
        self._discovered_at = float("-inf")
        self._jwks_client: jwt.PyJWKClient | None = None

    def authorization_url(self, attempt: LoginAttempt) -> str:
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self._client_id,
                "redirect_uri": attempt.redirect_uri,
                "scope": "openid profile",
                "state": attempt.state,
                "nonce": attempt.nonce,
                "code_challenge": code_challenge(attempt.code_verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{self._metadata()['authorization_endpoint']}?{query}"

    def exchange(self, code: str, attempt: LoginAttempt) -> EidIdentity:
        token_endpoint = self._metadata()["token_endpoint"]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": attempt.redirect_uri,
            "code_verifier": attempt.code_verifier,
            "client_id": self._client_id,
            "client_assertion_type": _ASSERTION_TYPE,
            "client_assertion": self._client_assertion(token_endpoint),
        }
        answer = self._post_form(token_endpoint, form)
        claims = self._verify_id_token(answer.get("id_token", ""), attempt.nonce)
        return _identity(claims)

    def _client_assertion(self, audience: str) -> str:
        key = load_pem_private_key(self._client_key_pem().encode("ascii"), password=None)
        if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
            raise ServiceUnavailableError("eid_client_misconfigured")
        algorithm = "ES256" if isinstance(key, ec.EllipticCurvePrivateKey) else "PS256"
        now = int(self._clock())
        claims = {
            "iss": self._client_id,
            "sub": self._client_id,
            "aud": audience,
            "jti": secrets.token_urlsafe(16),
            "iat": now,
            "exp": now + 60,
        }
        return jwt.encode(claims, key, algorithm=algorithm)

    def _verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            signing_key = self._jwks().get_signing_key_from_jwt(id_token)
            algorithm = signing_key.algorithm_name
            if algorithm not in _ID_TOKEN_ALGORITHMS:
                raise AuthenticationError("id_token_invalid")
            claims = jwt.decode(
                id_token,
                signing_key.key,
                algorithms=[algorithm],
                audience=self._client_id,
                issuer=self._issuer,
                leeway=30,
                options={"require": ["iss", "aud", "sub", "exp", "iat", "nonce", "acr"]},
            )
        except jwt.PyJWKClientConnectionError as error:
            raise ServiceUnavailableError("eid_unavailable", retry_after=5) from error
        except jwt.PyJWTError as error:
            raise AuthenticationError("id_token_invalid") from error
        if not secrets.compare_digest(str(claims["nonce"]), nonce):
            raise AuthenticationError("id_token_invalid")
        return claims

    def _metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._clock() - self._discovered_at >= _DISCOVERY_TTL:
                self._discovery = self._get_json(f"{self._issuer}/.well-known/openid-configuration")
                self._discovered_at = self._clock()
            return self._discovery

    def _jwks(self) -> jwt.PyJWKClient:
        if self._jwks_client is None:
            self._jwks_client = jwt.PyJWKClient(
                self._metadata()["jwks_uri"], cache_keys=True, lifespan=300, timeout=self._timeout
            )
        return self._jwks_client

    def _get_json(self, url: str) -> dict[str, Any]:
        return self._send(urllib.request.Request(url, headers={"Accept": "application/json"}))

    def _post_form(self, url: str, form: dict[str, str]) -> dict[str, Any]:
        body = urllib.parse.urlencode(form).encode("ascii")
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500:
                raise UpstreamRejectedError("eid_rejected") from error
            raise ServiceUnavailableError("eid_unavailable", retry_after=5) from error
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise ServiceUnavailableError("eid_unavailable", retry_after=5) from error


def _identity(claims: dict[str, Any]) -> EidIdentity:
    level = str(claims.get("acr", ""))
    personal_id = str(claims.get("personal_id", ""))
    if level not in {"1", "2"} or not (personal_id.isdigit() and len(personal_id) == 12):
        raise AuthenticationError("id_token_invalid")
    return EidIdentity(
        subject=str(claims["sub"]),
        personal_id=personal_id,
        full_name=str(claims.get("name", "")),
        birthdate=str(claims.get("birthdate", "")),
        gender=str(claims.get("gender", "")),
        place_of_residence=str(claims.get("place_of_residence", "")),
        level=int(level),
        represents=tuple(str(code) for code in claims.get("represents") or ()),
    )
