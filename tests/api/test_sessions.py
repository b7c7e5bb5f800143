"""Refresh rotation, reuse detection, concurrency, logout and device management over HTTP."""

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import AN, BINH


def _refresh(api, refresh_token):
    return api.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


def test_refresh_rotates_both_tokens(api, an):
    answer = _refresh(api, an.refresh_token)
    assert answer.status_code == 200
    pair = answer.json()
    assert pair["refresh_token"] != an.refresh_token and pair["token_type"] == "Bearer"
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_session(api, an):
    newer = _refresh(api, an.refresh_token).json()
    reuse = _refresh(api, an.refresh_token)
    assert reuse.status_code == 401
    assert reuse.json()["code"] == "refresh_token_reused"
    assert _refresh(api, newer["refresh_token"]).status_code == 401
    dead = api.get("/v1/me", headers={"Authorization": f"Bearer {newer['access_token']}"})
    assert dead.status_code == 401 and dead.json()["code"] == "session_expired"


def test_concurrent_refreshes_of_one_token_exactly_one_succeeds(api):
    for _ in range(5):
        tokens = api.login(AN)
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: _refresh(api, tokens.refresh_token), range(4)))
        statuses = [a.status_code for a in answers]
        assert statuses.count(200) == 1, [a.text for a in answers]
        assert all(s in (200, 401, 409) for s in statuses)


def test_unknown_refresh_token_is_refused(api):
    answer = _refresh(api, "x" * 43)
    assert answer.status_code == 401
    assert answer.json()["code"] == "refresh_token_invalid"


def test_logout_kills_access_and_refresh_tokens(api, an):
    assert api.post("/v1/auth/logout", headers=an.auth).status_code == 204
    after = api.get("/v1/me", headers=an.auth)
    assert after.status_code == 401 and after.json()["code"] == "session_expired"
    assert _refresh(api, an.refresh_token).status_code == 401


def test_a_citizen_can_end_another_of_their_sessions(api):
    phone, tablet = api.login(AN, "phone"), api.login(AN, "tablet")
    sessions = api.get("/v1/me/sessions", headers=phone.auth).json()["items"]
    tablet_id = next(s["session_id"] for s in sessions if s["device_name"] == "tablet" and not s["current"])
    assert api.delete(f"/v1/me/sessions/{tablet_id}", headers=phone.auth).status_code == 204
    assert api.get("/v1/me", headers=tablet.auth).status_code == 401
    assert api.get("/v1/me", headers=phone.auth).status_code == 200


def test_another_citizens_session_is_not_found(api):
    an, binh = api.login(AN), api.login(BINH)
    binh_session = api.get("/v1/me/sessions", headers=binh.auth).json()["items"][0]["session_id"]
    answer = api.delete(f"/v1/me/sessions/{binh_session}", headers=an.auth)
    assert answer.status_code == 404
    assert api.get("/v1/me", headers=binh.auth).status_code == 200


def test_level_two_route_refuses_level_one_citizen_with_reason(api, cuong, binh):
    refused = api.get("/v1/me/businesses", headers={**cuong.auth, "Accept-Language": "en"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "eid_level_too_low" and "level 2" in refused.json()["detail"]
    allowed = api.get("/v1/me/businesses", headers=binh.auth)
    assert allowed.json()["items"] == [{"tax_code": "0109123458", "role": "legal_representative"}]
