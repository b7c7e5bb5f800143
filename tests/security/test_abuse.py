"""Findings of the abuse review (issue 8) fixed so far: each test failed before its fix."""

import base64

import pytest

from tests.contract.openapi import assert_response_matches

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
DEEP = "[" * 20_000 + "]" * 20_000


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signature(token: str) -> bytes:
    segment = token.rsplit(".", 1)[1]
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


@pytest.mark.parametrize("path", ["/v1/auth/login", "/v1/me/devices"])
def test_deeply_nested_json_is_a_400_not_a_500(api, an, path):
    answer = api.post(path, data=DEEP, headers={**an.auth, "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["code"] == "malformed_json", answer.text
    assert_response_matches(answer, path, "POST")


def test_deeply_nested_json_from_an_agency_is_a_400(agency):
    answer = agency.post(
        "/v1/agency/dossiers", data=DEEP, headers={"Content-Type": "application/json", "Idempotency-Key": "deep"}
    )
    assert answer.status_code == 400 and answer.json()["code"] == "malformed_json", answer.text


def test_our_tokens_carry_low_s_signatures(an):
    assert int.from_bytes(_signature(an.access_token)[32:], "big") <= P256_ORDER // 2


def test_the_high_s_twin_of_a_valid_signature_is_refused(api, an):
    raw = _signature(an.access_token)
    twin = raw[:32] + (P256_ORDER - int.from_bytes(raw[32:], "big")).to_bytes(32, "big")
    forged = an.access_token.rsplit(".", 1)[0] + "." + _b64(twin)
    answer = api.get("/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401 and answer.json()["code"] == "token_invalid"


def test_a_padded_signature_is_refused(api, an):
    padded = an.access_token + "=="
    answer = api.get("/v1/me", headers={"Authorization": f"Bearer {padded}"})
    assert answer.status_code == 401 and answer.json()["code"] == "token_invalid"


@pytest.mark.parametrize(
    "purpose", ["%00%0D%0A", "X%FFY", "Ki%E1%BB%83m tra%E2%80%AE", "a%E2%80%8Bb", "a%09b", "%20%20"]
)
def test_a_purpose_that_would_garble_the_citizens_access_log_is_refused(agency, purpose):
    answer = agency.api.get(
        "/v1/agency/dossiers", headers={"Authorization": f"Bearer {agency.token}", "X-Purpose": purpose}
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "purpose_required"
    assert answer.json()["errors"] == [
        {"field": "X-Purpose", "code": "not_plain_text", "detail": answer.json()["errors"][0]["detail"]}
    ]


def test_a_plain_vietnamese_purpose_is_accepted(agency):
    answer = agency.get("/v1/agency/dossiers", headers={"X-Purpose": "Ki%E1%BB%83m%20tra%20h%E1%BB%93%20s%C6%A1"})
    assert answer.status_code == 200, answer.text
