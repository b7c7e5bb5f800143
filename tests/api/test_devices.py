"""Push devices over HTTP: upsert by token, reassignment, removal, and devices ending with their session."""

import uuid

import pytest

from tests.conftest import AN, BINH
from tests.contract.openapi import assert_response_matches

DEVICES, DEVICE = "/v1/me/devices", "/v1/me/devices/{device_id}"


def register(api, tokens, token, locale="vi", platform="android"):
    answer = api.post(
        DEVICES,
        headers=tokens.auth,
        json={"token": token, "platform": platform, "locale": locale, "app_version": "1.4.2"},
    )
    assert_response_matches(answer, DEVICES, "POST")
    assert answer.status_code == 200, answer.text
    return answer.json()


def device_ids(api, tokens):
    answer = api.get(DEVICES, headers=tokens.auth)
    assert_response_matches(answer, DEVICES, "GET")
    return {d["device_id"] for d in answer.json()["items"]}


def test_same_token_is_the_same_device_and_the_token_is_never_returned(api, an_phone):
    token = f"tok-{uuid.uuid4()}"
    first, again = register(api, an_phone, token), register(api, an_phone, token, locale="en")
    assert first["device_id"] == again["device_id"] and again["locale"] == "en" and again["current_session"]
    assert token not in api.get(DEVICES, headers=an_phone.auth).text
    assert first["device_id"] in device_ids(api, an_phone)


def test_a_token_moving_to_another_citizen_is_reassigned(api, an_phone):
    binh = api.login(BINH)
    token = f"tok-{uuid.uuid4()}"
    device_id = register(api, an_phone, token)["device_id"]
    register(api, binh, token)
    assert device_id not in device_ids(api, an_phone)
    assert device_id in device_ids(api, binh)
    api.post("/v1/auth/logout", headers=binh.auth)


def test_delete_own_device_and_not_anothers(api, an_phone):
    binh = api.login(BINH)
    device_id = register(api, an_phone, f"tok-{uuid.uuid4()}")["device_id"]
    refused = api.delete(DEVICE.format(device_id=device_id), headers=binh.auth)
    assert_response_matches(refused, DEVICE, "DELETE")
    assert refused.status_code == 404 and refused.json()["code"] == "device_not_found"
    removed = api.delete(DEVICE.format(device_id=device_id), headers=an_phone.auth)
    assert_response_matches(removed, DEVICE, "DELETE")
    assert removed.status_code == 204 and device_id not in device_ids(api, an_phone)


@pytest.mark.parametrize("end", ["logout", "end_session", "refresh_reuse"])
def test_devices_go_away_when_their_session_ends(api, end, clock):
    phone, tablet = api.login(AN, "phone"), api.login(AN, "tablet")
    device_id = register(api, phone, f"tok-{uuid.uuid4()}")["device_id"]
    kept = register(api, tablet, f"tok-{uuid.uuid4()}")["device_id"]
    if end == "logout":
        assert api.post("/v1/auth/logout", headers=phone.auth).status_code == 204
    elif end == "end_session":
        session = next(
            s for s in api.get("/v1/me/sessions", headers=tablet.auth).json()["items"] if s["device_name"] == "phone"
        )
        assert api.delete(f"/v1/me/sessions/{session['session_id']}", headers=tablet.auth).status_code == 204
    else:
        api.post("/v1/auth/refresh", json={"refresh_token": phone.refresh_token})
        clock.advance(31)  # past the reuse grace window
        assert api.post("/v1/auth/refresh", json={"refresh_token": phone.refresh_token}).status_code == 401
    remaining = device_ids(api, tablet)
    assert device_id not in remaining and kept in remaining
    api.post("/v1/auth/logout", headers=tablet.auth)


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"token", "platform", "locale"}),
        ({"token": "t", "platform": "symbian", "locale": "fr"}, {"platform", "locale"}),
        ({"token": "has space", "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "nul\u0000byte", "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "đ", "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": 7, "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "x" * 5000, "platform": "ios", "locale": "vi"}, {"token"}),
    ],
)
def test_bad_registration_is_a_problem_listing_every_field(api, an, body, fields):
    answer = api.post(DEVICES, headers=an.auth, json=body)
    assert_response_matches(answer, DEVICES, "POST")
    assert answer.status_code == 400 and {e["field"] for e in answer.json()["errors"]} == fields


def test_registration_needs_json_and_a_login(api, an):
    not_json = api.post(DEVICES, headers={**an.auth, "Content-Type": "text/plain"}, data="token=x")
    assert_response_matches(not_json, DEVICES, "POST")
    assert not_json.status_code == 415
    anonymous = api.post(DEVICES, json={"token": "t", "platform": "ios", "locale": "vi"})
    assert_response_matches(anonymous, DEVICES, "POST")
    assert anonymous.status_code == 401
    for method, path in (("GET", DEVICES), ("DELETE", DEVICE.format(device_id="x"))):
        answer = api.request(method, path)
        assert_response_matches(answer, DEVICES if method == "GET" else DEVICE, method)
        assert answer.status_code == 401


@pytest.mark.parametrize(
    "raw",
    [
        '{"token": "\\ud800", "platform": "ios", "locale": "vi"}',
        '{"token": "t", "platform": "ios", "locale": "vi", "app_version": "1.\\udfff"}',
        '{"token": "t", "platform": "ios", "locale": "vi", "\\ud83d": 1}',
    ],
)
def test_text_that_is_not_unicode_is_a_bad_request_not_a_crash(api, an, raw):
    """JSON may escape a lone surrogate; no store or response can hold one."""
    answer = api.post(DEVICES, headers={**an.auth, "Content-Type": "application/json"}, data=raw)
    assert_response_matches(answer, DEVICES, "POST")
    assert answer.status_code == 400 and answer.json()["code"] == "malformed_json"
