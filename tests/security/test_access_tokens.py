"""Forged, tampered, expired and confused access tokens are all refused with 401 problem+json."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from chalicelib import wiring


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _me(api, token: str):
    return api.get("/v1/me", headers={"Authorization": f"Bearer {token}"})


def _assert_refused(answer, code="token_invalid"):
    assert answer.status_code == 401, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_genuine_token_works(api, an):
    assert _me(api, an.access_token).status_code == 200


def test_access_token_claims_and_header(api, an):
    header = jwt.get_unverified_header(an.access_token)
    claims = _claims_of(an.access_token)
    assert header["alg"] == "ES256" and header["kid"]
    assert set(claims) == {"iss", "aud", "sub", "sid", "loa", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] <= 600
    assert not claims["sub"].isdigit()  # an opaque id, never the personal ID number


def test_tampered_payload_is_refused(api, an):
    header, payload, signature = an.access_token.split(".")
    claims = _claims_of(an.access_token)
    claims["loa"] = 3
    _assert_refused(_me(api, ".".join([header, _b64(json.dumps(claims).encode()), signature])))


def test_expired_token_is_refused(api, an):
    claims = {**_claims_of(an.access_token), "iat": int(time.time()) - 1300, "exp": int(time.time()) - 700}
    _assert_refused(_me(api, wiring.token_signer().sign(claims)), code="token_expired")


def test_wrong_audience_is_refused(api, an):
    claims = {**_claims_of(an.access_token), "aud": "some-other-api"}
    _assert_refused(_me(api, wiring.token_signer().sign(claims)))


def test_alg_none_is_refused(api, an):
    header = {"alg": "none", "typ": "JWT", "kid": jwt.get_unverified_header(an.access_token)["kid"]}
    token = f"{_b64(json.dumps(header).encode())}.{an.access_token.split('.')[1]}."
    _assert_refused(_me(api, token))


def test_hs256_signed_with_the_public_key_is_refused(api, an):
    """The classic key-confusion attack: HMAC keyed with our (public) verification key."""
    kid = jwt.get_unverified_header(an.access_token)["kid"]
    public_pem = wiring.public_keys().by_kid()[kid][0].public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = an.access_token.split(".")[1]
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    _assert_refused(_me(api, f"{header}.{payload}.{_b64(signature)}"))


@pytest.mark.parametrize("kid", ["unknown-kid", None])
def test_token_signed_by_another_key_is_refused(api, an, kid):
    own_key = ec.generate_private_key(ec.SECP256R1())
    headers = {"kid": kid} if kid else {"kid": jwt.get_unverified_header(an.access_token)["kid"]}
    forged = jwt.encode(_claims_of(an.access_token), own_key, algorithm="ES256", headers=headers)
    _assert_refused(_me(api, forged))


@pytest.mark.parametrize("authorization", ["", "Bearer", "Bearer ", "Basic abc", "Bearer not.a.jwt", "Bearer a.b"])
def test_missing_or_garbage_authorization_is_refused(api, authorization):
    answer = api.get("/v1/me", headers={"Authorization": authorization} if authorization else {})
    assert answer.status_code == 401
    assert answer.json()["code"] in {"unauthenticated", "token_invalid"}


def test_jwks_publishes_the_verifying_key(api, an):
    keys = api.get("/.well-known/jwks.json").json()["keys"]
    kid = jwt.get_unverified_header(an.access_token)["kid"]
    jwk = next(k for k in keys if k["kid"] == kid)
    assert jwk["kty"] == "EC" and jwk["alg"] == "ES256" and "d" not in jwk
    verified = jwt.decode(an.access_token, jwt.PyJWK(jwk).key, algorithms=["ES256"], audience="citizen-app")
    assert verified["sid"]
