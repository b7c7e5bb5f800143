"""The dev eID provider's OIDC state machine: one-time codes with PKCE, tokens, ID tokens, userinfo.

All state is in memory behind one lock, because the HTTP server answers on many threads.
"""

import base64
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack import eid_authorize as authz
from devstack.eid_client_auth import JtiLedger, authenticate_client
from devstack.eid_model import CITIZEN_CLAIMS, DemoCitizen, OAuthError, RegisteredClient, citizen_claims
from devstack.eid_pages import picker_page

TOKEN_TTL = 300
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


@dataclass(frozen=True)
class Redirect:
    location: str


@dataclass(frozen=True)
class Page:
    html: str


@dataclass
class _Code:
    request: authz.AuthorizeRequest
    citizen: DemoCitizen
    auth_time: int
    expires_at: float
    used: bool = False
    access_token: str | None = None  # kept so that replaying the code revokes what it bought


@dataclass(frozen=True)
class _Access:
    citizen: DemoCitizen
    expires_at: float


class SigningKey:
    """The provider's RS256 key; its kid is the RFC 7638 thumbprint of the public key."""

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        self.kid = jwk_thumbprint(public)
        self.public_jwk = {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}


def jwk_thumbprint(jwk: Mapping[str, str]) -> str:
    members = {name: jwk[name] for name in ("e", "kty", "n")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")
    return _b64url(hashlib.sha256(canonical).digest())


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def invalid_grant(description: str) -> OAuthError:
    return OAuthError(400, "invalid_grant", description)


class EidProtocol:
    def __init__(
        self,
        issuer: str,
        clients: Mapping[str, RegisteredClient],
        citizens: Iterable[DemoCitizen],
        code_ttl_seconds: int,
        clock: Callable[[], float],
    ) -> None:
        self.issuer = issuer
        self.key = SigningKey()
        self._clients = clients
        self._citizens = {citizen.personal_id: citizen for citizen in citizens}
        self._code_ttl = code_ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, _Access] = {}
        self._jtis = JtiLedger()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256", "RS256", "PS256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "scopes_supported": list(authz.SUPPORTED_SCOPES),
            "claims_supported": ["iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "at_hash", *CITIZEN_CLAIMS],
            "acr_values_supported": ["1", "2"],
        }

    def jwks(self) -> dict:
        return {"keys": [self.key.public_jwk]}

    def authorize(self, params: Mapping[str, list[str]]) -> Redirect | Page:
        redirect_uri = authz.trusted_redirect_uri(params, self._clients)
        state = params.get("state", [None])[0]
        try:
            request = authz.parse_request(params, redirect_uri)
            if request.login_hint is None:
                return Page(picker_page(request.params, tuple(self._citizens.values())))
            code = self._issue_code(request)
        except OAuthError as error:
            return Redirect(authz.error_redirect(redirect_uri, error, state))
        return Redirect(authz.with_query(redirect_uri, {"code": code, "state": request.state}))

    def _issue_code(self, request: authz.AuthorizeRequest) -> str:
        citizen = self._citizens.get(request.login_hint)
        if citizen is None:
            raise OAuthError(400, "login_required", "login_hint is not a known demo citizen")
        now = self._clock()
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_expired(now)
            self._codes[code] = _Code(request, citizen, int(now), now + self._code_ttl)
        return code

    def _forget_expired(self, now: float) -> None:
        # Redeemed codes outlive their TTL as long as their token does, so a replay can revoke it.
        self._codes = {c: g for c, g in self._codes.items() if g.expires_at + TOKEN_TTL >= now}
        self._access = {t: a for t, a in self._access.items() if a.expires_at >= now}

    def token(self, form: Mapping[str, str], authorization: str | None) -> dict:
        audiences = (f"{self.issuer}/token", self.issuer)
        client = authenticate_client(form, authorization, self._clients, audiences, self._clock(), self._jtis)
        if form.get("grant_type") != "authorization_code":
            raise OAuthError(400, "unsupported_grant_type", "only authorization_code is supported")
        if not all(form.get(name) for name in ("code", "redirect_uri", "code_verifier")):
            raise OAuthError(400, "invalid_request", "code, redirect_uri and code_verifier are required")
        grant, access_token = self._redeem(form, client.client_id)
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_TTL,
            "id_token": self._id_token(grant, access_token),
            "scope": grant.request.scope,
        }

    def _redeem(self, form: Mapping[str, str], client_id: str) -> tuple[_Code, str]:
        now = self._clock()
        with self._lock:
            grant = self._codes.get(form["code"])
            if grant is None:
                raise invalid_grant("unknown authorization code")
            if grant.used:
                self._access.pop(grant.access_token or "", None)
                raise invalid_grant("authorization code was already used; its tokens are revoked")
            # Spent on first presentation, even a failed one, so a verifier cannot be guessed.
            grant.used = True
            _check_grant(grant, client_id, form, now)
            grant.access_token = secrets.token_urlsafe(32)
            self._access[grant.access_token] = _Access(grant.citizen, now + TOKEN_TTL)
        return grant, grant.access_token

    def _id_token(self, grant: _Code, access_token: str) -> str:
        now = int(self._clock())
        claims = {
            "iss": self.issuer,
            "aud": grant.request.client_id,
            "iat": now,
            "exp": now + TOKEN_TTL,
            "auth_time": grant.auth_time,
            "nonce": grant.request.nonce,
            "acr": grant.citizen.level,
            "at_hash": _b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16]),
            **citizen_claims(grant.citizen),
        }
        return jwt.encode(claims, self.key.private_key, algorithm="RS256", headers={"kid": self.key.kid})

    def userinfo(self, authorization: str | None) -> dict:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            # RFC 6750 section 3.1: no error code when the request carried no token at all.
            raise OAuthError(
                401,
                "invalid_request",
                "a Bearer access token is required",
                {"WWW-Authenticate": 'Bearer realm="dev-eid"'},
            )
        with self._lock:
            access = self._access.get(token.strip())
        if access is None or access.expires_at < self._clock():
            raise OAuthError(
                401,
                "invalid_token",
                "the access token is unknown, expired or revoked",
                {"WWW-Authenticate": 'Bearer realm="dev-eid", error="invalid_token"'},
            )
        return citizen_claims(access.citizen)


def _check_grant(grant: _Code, client_id: str, form: Mapping[str, str], now: float) -> None:
    if now > grant.expires_at:
        raise invalid_grant("authorization code has expired")
    if grant.request.client_id != client_id:
        raise invalid_grant("authorization code was issued to another client")
    if grant.request.redirect_uri != form["redirect_uri"]:
        raise invalid_grant("redirect_uri differs from the one in the authorization request")
    verifier = form["code_verifier"]
    if not _VERIFIER.fullmatch(verifier):
        raise invalid_grant("code_verifier must be 43-128 characters of [A-Za-z0-9-._~]")
    challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    if not secrets.compare_digest(challenge, grant.request.code_challenge):
        raise invalid_grant("code_verifier does not match the code_challenge")
