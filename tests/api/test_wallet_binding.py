"""Holder binding through HTTP: the app registers its device key, credentials issued after carry it as `cnf`,
and a share of such a credential needs the device's Key Binding JWT for the share's audience and nonce, which
the public view and the offline verifier check again."""

import json
import subprocess
import sys
import time
import uuid

import jwt
import pytest

from chalicelib.adapters.jws import LocalEcSigner
from chalicelib.adapters.sd_jwt_vc import jwk_thumbprint, present_sd_jwt_vc, split_sd_jwt
from tests.api.test_wallet import BIRTH, ISSUE, ROOT, issue
from tests.conftest import HOLDER, AgencyClient
from tests.contract.openapi import assert_response_matches

KEYS, SHARES, SHARE = "/v1/me/wallet/keys", "/v1/me/documents/{document_id}/shares", "/v1/shares/{share_id}"
AUDIENCE, NONCE = "Ngân hàng ABC", "n-0S6_WzA2Mj"
DISCLOSE = ("full_name", "date_of_birth")


@pytest.fixture(scope="module")
def device() -> LocalEcSigner:
    """The phone's secure-hardware key; the private half never leaves the test (the phone)."""
    return LocalEcSigner.generate("device")


@pytest.fixture(scope="module")
def hoa(api):
    return api.login(HOLDER.personal_id)


@pytest.fixture(scope="module")
def bound(stack, api, hoa, device) -> dict:
    """Hoa registers her device key, then an issuer pushes her a birth extract: it comes bound to that key."""
    registered = api.post(KEYS, json={"jwk": device.public_jwk()}, headers=hoa.auth)
    assert registered.status_code == 201, registered.text
    issuer = AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)
    body = {"personal_id": HOLDER.personal_id, "type": "BIRTH_CERTIFICATE_EXTRACT", "claims": BIRTH}
    issued = issuer.post(ISSUE, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert issued.status_code == 201, issued.text
    detail = api.get(f"/v1/me/documents/{issued.json()['document_id']}", headers=hoa.auth)
    return {"registered": registered, "issued": issued.json(), "detail": detail.json()}


def key_binding(credential: str, signer, audience=AUDIENCE, nonce=NONCE, disclose=DISCLOSE, at=None) -> str:
    """What the app does: the chosen Disclosures in the credential's order, then its KB-JWT over exactly those."""
    at = int(time.time()) if at is None else at
    presented = present_sd_jwt_vc(credential, disclose, signer, audience, nonce, at)
    return split_sd_jwt(presented)[2]


def share(api, tokens, document_id, **extra):
    body = {"disclose": list(DISCLOSE), "audience": AUDIENCE, "ttl_seconds": 600, "nonce": NONCE, **extra}
    return api.post(f"/v1/me/documents/{document_id}/shares", json=body, headers=tokens.auth)


def test_a_registered_device_key_is_named_by_its_thumbprint(bound, device):
    registered = bound["registered"]
    assert_response_matches(registered, KEYS, "POST")
    assert registered.json()["key_id"] == jwk_thumbprint(device.public_jwk())
    assert set(registered.json()["jwk"]) == {"kty", "crv", "x", "y"}


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"},  # not a point of the curve
        {"kty": "RSA", "n": "AQAB", "e": "AQAB"},
        "private",  # a private key is refused, never stripped
    ],
)
def test_only_a_public_p256_key_is_registered(api, hoa, jwk):
    if jwk == "private":
        private = LocalEcSigner.generate("p")._key
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private))
        assert "d" in jwk
    refused = api.post(KEYS, json={"jwk": jwk}, headers=hoa.auth)
    assert refused.status_code == 400 and refused.json()["code"] == "holder_key_invalid"
    assert_response_matches(refused, KEYS, "POST")


def test_credentials_issued_after_carry_the_key_as_cnf(bound, device):
    assert bound["issued"]["holder_bound"] is True and bound["detail"]["holder_bound"] is True
    payload = jwt.decode(bound["detail"]["credential"].split("~")[0], options={"verify_signature": False})
    assert payload["cnf"]["jwk"] == {k: device.public_jwk()[k] for k in ("kty", "crv", "x", "y")}


def test_a_bound_credential_is_not_shared_without_the_devices_signature(api, hoa, bound):
    refused = share(api, hoa, bound["issued"]["document_id"])
    assert refused.status_code == 400 and refused.json()["code"] == "key_binding_required"
    assert [e["field"] for e in refused.json()["errors"]] == ["key_binding_jwt"]
    assert_response_matches(refused, SHARES, "POST")


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"audience": "Ngân hàng XYZ"}, "kb_audience_mismatch"),
        ({"nonce": "another-nonce"}, "kb_nonce_mismatch"),
        ({"disclose": ("full_name",)}, "kb_sd_hash_mismatch"),
        ({"signer": "another device"}, "kb_signature_invalid"),
        ({"at": int(time.time()) - 3600}, "kb_iat_invalid"),
    ],
)
def test_a_wrong_key_binding_is_refused_with_its_reason(api, hoa, bound, device, change, reason):
    signer = LocalEcSigner.generate("thief") if "signer" in change else device
    change = {k: v for k, v in change.items() if k != "signer"}
    kb_jwt = key_binding(bound["detail"]["credential"], signer, **change)
    refused = share(api, hoa, bound["issued"]["document_id"], key_binding_jwt=kb_jwt)
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "key_binding_invalid"
    assert refused.json()["errors"] == [
        {"field": "key_binding_jwt", "code": reason, "detail": refused.json()["errors"][0]["detail"]}
    ]
    assert_response_matches(refused, SHARES, "POST")


def test_a_key_binding_on_an_unbound_credential_is_refused(stack, api, an, device):
    issuer = AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)
    document = issue(issuer).json()
    credential = api.get(f"/v1/me/documents/{document['document_id']}", headers=an.auth).json()["credential"]
    refused = share(api, an, document["document_id"], key_binding_jwt=key_binding(credential, device))
    assert refused.status_code == 400 and refused.json()["code"] == "credential_not_holder_bound"
    assert_response_matches(refused, SHARES, "POST")


def test_the_bound_share_is_checked_in_the_public_view_and_offline(api, hoa, bound, device, tmp_path):
    kb_jwt = key_binding(bound["detail"]["credential"], device)
    created = share(api, hoa, bound["issued"]["document_id"], key_binding_jwt=kb_jwt)
    assert created.status_code == 201, created.text
    assert_response_matches(created, SHARES, "POST")
    presentation = created.json()["presentation"]
    assert presentation.endswith("~" + kb_jwt)  # the QR carries the device's signature too
    viewed = api.get(f"/v1/shares/{created.json()['share_id']}")
    assert_response_matches(viewed, SHARE, "GET")
    facts = viewed.json()
    assert facts["valid"] is True and facts["checks"]["key_binding"] == "ok" and facts["nonce"] == NONCE
    (tmp_path / "issuer.json").write_text(api.get("/.well-known/jwt-vc-issuer").text)
    (tmp_path / "p.txt").write_text(presentation)
    verify = [sys.executable, "-m", "devstack.verify_cli", "@" + str(tmp_path / "p.txt")]
    verify += ["--jwks", str(tmp_path / "issuer.json"), "--json", "--audience", AUDIENCE]
    good = subprocess.run([*verify, "--nonce", NONCE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert json.loads(good.stdout)["checks"]["key_binding"] == "ok", good.stdout + good.stderr
    replayed = subprocess.run([*verify, "--nonce", "mine"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert replayed.returncode == 1 and json.loads(replayed.stdout)["checks"]["key_binding"] == "kb_nonce_mismatch"
