"""The dev eID provider over real HTTP: discovery, the code flow with PKCE and private_key_jwt, errors."""

import base64
import hashlib
import json
import secrets
import time
import unicodedata
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devstack.eid_provider import DEMO_CITIZENS, DemoCitizen, LocalEidProvider, RegisteredClient

CLIENT_ID = "citizen-app-backend"
REDIRECT_URI = "https://app.example.vn/auth/callback"
APP_REDIRECT_URI = "citizenapp://auth/callback"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
AN, BINH, CUONG = DEMO_CITIZENS
EXPECTED_DISCOVERY = {
    "issuer": None,
    "authorization_endpoint": None,
    "token_endpoint": None,
    "userinfo_endpoint": None,
    "jwks_uri": None,
    "response_types_supported": ["code"],
    "grant_types_supported": ["authorization_code"],
    "code_challenge_methods_supported": ["S256"],
    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
    "id_token_signing_alg_values_supported": ["RS256"],
    "acr_values_supported": ["1", "2"],
}


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _public_jwk(private_key, kid: str) -> dict:
    algorithm = (
        jwt.algorithms.ECAlgorithm
        if isinstance(private_key, ec.EllipticCurvePrivateKey)
        else jwt.algorithms.RSAAlgorithm
    )
    return {**algorithm.to_jwk(private_key.public_key(), as_dict=True), "kid": kid}


@pytest.fixture(scope="module")
def client_key():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def provider(client_key, clock):
    client = RegisteredClient(CLIENT_ID, _public_jwk(client_key, "app-key-1"), (REDIRECT_URI, APP_REDIRECT_URI))
    started = LocalEidProvider([client], clock=clock).start()
    yield started
    started.stop()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize(provider, challenge: str, **overrides) -> requests.Response:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile",
        "state": "st-123",
        "nonce": "n-456",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **overrides,
    }
    params = {name: value for name, value in params.items() if value is not None}
    return requests.get(f"{provider.issuer}/authorize", params=params, allow_redirects=False)


def redirect_params(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def make_assertion(provider, key, alg: str = "ES256", now: float | None = None, **claims) -> str:
    now = int(time.time() if now is None else now)
    payload = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": f"{provider.issuer}/token",
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
        **claims,
    }
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=alg)


def redeem(provider, code: str, verifier: str, assertion: str, auth=None, **overrides) -> requests.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
        **overrides,
    }
    form = {name: value for name, value in form.items() if value is not None}
    return requests.post(f"{provider.issuer}/token", data=form, auth=auth)


def login_code(provider, citizen: DemoCitizen = AN, **overrides) -> tuple[str, str]:
    verifier, challenge = pkce_pair()
    response = authorize(provider, challenge, login_hint=citizen.personal_id, **overrides)
    return redirect_params(response)["code"], verifier


def assert_invalid_client(response: requests.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_client"


def assert_invalid_grant(response: requests.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_grant"


def test_discovery_document_advertises_the_endpoints_and_only_private_key_jwt(provider):
    doc = requests.get(f"{provider.issuer}/.well-known/openid-configuration").json()

    base = f"http://127.0.0.1:{provider.port}"
    assert provider.issuer == base
    assert {name: doc[name] for name in EXPECTED_DISCOVERY} == {
        **EXPECTED_DISCOVERY,
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks",
    }
    assert {"personal_id", "represents", "acr", "nonce"} <= set(doc["claims_supported"])


def test_jwks_key_is_rs256_with_its_rfc7638_thumbprint_as_kid(provider):
    (key,) = requests.get(f"{provider.issuer}/jwks").json()["keys"]

    canonical = json.dumps({"e": key["e"], "kty": "RSA", "n": key["n"]}, separators=(",", ":"))
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest())
    assert key["kid"] == thumbprint.rstrip(b"=").decode()
    assert (key["kty"], key["use"], key["alg"]) == ("RSA", "sig", "RS256")
    assert "d" not in key


def citizen_claims(citizen: DemoCitizen) -> dict:
    return {
        "sub": citizen.sub,
        "personal_id": citizen.personal_id,
        "name": citizen.full_name,
        "birthdate": citizen.birthdate,
        "gender": citizen.gender,
        "place_of_residence": citizen.place_of_residence,
        "represents": list(citizen.represents),
    }


def verified_id_token(provider, id_token: str) -> dict:
    signing_key = jwt.PyJWKClient(f"{provider.issuer}/jwks").get_signing_key_from_jwt(id_token)
    assert jwt.get_unverified_header(id_token)["kid"] == signing_key.key_id
    return jwt.decode(id_token, signing_key.key, algorithms=["RS256"], audience=CLIENT_ID, issuer=provider.issuer)


@pytest.mark.parametrize("citizen", DEMO_CITIZENS, ids=lambda c: c.personal_id)
def test_code_flow_issues_a_verifiable_id_token_and_userinfo(provider, client_key, citizen):
    verifier, challenge = pkce_pair()
    params = redirect_params(authorize(provider, challenge, login_hint=citizen.personal_id))
    assert params["state"] == "st-123"

    response = redeem(provider, params["code"], verifier, make_assertion(provider, client_key))
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    tokens = response.json()
    assert (tokens["token_type"], tokens["expires_in"]) == ("Bearer", 300)
    claims = verified_id_token(provider, tokens["id_token"])
    assert (claims["nonce"], claims["acr"]) == ("n-456", citizen.level)
    assert claims["exp"] == claims["iat"] + 300 and citizen.personal_id not in claims["sub"]
    assert {name: claims[name] for name in citizen_claims(citizen)} == citizen_claims(citizen)

    userinfo = requests.get(
        f"{provider.issuer}/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert userinfo.status_code == 200
    assert userinfo.json() == citizen_claims(citizen)


def test_demo_citizens_are_as_agreed_with_opaque_subjects_and_nfc_text():
    assert [(c.personal_id, c.level, c.represents) for c in DEMO_CITIZENS] == [
        ("001090000001", "2", ()),
        ("001190000002", "2", ("0109123458",)),
        ("001095000003", "1", ()),
    ]
    assert len({c.sub for c in DEMO_CITIZENS}) == 3
    assert all(c.sub.startswith("vneid-") and len(c.sub) == 30 for c in DEMO_CITIZENS)
    assert all(unicodedata.is_normalized("NFC", c.full_name + c.place_of_residence) for c in DEMO_CITIZENS)


def test_custom_scheme_redirect_uri_keeps_its_scheme(provider):
    _, challenge = pkce_pair()
    response = authorize(provider, challenge, redirect_uri=APP_REDIRECT_URI, login_hint=AN.personal_id)

    location = response.headers["Location"]
    assert location.startswith(f"{APP_REDIRECT_URI}?")
    assert set(redirect_params(response)) == {"code", "state"}


def test_picker_page_lists_the_citizens_in_nfc_with_masked_ids(provider):
    _, challenge = pkce_pair()
    response = authorize(provider, challenge)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode("utf-8")
    assert unicodedata.is_normalized("NFC", page)
    for citizen in DEMO_CITIZENS:
        assert unicodedata.normalize("NFC", citizen.full_name) in page
    assert "0010*****001" in page and "Tài khoản mức độ 2" in page


def test_picker_page_escapes_what_the_request_and_citizen_data_carry(client_key):
    odd = DemoCitizen("001090000009", "<b>Tom & Jerry</b>", "1990-01-01", "male", "Hà Nội", "1")
    client = RegisteredClient(CLIENT_ID, _public_jwk(client_key, "k"), (REDIRECT_URI,))
    provider = LocalEidProvider([client], citizens=[odd]).start()
    try:
        _, challenge = pkce_pair()
        page = authorize(provider, challenge, state='"><script>alert(1)</script>').text
    finally:
        provider.stop()
    assert "<script>" not in page and "<b>Tom" not in page
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in page


def test_picker_links_log_the_chosen_citizen_in(provider):
    verifier, challenge = pkce_pair()
    page = authorize(provider, challenge).text
    href = page.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")

    response = requests.get(f"{provider.issuer}{href}", allow_redirects=False)
    assert parse_qs(urlsplit(href).query)["login_hint"] == [AN.personal_id]
    assert "code" in redirect_params(response)


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "someone-else"},
        {"client_id": None},
        {"redirect_uri": REDIRECT_URI + "/"},
        {"redirect_uri": "https://evil.example/cb"},
    ],
)
def test_unknown_client_or_redirect_uri_gets_a_400_never_a_redirect(provider, overrides):
    _, challenge = pkce_pair()
    response = authorize(provider, challenge, login_hint=AN.personal_id, **overrides)

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.json()["error"] in ("invalid_client", "invalid_request")


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"login_hint": "999999999999"}, "login_required"),
    ],
)
def test_request_errors_go_back_to_the_redirect_uri_with_state(provider, overrides, error):
    _, challenge = pkce_pair()
    params = redirect_params(authorize(provider, challenge, **{"login_hint": AN.personal_id, **overrides}))
    assert params["error"] == error
    assert params["state"] == "st-123"
    assert "code" not in params


def test_missing_state_is_an_error_redirect_without_state(provider):
    _, challenge = pkce_pair()
    params = redirect_params(authorize(provider, challenge, state=None, login_hint=AN.personal_id))
    assert params["error"] == "invalid_request"
    assert "state" not in params and "code" not in params


@pytest.mark.parametrize("case", ["wrong-verifier", "short-verifier", "other-redirect-uri", "expired"])
def test_code_that_does_not_match_its_request_is_invalid_grant(provider, client_key, clock, case):
    code, verifier = login_code(provider)
    overrides = {
        "wrong-verifier": {"code_verifier": pkce_pair()[0]},
        "short-verifier": {"code_verifier": verifier[:42]},
        "other-redirect-uri": {"redirect_uri": APP_REDIRECT_URI},
    }.get(case, {})
    if case == "expired":
        clock.now += 61
    assertion = make_assertion(provider, client_key, now=clock.now)
    assert_invalid_grant(redeem(provider, code, verifier, assertion, **overrides))


def test_reused_code_is_refused_and_revokes_the_first_access_token(provider, client_key):
    code, verifier = login_code(provider)
    first = redeem(provider, code, verifier, make_assertion(provider, client_key))
    assert first.status_code == 200

    assert_invalid_grant(redeem(provider, code, verifier, make_assertion(provider, client_key)))
    userinfo = requests.get(
        f"{provider.issuer}/userinfo", headers={"Authorization": f"Bearer {first.json()['access_token']}"}
    )
    assert userinfo.status_code == 401


@pytest.mark.parametrize(
    "form, auth",
    [
        ({"client_assertion_type": None, "client_assertion": None, "client_secret": "hunter2"}, None),
        ({"client_assertion_type": None, "client_assertion": None}, None),
        ({}, (CLIENT_ID, "hunter2")),
        ({"client_id": "someone-else"}, None),
    ],
    ids=["client_secret_post", "no-authentication", "basic-with-valid-assertion", "client_id-not-the-assertion-issuer"],
)
def test_only_private_key_jwt_authenticates_a_client(provider, client_key, form, auth):
    code, verifier = login_code(provider)
    response = redeem(
        provider, code, verifier, make_assertion(provider, client_key), auth=auth, **{"client_id": CLIENT_ID, **form}
    )
    assert_invalid_client(response)


def unsigned_assertion(provider) -> str:
    claims = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": f"{provider.issuer}/token",
        "exp": int(time.time()) + 60,
        "jti": secrets.token_urlsafe(8),
    }
    parts = [
        base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=").decode()
        for p in ({"alg": "none", "typ": "JWT"}, claims)
    ]
    return ".".join(parts) + "."


BAD_ASSERTIONS = {
    "wrong-aud": lambda p, k: make_assertion(p, k, aud="https://other-provider.example/token"),
    "expired": lambda p, k: make_assertion(p, k, exp=int(time.time()) - 5),
    "too-long-lived": lambda p, k: make_assertion(p, k, exp=int(time.time()) + 3600),
    "no-exp": lambda p, k: make_assertion(p, k, exp=None),
    "no-jti": lambda p, k: make_assertion(p, k, jti=None),
    "sub-not-client": lambda p, k: make_assertion(p, k, sub="someone-else"),
    "unknown-iss": lambda p, k: make_assertion(p, k, iss="someone-else"),
    "hs256": lambda p, k: make_assertion(p, secrets.token_bytes(32), alg="HS256"),
    "another-key": lambda p, k: make_assertion(p, ec.generate_private_key(ec.SECP256R1())),
    "alg-none": lambda p, k: unsigned_assertion(p),
}


@pytest.mark.parametrize("build", BAD_ASSERTIONS.values(), ids=BAD_ASSERTIONS.keys())
def test_bad_client_assertions_are_invalid_client(provider, client_key, build):
    code, verifier = login_code(provider)
    assert_invalid_client(redeem(provider, code, verifier, build(provider, client_key)))


def test_assertion_addressed_to_the_issuer_is_accepted(provider, client_key):
    code, verifier = login_code(provider)
    response = redeem(provider, code, verifier, make_assertion(provider, client_key, aud=provider.issuer))
    assert response.status_code == 200, response.text


def test_replayed_jti_is_invalid_client(provider, client_key):
    assertion = make_assertion(provider, client_key)
    code, verifier = login_code(provider)
    assert redeem(provider, code, verifier, assertion).status_code == 200

    second_code, second_verifier = login_code(provider)
    assert_invalid_client(redeem(provider, second_code, second_verifier, assertion))


def test_rsa_client_may_authenticate_with_ps256(clock):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = RegisteredClient(CLIENT_ID, _public_jwk(rsa_key, "rsa-1"), (REDIRECT_URI,))
    provider = LocalEidProvider([client], clock=clock).start()
    try:
        code, verifier = login_code(provider, CUONG)
        response = redeem(provider, code, verifier, make_assertion(provider, rsa_key, alg="PS256"))
    finally:
        provider.stop()
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("authorization, error", [(None, None), ("Bearer forged", "invalid_token")])
def test_userinfo_without_a_valid_token_is_401_with_www_authenticate(provider, authorization, error):
    headers = {"Authorization": authorization} if authorization else {}
    response = requests.get(f"{provider.issuer}/userinfo", headers=headers)

    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer")
    assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)


def test_unknown_path_is_a_json_404_and_wrong_method_a_405(provider):
    missing = requests.get(f"{provider.issuer}/admin")
    wrong_method = requests.delete(f"{provider.issuer}/token")

    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert wrong_method.status_code == 405 and wrong_method.headers["Allow"] == "POST"


def test_starting_on_a_port_in_use_raises_a_clear_oserror(provider):
    with pytest.raises(OSError, match="already in use"):
        LocalEidProvider([]).start(port=provider.port)


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "oct", "k": "c2VjcmV0", "kid": "h"},
        {"kty": "EC", "crv": "P-256", "x": "x", "y": "y", "d": "private", "kid": "e"},
        {"kty": "EC", "crv": "P-256", "x": "x", "y": "y"},
    ],
)
def test_registering_a_symmetric_private_or_kidless_key_is_refused(jwk):
    with pytest.raises(ValueError):
        RegisteredClient(CLIENT_ID, jwk, (REDIRECT_URI,))
