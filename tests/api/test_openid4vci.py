"""OpenID4VCI 1.0 end to end over HTTP, as a standard wallet app does it: An's app asks for an offer of a
document; the wallet reads the issuer metadata, trades the pre-authorized code for an access token, fetches a
c_nonce, proves possession of a key generated here, and receives the SD-JWT VC bound to that key."""

import json
import time
import urllib.parse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.adapters.sd_jwt_verify import load_issuer_keys, verify_presentation
from tests.api.test_wallet import BIRTH, issue
from tests.conftest import AgencyClient
from tests.contract.openapi import assert_response_matches

OFFER, TOKEN, NONCE, CREDENTIAL = (
    "/v1/me/documents/{document_id}/offer",
    "/v1/oid4vci/token",
    "/v1/oid4vci/nonce",
    "/v1/oid4vci/credential",
)
METADATA = "/.well-known/openid-credential-issuer"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


@pytest.fixture(scope="module")
def wallet_key():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def document(stack, api):
    issuer = AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)
    answer = issue(issuer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def offer_code(api, tokens, document_id) -> tuple[dict, str]:
    answer = api.post(f"/v1/me/documents/{document_id}/offer", headers=tokens.auth)
    assert answer.status_code == 201, answer.text
    query = urllib.parse.urlsplit(answer.json()["credential_offer_uri"]).query
    offer = json.loads(urllib.parse.parse_qs(query)["credential_offer"][0])
    return answer, offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"]


def access_token(api, code) -> str:
    answer = api.post(TOKEN, data={"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def proof(key, audience, nonce, iat=None) -> str:
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    claims = {"aud": audience, "iat": int(time.time()) if iat is None else iat, "nonce": nonce}
    return jwt.encode(claims, key, algorithm="ES256", headers={"typ": "openid4vci-proof+jwt", "jwk": public})


def c_nonce(api) -> str:
    answer = api.post(NONCE)
    assert answer.status_code == 200 and answer.headers["Cache-Control"].startswith("no-store")
    assert_response_matches(answer, NONCE, "POST")
    return answer.json()["c_nonce"]


def request_credential(api, token, jwt_proof, configuration="BIRTH_CERTIFICATE_EXTRACT"):
    body = {"credential_configuration_id": configuration, "proofs": {"jwt": [jwt_proof]}}
    return api.post(CREDENTIAL, json=body, headers={"Authorization": f"Bearer {token}"})


def test_the_issuer_metadata_tells_a_wallet_where_everything_is(api):
    metadata = api.get(METADATA)
    assert metadata.status_code == 200
    assert_response_matches(metadata, METADATA, "GET")
    body = metadata.json()
    assert body["credential_issuer"] == api.base_url and body["credential_endpoint"] == api.base_url + CREDENTIAL
    birth = body["credential_configurations_supported"]["BIRTH_CERTIFICATE_EXTRACT"]
    assert birth["format"] == "dc+sd-jwt" and birth["vct"].startswith("urn:")
    assert birth["proof_types_supported"] == {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}}
    server = api.get("/.well-known/oauth-authorization-server")
    assert_response_matches(server, "/.well-known/oauth-authorization-server", "GET")
    assert server.json()["token_endpoint"] == api.base_url + TOKEN


def test_a_wallet_receives_the_document_bound_to_its_key(api, an, document, wallet_key):
    offered, code = offer_code(api, an, document["document_id"])
    assert_response_matches(offered, OFFER, "POST")
    assert offered.json()["credential_offer_uri"].startswith("openid-credential-offer://?credential_offer=")
    token = api.post(TOKEN, data={"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code})
    assert_response_matches(token, TOKEN, "POST")
    answer = request_credential(api, token.json()["access_token"], proof(wallet_key, api.base_url, c_nonce(api)))
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, CREDENTIAL, "POST")
    credential = answer.json()["credentials"][0]["credential"]
    payload = jwt.decode(credential.split("~")[0], options={"verify_signature": False})
    assert payload["cnf"]["jwk"]["x"] == json.loads(jwt.algorithms.ECAlgorithm.to_jwk(wallet_key.public_key()))["x"]
    keys = load_issuer_keys(api.get("/.well-known/jwt-vc-issuer").json()["jwks"])
    verified = verify_presentation(credential, keys, status=None, now=int(time.time()))
    assert verified.claims == BIRTH and verified.checks["signature"] == "ok"


def delivery_entries(api, citizen, document_id) -> list[dict]:
    log = api.get("/v1/me/access-log", headers=citizen.auth, params={"limit": 100}).json()["items"]
    return [e for e in log if e["action"] == "document.wallet_delivery" and e["target"] == f"document:{document_id}"]


def test_a_delivery_to_a_wallet_app_is_in_the_citizens_access_log(api, an, binh, document, wallet_key):
    document_id = document["document_id"]
    assert delivery_entries(api, an, document_id) == []
    _, code = offer_code(api, an, document_id)
    token = api.post(TOKEN, data={"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code}).json()["access_token"]
    refused = request_credential(api, token, proof(wallet_key, api.base_url, "not-a-nonce"))
    assert refused.status_code == 400 and delivery_entries(api, an, document_id) == []
    delivered = request_credential(api, token, proof(wallet_key, api.base_url, c_nonce(api)))
    assert delivered.status_code == 200, delivered.text
    [entry] = delivery_entries(api, an, document_id)
    assert entry["client_id"] == "openid4vci" and entry["agency_name_en"] == "Wallet app (OpenID4VCI)"
    assert delivery_entries(api, binh, document_id) == []


def test_the_code_and_the_nonce_are_single_use(api, an, document, wallet_key):
    _, code = offer_code(api, an, document["document_id"])
    token = access_token(api, code)
    again = api.post(TOKEN, data={"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert_response_matches(again, TOKEN, "POST")
    nonce = c_nonce(api)
    assert request_credential(api, token, proof(wallet_key, api.base_url, nonce)).status_code == 200
    replayed = request_credential(api, token, proof(wallet_key, api.base_url, nonce))
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_nonce"
    assert_response_matches(replayed, CREDENTIAL, "POST")


@pytest.mark.parametrize(
    "bad, error",
    [
        ("audience", "invalid_proof"),
        ("old", "invalid_proof"),
        ("configuration", "unknown_credential_configuration"),
        ("token", "invalid_token"),
    ],
)
def test_a_bad_credential_request_is_refused_in_the_openid4vci_shape(api, an, document, wallet_key, bad, error):
    _, code = offer_code(api, an, document["document_id"])
    token = "not-a-token" if bad == "token" else access_token(api, code)
    audience = "https://elsewhere.example" if bad == "audience" else api.base_url
    jwt_proof = proof(wallet_key, audience, c_nonce(api), iat=int(time.time()) - 3600 if bad == "old" else None)
    configuration = "JUDICIAL_RECORD" if bad == "configuration" else "BIRTH_CERTIFICATE_EXTRACT"
    refused = request_credential(api, token, jwt_proof, configuration)
    assert refused.status_code == (401 if bad == "token" else 400) and refused.json()["error"] == error
    assert_response_matches(refused, CREDENTIAL, "POST")


def test_a_revoked_document_is_not_offered_nor_delivered(stack, api, an, document, wallet_key):
    _, code = offer_code(api, an, document["document_id"])
    token = access_token(api, code)
    issuer = AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)
    assert issuer.post(f"/v1/issuer/documents/{document['document_id']}/revoke").status_code == 200
    denied = request_credential(api, token, proof(wallet_key, api.base_url, c_nonce(api)))
    assert denied.status_code == 400 and denied.json()["error"] == "credential_request_denied"
    refused = api.post(f"/v1/me/documents/{document['document_id']}/offer", headers=an.auth)
    assert refused.status_code == 409 and refused.json()["code"] == "document_revoked"
    assert_response_matches(refused, OFFER, "POST")


def test_binh_gets_no_offer_of_ans_document(api, binh, document):
    refused = api.post(f"/v1/me/documents/{document['document_id']}/offer", headers=binh.auth)
    assert refused.status_code == 404 and refused.json()["code"] == "document_not_found"
