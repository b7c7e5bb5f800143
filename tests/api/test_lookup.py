"""The public status lookup by receipt code and pin: no login, no personal data; 5 wrong pins lock out the
client that made them, not the receipt's owner elsewhere."""

import concurrent.futures
import uuid

import pytest

from chalicelib.errors import NotFoundError
from tests.api.test_dossiers import record
from tests.conftest import AN
from tests.contract.openapi import assert_response_matches

PATH = "/v1/dossiers/lookup"


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**6:06d}"


@pytest.fixture
def receipt(agency):
    created = record(agency, key=str(uuid.uuid4()))
    assert created.status_code == 201, created.text
    return created.json()


def test_right_pin_shows_status_only(api, receipt):
    found = api.get(PATH, params={"receipt_code": receipt["receipt_code"], "pin": receipt["pin"]})
    assert found.status_code == 200, found.text
    assert_response_matches(found, PATH, "GET")
    body = found.json()
    assert body["status"] == "received" and body["procedure"]["code"] == "KHAI_SINH"
    assert "An" not in found.text and AN not in found.text


def test_wrong_pin_and_unknown_receipt_look_the_same(api, receipt):
    bad_pin = api.get(PATH, params={"receipt_code": receipt["receipt_code"], "pin": wrong(receipt["pin"])})
    unknown = api.get(PATH, params={"receipt_code": "HS260101-ZZZZZZZZ", "pin": "123456"})
    for answer in (bad_pin, unknown):
        assert answer.status_code == 404 and answer.json()["code"] == "lookup_failed"
        assert_response_matches(answer, PATH, "GET")
    assert bad_pin.json()["detail"] == unknown.json()["detail"]


def test_five_wrong_pins_lock_the_client_out_even_with_the_right_pin(api, receipt):
    code, pin = receipt["receipt_code"], receipt["pin"]
    for _ in range(5):
        assert api.get(PATH, params={"receipt_code": code, "pin": wrong(pin)}).status_code == 404
    locked = api.get(PATH, params={"receipt_code": code, "pin": pin}, headers={"Accept-Language": "en"})
    assert locked.status_code == 429 and locked.json()["code"] == "lookup_locked"
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert_response_matches(locked, PATH, "GET")


def test_concurrent_guesses_cannot_exceed_the_limit(api, receipt):
    code, pin = receipt["receipt_code"], receipt["pin"]
    guesses = [f"{n:06d}" for n in range(20) if f"{n:06d}" != pin][:16]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda g: api.get(PATH, params={"receipt_code": code, "pin": g}).status_code, guesses))
    assert statuses.count(404) <= 5 and statuses.count(429) >= len(guesses) - 5
    assert set(statuses) <= {404, 429}


def test_unknown_receipts_lock_too(api):
    code = "HS260101-" + uuid.uuid4().hex[:8].upper()
    statuses = [api.get(PATH, params={"receipt_code": code, "pin": "000000"}).status_code for _ in range(6)]
    assert statuses == [404] * 5 + [429]


@pytest.mark.parametrize(
    "params, fields",
    [
        ({}, {"receipt_code", "pin"}),
        ({"receipt_code": "HS260101-ABCDEFGH"}, {"pin"}),
        ({"receipt_code": "HS260101-ABCDEFGH", "pin": "12345"}, {"pin"}),
        ({"receipt_code": "x" * 41, "pin": "123456"}, {"receipt_code"}),
        ({"receipt_code": "HS2601<script>", "pin": "123456"}, {"receipt_code"}),
    ],
)
def test_bad_parameters_are_problems(api, params, fields):
    answer = api.get(PATH, params=params)
    assert answer.status_code == 400 and {e["field"] for e in answer.json()["errors"]} == fields
    assert_response_matches(answer, PATH, "GET")


def test_a_strangers_wrong_pins_do_not_lock_out_the_owner(stack, receipt):
    """Through the service with the real ports, as two clients: the local gateway calls everyone 127.0.0.1."""
    import time

    from chalicelib import wiring
    from chalicelib.errors import TooManyRequestsError
    from chalicelib.services import receipt_lookup

    code, pin, now = receipt["receipt_code"], receipt["pin"], int(time.time())
    policy, ports = wiring.pin_policy(), wiring.dossier_ports()
    for _ in range(policy.per_client):
        with pytest.raises(NotFoundError):
            receipt_lookup.look_up(code, wrong(pin), "203.0.113.9", policy, ports, now)
    with pytest.raises(TooManyRequestsError) as locked:
        receipt_lookup.look_up(code, pin, "203.0.113.9", policy, ports, now)
    assert locked.value.code == "lookup_locked" and 0 < locked.value.retry_after <= policy.lock_seconds
    found = receipt_lookup.look_up(code, pin, "198.51.100.7", policy, ports, now)
    assert found.receipt_code == code


def test_a_receipt_locks_for_everyone_after_its_daily_ceiling(stack, receipt):
    """Many addresses, each under its own limit, still cannot go on guessing one receipt's pin."""
    import time
    from dataclasses import replace

    from chalicelib import wiring
    from chalicelib.errors import TooManyRequestsError
    from chalicelib.services import receipt_lookup

    code, pin, now = receipt["receipt_code"], receipt["pin"], int(time.time())
    policy, ports = replace(wiring.pin_policy(), per_receipt=6), wiring.dossier_ports()
    for n in range(6):
        with pytest.raises(NotFoundError):
            receipt_lookup.look_up(code, wrong(pin), f"203.0.113.{n}", policy, ports, now)
    with pytest.raises(TooManyRequestsError):
        receipt_lookup.look_up(code, pin, "198.51.100.7", policy, ports, now)
