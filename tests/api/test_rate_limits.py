"""Rate limits over HTTP: 429 rate_limited with Retry-After to the window's end, per client IP on public
routes and per citizen on authenticated ones; every limited operation declares its 429."""

import uuid

from chalicelib.api.http import ApiBlueprint
from devstack.stack import REDIRECT_URI
from tests.api.test_dossier_submission import submit
from tests.conftest import AN, CUONG
from tests.contract.openapi import assert_response_matches, response_spec


def first_refusal(send, attempts: int = 3):
    """With a limit of 1, three calls in a row put two in one window even if a window ends between them."""
    answers = [send() for _ in range(attempts)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused, [a.status_code for a in answers]
    return refused[0]


def assert_rate_limited(answer, path, method, window):
    assert answer.json()["code"] == "rate_limited", answer.text
    assert 1 <= int(answer.headers["Retry-After"]) <= window
    assert_response_matches(answer, path, method)


def test_login_starts_are_limited_per_client_ip(api, limits):
    limits(login_starts_per_minute=1)
    refused = first_refusal(lambda: api.post("/v1/auth/login", json={"redirect_uri": REDIRECT_URI}))
    assert_rate_limited(refused, "/v1/auth/login", "POST", 60)


def test_receipt_lookups_are_limited_per_client_ip(api, limits):
    limits(receipt_lookups_per_minute=1)
    params = {"receipt_code": "HS260101-" + uuid.uuid4().hex[:8].upper(), "pin": "123456"}
    refused = first_refusal(lambda: api.get("/v1/dossiers/lookup", params=params))
    assert_rate_limited(refused, "/v1/dossiers/lookup", "GET", 60)


def test_device_registrations_are_limited_per_citizen(api, limits):
    cuong = api.login(CUONG)
    limits(device_registrations_per_hour=1)

    def send():
        body = {"token": f"tok-{uuid.uuid4()}", "installation_id": uuid.uuid4().hex, "platform": "ios", "locale": "vi"}
        return api.post("/v1/me/devices", headers=cuong.auth, json=body)

    refused = first_refusal(send)
    assert_rate_limited(refused, "/v1/me/devices", "POST", 3600)
    api.post("/v1/auth/logout", headers=cuong.auth)


def test_online_filings_are_limited_per_citizen(api, limits, published):
    an = api.login(AN)
    limits(online_filings_per_hour=1)
    refused = first_refusal(lambda: submit(api, an))
    assert_rate_limited(refused, "/v1/me/dossiers", "POST", 3600)


def test_share_views_are_limited_per_client_ip(api, limits):
    limits(share_views_per_minute=1)
    refused = first_refusal(lambda: api.get(f"/v1/shares/{uuid.uuid4()}"))
    assert_rate_limited(refused, "/v1/shares/{share_id}", "GET", 60)


def test_every_limited_operation_declares_its_429():
    assert len(ApiBlueprint.limited) >= 4
    for (path, method), _ in ApiBlueprint.limited.items():
        documented = response_spec(path, method, 429)
        assert "rate_limited" in documented.get("x-problem-codes", []), (method, path)
        assert "Retry-After" in documented.get("headers", {}), (method, path)
