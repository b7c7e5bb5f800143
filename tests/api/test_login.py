"""The eID login flow end to end over HTTP, for each demo citizen, and each way it can fail."""

import pytest

from devstack.stack import REDIRECT_URI
from tests.conftest import AN, BINH, CUONG, login_request

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
    answer = api.post("/v1/auth/login", json=login_request(redirect_uri="https://evil.example/callback"))
    assert answer.status_code == 400
    assert answer.json()["code"] == "redirect_uri_not_allowed"


def _exchange(api, login: dict, callback: dict, **overrides):
    body = {"code": callback["code"], "state": callback["state"], "code_verifier": login["code_verifier"]}
    return api.post("/v1/auth/token", json={**body, **overrides})


def test_unknown_state_is_refused(api):
    login = api.start_login()
    answer = _exchange(api, login, api.authorize(login, AN), state="not-a-state-we-issued")
    assert answer.status_code == 401
    assert answer.json()["code"] == "login_state_invalid"


def test_state_is_single_use(api):
    login = api.start_login()
    callback = api.authorize(login, AN)
    assert _exchange(api, login, callback).status_code == 200
    again = _exchange(api, login, callback)
    assert again.status_code == 401
    assert again.json()["code"] == "login_state_invalid"


def test_replayed_code_is_refused_by_the_eid(api):
    login = api.start_login()
    callback = api.authorize(login, AN)
    assert _exchange(api, login, callback).status_code == 200
    fresh = api.start_login()
    replay = _exchange(api, fresh, {"code": callback["code"], "state": fresh["state"]})
    assert replay.status_code == 400
    assert replay.json()["code"] == "eid_rejected"


def test_code_from_another_login_attempt_fails_pkce(api):
    """A code stolen from one attempt cannot be redeemed under another attempt's state."""
    stolen = api.authorize(api.start_login(), AN)
    victim = api.start_login()
    answer = _exchange(api, victim, {"code": stolen["code"], "state": victim["state"]})
    assert answer.status_code == 400
    assert answer.json()["code"] == "eid_rejected"


def test_missing_fields_are_listed(api):
    answer = api.post("/v1/auth/token", json={"code": 42})
    assert answer.status_code == 400
    problem = answer.json()
    assert {(e["field"], e["code"]) for e in problem["errors"]} == {
        ("code", "must_be_string"),
        ("state", "required"),
        ("code_verifier", "required"),
    }


def test_redirect_uri_must_match_exactly(api):
    answer = api.post("/v1/auth/login", json=login_request(redirect_uri=REDIRECT_URI + "/"))
    assert answer.status_code == 400


# --- the login is bound to the app instance that started it (the app's PKCE, RFC 7636) ----------------


def test_an_intercepted_callback_cannot_be_exchanged_without_the_verifier(api):
    """Another app claiming the redirect scheme sees code and state, never the verifier: its exchange fails,
    and burns the attempt, so the real app's own exchange with the right verifier fails too."""
    login = api.start_login()
    callback = api.authorize(login, AN)
    intercepted = _exchange(api, login, callback, code_verifier="x" * 43)
    assert intercepted.status_code == 401 and intercepted.json()["code"] == "code_verifier_mismatch"
    after = _exchange(api, login, callback)
    assert after.status_code == 401 and after.json()["code"] == "login_state_invalid"


def test_the_right_verifier_logs_in_once(api):
    login = api.start_login()
    callback = api.authorize(login, AN)
    assert _exchange(api, login, callback).status_code == 200
    reuse = _exchange(api, login, callback)
    assert reuse.status_code == 401 and reuse.json()["code"] == "login_state_invalid"


def test_a_verifier_of_another_login_does_not_fit(api):
    mine, other = api.start_login(), api.start_login()
    answer = _exchange(api, mine, api.authorize(mine, AN), code_verifier=other["code_verifier"])
    assert answer.status_code == 401 and answer.json()["code"] == "code_verifier_mismatch"


def test_login_needs_an_s256_code_challenge(api):
    missing = api.post("/v1/auth/login", json={"redirect_uri": REDIRECT_URI})
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} == {"code_challenge", "code_challenge_method"}
    plain = api.post("/v1/auth/login", json=login_request(code_challenge_method="plain"))
    assert plain.status_code == 400 and plain.json()["code"] == "code_challenge_method_unsupported"
    short = api.post("/v1/auth/login", json=login_request(code_challenge="a" * 42))
    assert short.status_code == 400 and short.json()["errors"][0] == {
        "field": "code_challenge",
        "code": "invalid_format",
        "detail": short.json()["errors"][0]["detail"],
    }


@pytest.mark.parametrize("verifier", ["a" * 42, "a" * 129, "a" * 42 + "+", "a" * 42 + "="])
def test_a_malformed_verifier_is_refused_as_invalid_format(api, verifier):
    login = api.start_login()
    answer = _exchange(api, login, api.authorize(login, AN), code_verifier=verifier)
    assert answer.status_code == 400
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [("code_verifier", "invalid_format")]


def test_verifiers_of_every_allowed_length_and_character_work(api):
    for verifier in ("A-._~" + "z" * 38, "0" * 128):
        login = api.post("/v1/auth/login", json=login_request(verifier)).json()
        callback = api.authorize(login, AN)
        assert _exchange(api, {"code_verifier": verifier}, callback).status_code == 200
