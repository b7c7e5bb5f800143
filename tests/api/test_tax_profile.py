"""A citizen's tax profile through HTTP, from the local tax authority over its real HTTP API: the cache, the
kept copy served stale while the authority fails (503 with nothing kept: test_tax_reads.py, for every tax read)."""

import pytest


@pytest.fixture
def authority(stack):
    """The running local tax authority; faults cleared, and a fresh adapter (closed circuit) after the test."""
    from chalicelib import wiring

    yield stack.tax_authority
    stack.tax_authority.clear_faults()
    for name in ("tax_registry", "tax_read_ports"):
        wiring.override(name, None)


def test_an_sees_his_profile_with_his_dependant(api, an):
    answer = api.get("/v1/me/tax/profile", headers=an.auth)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["tax_code"] == "001090000001" and body["full_name"] == "Nguyễn Văn An"
    assert body["tax_office"]["name"] == "Thuế cơ sở 1 thành phố Hà Nội"
    assert [(d["full_name"], d["relationship"]) for d in body["dependants"]] == [("Nguyễn Minh Khang", "con")]
    assert body["stale"] is False and body["as_of"].endswith("Z")


def test_level_one_is_told_level_two_is_needed(api, cuong):
    answer = api.get("/v1/me/tax/profile", headers=cuong.auth)
    assert answer.status_code == 403 and answer.json()["code"] == "eid_level_too_low"


def test_a_fresh_copy_is_served_without_asking_the_authority(api, an, authority):
    assert api.get("/v1/me/tax/profile?refresh=true", headers=an.auth).status_code == 200
    served = authority.faults()["served"]
    assert api.get("/v1/me/tax/profile", headers=an.auth).status_code == 200
    assert authority.faults()["served"] == served


def test_the_kept_copy_is_served_stale_while_the_authority_fails(api, an, authority, clock):
    first = api.get("/v1/me/tax/profile?refresh=true", headers=an.auth).json()
    authority.set_fault("fail")
    clock.advance(3600)
    answer = api.get("/v1/me/tax/profile", headers=an.auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["stale"] is True and answer.json()["as_of"] == first["as_of"]
    assert answer.json()["full_name"] == first["full_name"]


def test_refresh_takes_true_or_false_only(api, an):
    answer = api.get("/v1/me/tax/profile?refresh=yes", headers=an.auth)
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "refresh"
