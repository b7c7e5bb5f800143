"""Push devices over HTTP: one per app installation, token refresh, tokens that belong to another citizen, the
cap per citizen, removal, and devices ending with their session."""

import hashlib
import uuid

import pytest

from tests.conftest import AN, BINH
from tests.contract.openapi import assert_response_matches

DEVICES, DEVICE = "/v1/me/devices", "/v1/me/devices/{device_id}"
INSTALLATION = "cWx0ZXN0aW5zdGFsbA"  # the shape of a Firebase Installation ID


def installation_of(token: str) -> str:
    """Tests that do not care get one installation per token, as a phone has."""
    return "inst-" + hashlib.sha256(token.encode()).hexdigest()[:24]


def post_device(api, tokens, token, installation=None, locale="vi", platform="android"):
    body = {
        "token": token,
        "installation_id": installation or installation_of(token),
        "platform": platform,
        "locale": locale,
        "app_version": "1.4.2",
    }
    answer = api.post(DEVICES, headers=tokens.auth, json=body)
    assert_response_matches(answer, DEVICES, "POST")
    return answer


def register(api, tokens, token, locale="vi", platform="android", installation=None):
    answer = post_device(api, tokens, token, installation, locale, platform)
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


def test_a_refreshed_token_replaces_the_installations_device(api, an_phone):
    installation, old, new = uuid.uuid4().hex, f"tok-{uuid.uuid4()}", f"tok-{uuid.uuid4()}"
    first = register(api, an_phone, old, installation=installation)
    again = register(api, an_phone, new, installation=installation)
    assert again["device_id"] == first["device_id"] and again["created_at"] == first["created_at"]
    assert len([d for d in device_ids(api, an_phone) if d == first["device_id"]]) == 1
    binh = api.login(BINH)
    assert post_device(api, binh, old).status_code == 200  # the old token was let go
    api.post("/v1/auth/logout", headers=binh.auth)


def test_a_token_another_citizen_holds_is_refused(api, an_phone):
    """Whoever learns a token must not take a stranger's pushes away (the device used to move silently)."""
    binh = api.login(BINH)
    token = f"tok-{uuid.uuid4()}"
    device_id = register(api, an_phone, token)["device_id"]
    refused = post_device(api, binh, token, installation=uuid.uuid4().hex)
    assert refused.status_code == 409 and refused.json()["code"] == "device_token_in_use", refused.text
    assert device_id in device_ids(api, an_phone) and not device_ids(api, binh) & {device_id}
    api.post("/v1/auth/logout", headers=binh.auth)


def test_the_same_installation_hands_its_token_to_the_next_citizen(api, an_phone):
    """A phone that changed hands without a logout: the same app installation proves the same app."""
    binh = api.login(BINH)
    token, installation = f"tok-{uuid.uuid4()}", uuid.uuid4().hex
    device_id = register(api, an_phone, token, installation=installation)["device_id"]
    moved = register(api, binh, token, installation=installation)
    assert device_id not in device_ids(api, an_phone) and moved["device_id"] in device_ids(api, binh)
    api.post("/v1/auth/logout", headers=binh.auth)


def test_devices_per_citizen_are_capped_but_an_installation_may_always_refresh(api, an_phone, limits):
    limits(devices_per_citizen=len(device_ids(api, an_phone)) + 1)
    kept = f"tok-{uuid.uuid4()}"
    installation = uuid.uuid4().hex
    register(api, an_phone, kept, installation=installation)
    refused = post_device(api, an_phone, f"tok-{uuid.uuid4()}")
    assert refused.status_code == 409 and refused.json()["code"] == "device_limit_reached", refused.text
    assert register(api, an_phone, f"tok-{uuid.uuid4()}", installation=installation)


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
        ({}, {"token", "installation_id", "platform", "locale"}),
        ({"token": "t", "platform": "symbian", "locale": "fr"}, {"platform", "locale"}),
        ({"token": "has space", "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "nul\u0000byte", "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "đ", "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": 7, "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "x" * 5000, "platform": "ios", "locale": "vi"}, {"token"}),
        ({"token": "t", "installation_id": "short", "platform": "ios", "locale": "vi"}, {"installation_id"}),
        (
            {"token": "t", "installation_id": "has spaces in it ok?", "platform": "ios", "locale": "vi"},
            {"installation_id"},
        ),
    ],
)
def test_bad_registration_is_a_problem_listing_every_field(api, an, body, fields):
    body = {"installation_id": INSTALLATION, **body} if "installation_id" not in fields else body
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
