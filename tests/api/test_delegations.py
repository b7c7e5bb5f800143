"""Delegations of a business's tax data through HTTP: Bình (legal representative of Bình Minh per the local tax
authority) delegates to An; An sees the company until the grant is revoked or expires (at once); others get 404;
An's reads land in Bình's access log; An is told of the grant, its revocation and its expiry."""

import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.domain.instants import utc_instant
from tests.conftest import AN, CUONG, HOLDER, TellingRecorder, eventually
from tests.contract.openapi import assert_response_matches

BINH_MINH = "0109123458"
DELEGATIONS = f"/v1/businesses/{BINH_MINH}/delegations"


def grant(api, tokens, seconds=3600, personal_id=AN, key=None, now=None):
    body = {"personal_id": personal_id, "expires_at": utc_instant(int(now or time.time()) + seconds)}
    headers = {**tokens.auth, "Idempotency-Key": key or uuid.uuid4().hex}
    return api.post(DELEGATIONS, headers=headers, json=body)


@pytest.fixture
def granted(api, binh):
    answer = grant(api, binh)
    assert answer.status_code == 201, answer.text
    yield answer.json()
    api.delete(f"{DELEGATIONS}/{answer.json()['delegation_id']}", headers=binh.auth)


def company_profile(api, tokens):
    return api.get(f"/v1/businesses/{BINH_MINH}/tax/profile", headers=tokens.auth)


def test_binh_sees_her_company_as_legal_representative(api, binh):
    answer = api.get("/v1/me/businesses", headers=binh.auth)
    assert answer.status_code == 200, answer.text
    item = next(i for i in answer.json()["items"] if i["tax_code"] == BINH_MINH)
    assert item["role"] == "legal_representative" and item["name"] == "Công ty TNHH Bình Minh Hà Nội"
    assert item["state"] == "active" and item["expires_at"] is None
    assert_response_matches(answer, "/v1/me/businesses", "GET")
    assert company_profile(api, binh).json()["tax_code"] == BINH_MINH


def test_a_delegate_sees_the_company_until_revoked(api, binh, an, granted):
    assert granted["delegate"]["personal_id_masked"] == "001******001" and AN not in str(granted)
    listed = api.get(DELEGATIONS, headers=binh.auth)
    assert [g["delegation_id"] for g in listed.json()["items"]] == [granted["delegation_id"]]
    mine = api.get("/v1/me/businesses", headers=an.auth).json()["items"]
    assert [(i["tax_code"], i["role"], i["expires_at"]) for i in mine] == [
        (BINH_MINH, "delegate", granted["expires_at"])
    ]
    profile = company_profile(api, an)
    assert profile.status_code == 200 and profile.json()["full_name"] == "Công ty TNHH Bình Minh Hà Nội"
    revoked = api.delete(f"{DELEGATIONS}/{granted['delegation_id']}", headers=binh.auth)
    assert revoked.status_code == 204
    assert company_profile(api, an).json()["code"] == "business_not_found"
    assert api.get("/v1/me/businesses", headers=an.auth).json()["items"] == []
    again = api.delete(f"{DELEGATIONS}/{granted['delegation_id']}", headers=binh.auth)
    assert again.status_code == 404 and again.json()["code"] == "delegation_not_found"


def test_an_expired_grant_stops_working_at_once(api, binh, an, clock):
    answer = grant(api, binh, seconds=600, now=clock.now)
    assert answer.status_code == 201, answer.text
    try:
        assert company_profile(api, an).status_code == 200
        clock.advance(601)
        assert company_profile(api, an).json()["code"] == "business_not_found"
        assert api.get(DELEGATIONS, headers=binh.auth).json()["items"] == []
    finally:
        api.delete(f"{DELEGATIONS}/{answer.json()['delegation_id']}", headers=binh.auth)


def test_others_get_404_and_level_one_403(api, an, cuong, granted):
    holder = api.login(HOLDER.personal_id)
    for tokens in (holder,):
        assert company_profile(api, tokens).json()["code"] == "business_not_found"
        assert api.get(DELEGATIONS, headers=tokens.auth).json()["code"] == "business_not_found"
        assert grant(api, tokens).json()["code"] == "business_not_found"
    # A delegate reads; managing the grants stays the representative's.
    assert api.get(DELEGATIONS, headers=an.auth).status_code == 404
    assert company_profile(api, cuong).json()["code"] == "eid_level_too_low"


def test_the_representatives_access_log_shows_the_delegates_reads(api, binh, an, granted):
    assert company_profile(api, an).status_code == 200
    entries = api.get("/v1/me/access-log", headers=binh.auth).json()["items"]
    mine = [e for e in entries if e["client_id"] == f"delegation:{granted['delegation_id']}"]
    assert mine and mine[0]["action"] == "business_tax.profile.read"
    assert mine[0]["target"] == f"business:{BINH_MINH}" and "Nguyễn Văn An" in mine[0]["agency_name_vi"]


def inbox_entry(api, tokens, delegation_id, change):
    items = api.get("/v1/me/notifications", headers=tokens.auth).json()["items"]
    data = [(n, n["data"]) for n in items]
    return next((n for n, d in data if d.get("delegation_id") == delegation_id and d["change"] == change), None)


def test_the_delegate_is_notified_of_the_grant_and_its_end(api, binh, an, granted):
    told = eventually(lambda: inbox_entry(api, an, granted["delegation_id"], "granted"))
    assert told["category"] == "tax" and "Bình Minh" in str(told)
    api.delete(f"{DELEGATIONS}/{granted['delegation_id']}", headers=binh.auth)
    assert eventually(lambda: inbox_entry(api, an, granted["delegation_id"], "revoked"))


def test_the_delegate_is_told_when_the_grant_expires_and_not_of_one_revoked_or_replaced(api, binh, an):
    from chalicelib.services.delegations import tell_ended_delegations
    from chalicelib.wiring.tax import business_ports

    api.login(HOLDER.personal_id), api.login(CUONG)  # accounts that could be told
    now = int(time.time())
    kept = grant(api, binh, seconds=600, now=now).json()
    replaced = grant(api, binh, personal_id=HOLDER.personal_id, seconds=300, now=now).json()
    replacement = grant(api, binh, personal_id=HOLDER.personal_id, seconds=7200, now=now).json()
    revoked = grant(api, binh, personal_id=CUONG, seconds=300, now=now).json()
    assert api.delete(f"{DELEGATIONS}/{revoked['delegation_id']}", headers=binh.auth).status_code == 204
    queue = TellingRecorder(business_ports().publisher)
    ports = replace(business_ports(), publisher=queue)
    try:
        assert tell_ended_delegations(ports, datetime.fromtimestamp(now + 590, UTC)) == 0  # nothing said early
        assert tell_ended_delegations(ports, datetime.fromtimestamp(now + 660, UTC)) == 1
        assert tell_ended_delegations(ports, datetime.fromtimestamp(now + 700, UTC)) == 0  # told once
        told = [(m["delegation_id"], m["change"]) for m in queue.messages]
        assert told == [(kept["delegation_id"], "expired")], (told, replaced, revoked)
        entry = eventually(lambda: inbox_entry(api, an, kept["delegation_id"], "expired"))
        assert entry["category"] == "tax" and "Bình Minh" in entry["body"]
    finally:
        api.delete(f"{DELEGATIONS}/{replacement['delegation_id']}", headers=binh.auth)


def test_a_replayed_grant_is_the_same_grant(api, binh):
    key, now = uuid.uuid4().hex, int(time.time())
    first, second = grant(api, binh, key=key, now=now), grant(api, binh, key=key, now=now)
    try:
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert grant(api, binh, seconds=7200, key=key).json()["code"] == "idempotency_key_reused"
    finally:
        api.delete(f"{DELEGATIONS}/{first.json()['delegation_id']}", headers=binh.auth)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"personal_id": "12345", "expires_at": "2099-01-01T00:00:00Z"}, "personal_id", "invalid_format"),
        ({"personal_id": AN, "expires_at": "2020-01-01T00:00:00Z"}, "expires_at", "must_be_future"),
        ({"personal_id": AN, "expires_at": "2099-01-01T00:00:00Z"}, "expires_at", "too_far"),
        ({"personal_id": AN, "expires_at": "tomorrow"}, "expires_at", "invalid_format"),
        ({"personal_id": "001190000002", "expires_at": "2099-01-01T00:00:00Z"}, "personal_id", "delegate_is_self"),
    ],
)
def test_a_bad_grant_is_400_naming_the_field(api, binh, body, field, code):
    answer = api.post(DELEGATIONS, headers={**binh.auth, "Idempotency-Key": uuid.uuid4().hex}, json=body)
    assert answer.status_code == 400, answer.text
    assert (field, code) in [(e["field"], e["code"]) for e in answer.json()["errors"]]
    assert api.get(DELEGATIONS, headers=binh.auth).json()["items"] == []


@pytest.mark.parametrize("topic", ["obligations", "debts", "payments"])
def test_the_company_s_taxes_in_the_citizen_s_shapes_for_binh_and_her_delegate_only(
    api, binh, an, stack, granted, topic
):
    path = f"/v1/businesses/{BINH_MINH}/tax/{topic}"
    hers = api.get(path, headers=binh.auth)
    assert hers.status_code == 200, hers.text
    assert_response_matches(hers, "/v1/businesses/{tax_code}/tax/" + topic, "GET")
    ledger = stack.tax_authority.ledger
    known = {o["obligation_id"] for o in ledger.obligations[BINH_MINH]}
    ids = {i.get("obligation_id") or i["obligation_ids"][0] for i in hers.json()["items"]}
    assert ids and ids <= known
    assert api.get(path, headers=an.auth).json()["items"] == hers.json()["items"]
    holder = api.login(HOLDER.personal_id)
    refused = api.get(path, headers=holder.auth)
    assert refused.status_code == 404 and refused.json()["code"] == "business_not_found"
    assert_response_matches(refused, "/v1/businesses/{tax_code}/tax/" + topic, "GET")


def test_a_delegate_s_calendar_has_the_company_s_deadlines_until_revoked(api, binh, an, granted):
    def company_deadlines():
        answer = api.get("/v1/me/tax/calendar", headers=an.auth)
        assert answer.status_code == 200, answer.text
        return [i for i in answer.json()["items"] if i["taxpayer"]["tax_code"] == BINH_MINH]

    assert company_deadlines() and all(i["taxpayer"]["role"] == "business" for i in company_deadlines())
    assert api.delete(f"{DELEGATIONS}/{granted['delegation_id']}", headers=binh.auth).status_code == 204
    assert company_deadlines() == []
