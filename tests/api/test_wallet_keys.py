"""The citizen's device keys: listed only to their owner, deleted by their owner (another's is 404), and the
documents already bound to a deleted key stay as issued."""

import uuid

import jwt
import pytest

from chalicelib.adapters.jws import LocalEcSigner
from tests.api.test_wallet import BIRTH, ISSUE
from tests.conftest import AN, AgencyClient
from tests.contract.openapi import assert_response_matches

KEYS, KEY = "/v1/me/wallet/keys", "/v1/me/wallet/keys/{key_id}"


@pytest.fixture
def an_with_key(api, an):
    """An registers a phone key for this test only: left behind, it would bind an's later documents elsewhere."""
    registered = api.post(KEYS, json={"jwk": LocalEcSigner.generate("phone").public_jwk()}, headers=an.auth)
    assert registered.status_code == 201, registered.text
    key = registered.json()
    yield key
    api.delete(f"{KEYS}/{key['key_id']}", headers=an.auth)


def test_the_owner_lists_her_key_and_no_one_elses(api, an, binh, an_with_key):
    listed = api.get(KEYS, headers=an.auth)
    assert listed.status_code == 200, listed.text
    assert_response_matches(listed, KEYS, "GET")
    assert listed.json()["items"] == [an_with_key]
    assert all(k["key_id"] != an_with_key["key_id"] for k in api.get(KEYS, headers=binh.auth).json()["items"])


def test_unknown_query_parameters_are_refused(api, an):
    refused = api.get(KEYS, headers=an.auth, params={"owner": "binh"})
    assert refused.status_code == 400, refused.text


def test_another_citizens_key_is_404_and_stays(api, an, binh, an_with_key):
    refused = api.delete(f"{KEYS}/{an_with_key['key_id']}", headers=binh.auth)
    assert refused.status_code == 404 and refused.json()["code"] == "holder_key_not_found"
    assert_response_matches(refused, KEY, "DELETE")
    assert api.get(KEYS, headers=an.auth).json()["items"] == [an_with_key]


def test_a_deleted_key_is_gone_and_its_bound_documents_stay_as_issued(stack, api, an, an_with_key):
    issuer = AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)
    body = {"personal_id": AN, "type": "BIRTH_CERTIFICATE_EXTRACT", "claims": BIRTH}
    issued = issuer.post(ISSUE, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert issued.status_code == 201, issued.text
    document_id = issued.json()["document_id"]
    deleted = api.delete(KEY.format(key_id=an_with_key["key_id"]), headers=an.auth)
    assert deleted.status_code == 204, deleted.text
    assert api.get(KEYS, headers=an.auth).json()["items"] == []
    assert api.delete(KEY.format(key_id=an_with_key["key_id"]), headers=an.auth).status_code == 404
    detail = api.get(f"/v1/me/documents/{document_id}", headers=an.auth).json()
    payload = jwt.decode(detail["credential"].split("~")[0], options={"verify_signature": False})
    assert payload["cnf"]["jwk"]["x"] == an_with_key["jwk"]["x"]
    assert detail["status"] == "valid"
