"""The eID login flow end to end over HTTP, for each demo citizen, and each way it can fail."""

import pytest

from devstack.stack import REDIRECT_URI
from tests.conftest import AN, BINH, CUONG

EXPECTED = {
    AN: {"full_name": "Nguyễn Văn An", "eid_level": 2, "personal_id_masked": "001******001", "represents": []},
    BINH: {
        "full_name": "Trần Thị Bình",
        "eid_level": 2,
        "personal_id_masked": "001******002",
        "represents": ["0109123458"],
    },
    CUONG: {"full_name": "Lê Văn Cường", "eid_level": 1, "personal_id_masked": "001******003", "represents": []},
}


@pytest.mark.parametrize("personal_id", [AN, BINH, CUONG])
def test_each_demo_citizen_logs_in_and_sees_their_profile(api, personal_id):
    tokens = api.login(personal_id)
    me = api.get("/v1/me", headers=tokens.auth)
    assert me.status_code == 200
    profile = me.json()
    for field, value in EXPECTED[personal_id].items():
        assert profile[field] == value
    assert personal_id not in me.text


def test_logging_in_twice_keeps_one_citizen_with_two_sessions(api):
    first, second = api.login(AN, "phone"), api.login(AN, "tablet")
    first_me = api.get("/v1/me", headers=first.auth).json()
    assert first_me["citizen_id"] == api.get("/v1/me", headers=second.auth).json()["citizen_id"]
    sessions = api.get("/v1/me/sessions", headers=second.auth).json()["items"]
    names = {s["device_name"] for s in sessions}
    assert {"phone", "tablet"} <= names
    assert sum(s["current"] for s in sessions) == 1


def test_login_start_answers_an_eid_authorization_url_with_pkce(api):
    login = api.start_login()
    assert login["expires_in"] == 600
    url = login["authorization_url"]
    for part in (
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        f"state={login['state']}",
        "redirect_uri=citizenapp%3A%2F%2Fauth%2Fcallback",
    ):
        assert part in url


def test_redirect_uri_off_the_allowlist_is_refused(api):
    answer = api.post("/v1/auth/login", json={"redirect_uri": "https://evil.example/callback"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "redirect_uri_not_allowed"


def test_unknown_state_is_refused(api):
    callback = api.authorize(api.start_login(), AN)
    answer = api.post("/v1/auth/token", json={"code": callback["code"], "state": "not-a-state-we-issued"})
    assert answer.status_code == 401
    assert answer.json()["code"] == "login_state_invalid"


def test_state_is_single_use(api):
    callback = api.authorize(api.start_login(), AN)
    body = {"code": callback["code"], "state": callback["state"]}
    assert api.post("/v1/auth/token", json=body).status_code == 200
    again = api.post("/v1/auth/token", json=body)
    assert again.status_code == 401
    assert again.json()["code"] == "login_state_invalid"


def test_replayed_code_is_refused_by_the_eid(api):
    callback = api.authorize(api.start_login(), AN)
    assert api.post("/v1/auth/token", json=callback).status_code == 200
    fresh_state = api.start_login()["state"]
    replay = api.post("/v1/auth/token", json={"code": callback["code"], "state": fresh_state})
    assert replay.status_code == 400
    assert replay.json()["code"] == "eid_rejected"


def test_code_from_another_login_attempt_fails_pkce(api):
    """A code stolen from one attempt cannot be redeemed under another attempt's state."""
    stolen = api.authorize(api.start_login(), AN)
    victim_state = api.start_login()["state"]
    answer = api.post("/v1/auth/token", json={"code": stolen["code"], "state": victim_state})
    assert answer.status_code == 400
    assert answer.json()["code"] == "eid_rejected"


def test_missing_fields_are_listed(api):
    answer = api.post("/v1/auth/token", json={"code": 42})
    assert answer.status_code == 400
    problem = answer.json()
    assert {(e["field"], e["code"]) for e in problem["errors"]} == {("code", "must_be_string"), ("state", "required")}


def test_redirect_uri_must_match_exactly(api):
    answer = api.post("/v1/auth/login", json={"redirect_uri": REDIRECT_URI + "/"})
    assert answer.status_code == 400
