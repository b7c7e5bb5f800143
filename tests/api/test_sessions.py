"""Refresh rotation, the reuse grace window, reuse detection, concurrency, logout and device management over HTTP."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import AN, BINH

GRACE = 30  # REFRESH_REUSE_GRACE_SECONDS of the test stack (the default)


def _refresh(api, refresh_token):
    return api.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


def test_refresh_rotates_both_tokens(api, an):
    answer = _refresh(api, an.refresh_token)
    assert answer.status_code == 200
    pair = answer.json()
    assert pair["refresh_token"] != an.refresh_token and pair["token_type"] == "Bearer"
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code == 200


def _devices(api, tokens) -> set[str]:
    return {d["device_id"] for d in api.get("/v1/me/devices", headers=tokens.auth).json()["items"]}


def _with_device(api, tokens) -> str:
    body = {
        "token": f"tok-{uuid.uuid4()}",
        "installation_id": uuid.uuid4().hex,
        "platform": "android",
        "locale": "vi",
        "app_version": "1.4.2",
    }
    answer = api.post("/v1/me/devices", headers=tokens.auth, json=body)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["device_id"]


def _bearer(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def test_a_refresh_token_reused_within_the_grace_window_gets_the_same_successor(api, an_phone, clock):
    """App resume and a background fetch refresh with the same token: both get the same pair, nothing is revoked."""
    device = _with_device(api, an_phone)
    first = _refresh(api, an_phone.refresh_token)
    second = _refresh(api, an_phone.refresh_token)
    assert first.status_code == 200 and second.status_code == 200, second.text
    assert second.json()["refresh_token"] == first.json()["refresh_token"]
    for pair in (first.json(), second.json()):
        assert api.get("/v1/me", headers=_bearer(pair)).status_code == 200
    assert device in _devices(api, an_phone)
    clock.advance(GRACE - 1)  # the last second of the window (access tokens signed now would be from the future)
    last = _refresh(api, an_phone.refresh_token)
    assert last.status_code == 200 and last.json()["refresh_token"] == first.json()["refresh_token"]
    clock.advance(1 - GRACE)
    assert device in _devices(api, an_phone)
    assert _refresh(api, first.json()["refresh_token"]).status_code == 200  # the successor works


def test_a_reuse_after_the_grace_window_revokes_the_session_and_its_devices(api, an, clock):
    device = _with_device(api, an)
    newer = _refresh(api, an.refresh_token).json()
    clock.advance(GRACE)
    reuse = _refresh(api, an.refresh_token)
    assert reuse.status_code == 401 and reuse.json()["code"] == "refresh_token_reused"
    clock.advance(-GRACE)  # back to the access tokens' time
    assert _refresh(api, newer["refresh_token"]).status_code == 401
    dead = api.get("/v1/me", headers=_bearer(newer))
    assert dead.status_code == 401 and dead.json()["code"] == "session_expired"
    other = api.login(AN)
    assert device not in _devices(api, other)
    api.post("/v1/auth/logout", headers=other.auth)


def test_reusing_a_grandparent_token_is_reuse_even_within_the_window(api, an):
    """Once the successor was itself rotated, the old token is not a twin request in flight: it is a replay."""
    child = _refresh(api, an.refresh_token).json()
    grandchild = _refresh(api, child["refresh_token"]).json()
    reuse = _refresh(api, an.refresh_token)
    assert reuse.status_code == 401 and reuse.json()["code"] == "refresh_token_reused"
    assert _refresh(api, grandchild["refresh_token"]).status_code == 401
    dead = api.get("/v1/me", headers=_bearer(grandchild))
    assert dead.status_code == 401 and dead.json()["code"] == "session_expired"


def test_concurrent_refreshes_of_one_token_all_get_the_same_successor(api):
    for _ in range(5):
        tokens = api.login(AN)
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: _refresh(api, tokens.refresh_token), range(4)))
        assert [a.status_code for a in answers] == [200] * 4, [a.text for a in answers]
        assert len({a.json()["refresh_token"] for a in answers}) == 1
        assert api.get("/v1/me", headers=_bearer(answers[0].json())).status_code == 200
        api.post("/v1/auth/logout", headers=tokens.auth)


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
    assert [(b["tax_code"], b["role"]) for b in allowed.json()["items"]] == [("0109123458", "legal_representative")]


def test_the_successor_kept_for_the_grace_window_is_sealed_and_expires_with_it(api, an):
    from chalicelib import wiring
    from chalicelib.adapters import dynamo
    from chalicelib.domain.sessions import hash_refresh_token

    successor = _refresh(api, an.refresh_token).json()["refresh_token"]
    item = wiring.table().get(dynamo.refresh_grace_key(hash_refresh_token(an.refresh_token)), consistent=True)
    assert successor not in str(item)
    assert item["expires_at"] == item["grace_until"] and item["successor_hash"] == hash_refresh_token(successor)
