"""The whole notification story over HTTP and SQS: an agency-like publisher puts a dossier update on the
notifications queue; the citizen gets one inbox entry and one push per device through the real SDK."""

import base64
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.events import DossierStatusChanged
from tests.api.test_devices import register
from tests.conftest import AN, BINH, CUONG, eventually
from tests.contract.openapi import assert_response_matches

INBOX, READ, READ_ALL = (
    "/v1/me/notifications",
    "/v1/me/notifications/{notification_id}/read",
    "/v1/me/notifications/read-all",
)
PREFS = "/v1/me/notification-preferences"
DEFAULT_PREFS = {
    "push": {"dossiers": True, "tax": True, "wallet": True, "city_alerts": True, "privacy": True},
    "quiet_hours": {"enabled": False, "start": "22:00", "end": "07:00", "time_zone": "Asia/Ho_Chi_Minh"},
}


def citizen_id(api, tokens):
    return api.get("/v1/me", headers=tokens.auth).json()["citizen_id"]


def dossier_update(citizen, status="received", event_id=None):
    return DossierStatusChanged(
        event_id=event_id or str(uuid.uuid4()),
        citizen_id=citizen,
        dossier_id=f"D-{uuid.uuid4().hex[:8]}",
        receipt_code="000.00.31.H26-251121-0001",
        procedure_code="1.001193",
        procedure_name_vi="Đăng ký khai sinh",
        procedure_name_en="Birth registration",
        status=status,
        occurred_at=datetime.now(UTC).isoformat(),
    )


def publish(update):
    wiring.notifications_publisher().publish(update.to_message())


def inbox(api, tokens, language="vi", cursor=None):
    answer = api.get(
        INBOX, headers={**tokens.auth, "Accept-Language": language}, params={"cursor": cursor} if cursor else None
    )
    assert_response_matches(answer, INBOX, "GET")
    assert answer.status_code == 200, answer.text
    return answer.json()


def entry_for(api, tokens, dossier_id, language="vi"):
    return next((n for n in inbox(api, tokens, language)["items"] if n["data"].get("dossier_id") == dossier_id), None)


def test_one_inbox_entry_and_one_push_per_device_in_its_language(api, an_phone, fcm):
    vi_token, en_token = f"tok-{uuid.uuid4()}", f"tok-{uuid.uuid4()}"
    register(api, an_phone, vi_token, "vi")
    register(api, an_phone, en_token, "en", platform="ios")
    update = dossier_update(citizen_id(api, an_phone))
    publish(update)
    entry = eventually(lambda: entry_for(api, an_phone, update.dossier_id))
    assert entry["category"] == "dossiers" and not entry["read"] and "đã được tiếp nhận" in entry["title"]
    assert entry["data"] == {"dossier_id": update.dossier_id, "receipt_code": update.receipt_code, "status": "received"}
    assert "Birth registration" in entry_for(api, an_phone, update.dossier_id, "en")["body"]
    vi, en = eventually(lambda: fcm.delivered(vi_token)), eventually(lambda: fcm.delivered(en_token))
    assert len(vi) == 1 and len(en) == 1
    assert vi[0]["message"]["notification"]["title"].startswith("Hồ sơ")
    assert en[0]["message"]["notification"]["title"].startswith("Dossier")
    assert en[0]["message"]["data"]["dossier_id"] == update.dossier_id


def test_a_second_delivery_of_the_event_or_the_push_job_sends_nothing(api, an_phone, fcm):
    from chalicelib.services.fanout import notify_dossier_update
    from chalicelib.services.push import send_push_job
    from chalicelib.wiring import fanout_ports, push_ports

    token = f"tok-{uuid.uuid4()}"
    device_id = register(api, an_phone, token)["device_id"]
    update = dossier_update(citizen_id(api, an_phone))
    publish(update)
    eventually(lambda: fcm.delivered(token))
    publish(update)
    assert notify_dossier_update(update, fanout_ports(), datetime.now(UTC)) == "duplicate"
    job = {
        "type": "push_job",
        "event_id": update.event_id,
        "citizen_id": update.citizen_id,
        "attempt": 0,
        "title": "t",
        "body": "b",
        "data": {},
        "targets": [{"device_id": device_id, "token": token}],
    }
    assert send_push_job(job, push_ports(), 0)["skipped"] == 1
    assert len(fcm.delivered(token)) == 1
    assert len([n for n in inbox(api, an_phone)["items"] if n["data"].get("dossier_id") == update.dossier_id]) == 1


def test_read_one_read_all_and_unread_count(api, cuong):
    me = citizen_id(api, cuong)
    updates = [dossier_update(me, status) for status in ("received", "processing", "approved")]
    for update in updates:
        publish(update)
    eventually(lambda: all(entry_for(api, cuong, u.dossier_id) for u in updates))
    before = inbox(api, cuong)["unread_count"]
    first = entry_for(api, cuong, updates[0].dossier_id)
    for _ in range(2):  # idempotent
        answer = api.post(READ.format(notification_id=first["id"]), headers=cuong.auth)
        assert_response_matches(answer, READ, "POST")
        assert answer.status_code == 204
    assert inbox(api, cuong)["unread_count"] == before - 1
    assert entry_for(api, cuong, updates[0].dossier_id)["read"]
    answer = api.post(READ_ALL, headers=cuong.auth)
    assert_response_matches(answer, READ_ALL, "POST")
    page = inbox(api, cuong)
    assert page["unread_count"] == 0 and all(n["read"] for n in page["items"])


def test_another_citizens_notification_is_not_found(api, an_phone, binh):
    update = dossier_update(citizen_id(api, an_phone))
    publish(update)
    entry = eventually(lambda: entry_for(api, an_phone, update.dossier_id))
    answer = api.post(READ.format(notification_id=entry["id"]), headers=binh.auth)
    assert_response_matches(answer, READ, "POST")
    assert answer.status_code == 404 and answer.json()["code"] == "notification_not_found"
    assert not entry_for(api, an_phone, update.dossier_id)["read"]
    assert api.post(READ.format(notification_id="../x"), headers=binh.auth).status_code == 404


def test_pages_newest_first_with_a_sealed_cursor_bound_to_its_citizen(api):
    cuong, binh = api.login(CUONG), api.login(BINH)
    me = citizen_id(api, cuong)
    updates = [dossier_update(me) for _ in range(21)]
    for update in updates:
        publish(update)
    eventually(lambda: entry_for(api, cuong, updates[-1].dossier_id) and inbox(api, cuong)["unread_count"] >= 21)
    first = inbox(api, cuong)
    assert len(first["items"]) == 20 and first["next_cursor"]
    stamps = [n["id"] for n in first["items"]]
    assert stamps == sorted(stamps, reverse=True)
    assert_cursor_is_opaque(first["next_cursor"], secrets=(me, stamps[-1]))
    second = inbox(api, cuong, cursor=first["next_cursor"])
    assert not {n["id"] for n in second["items"]} & set(stamps)
    for cursor, who in ((first["next_cursor"][:-2] + "xx", cuong), (first["next_cursor"], binh), ("garbage", cuong)):
        answer = api.get(INBOX, headers=who.auth, params={"cursor": cursor})
        assert_response_matches(answer, INBOX, "GET")
        assert answer.status_code == 400 and answer.json()["code"] == "cursor_invalid"
    short = api.get(INBOX, headers=cuong.auth, params={"limit": "5"})
    assert_response_matches(short, INBOX, "GET")
    assert [n["id"] for n in short.json()["items"]] == stamps[:5]
    unknown = api.get(INBOX, headers=cuong.auth, params={"page": "2"})
    assert_response_matches(unknown, INBOX, "GET")
    assert unknown.status_code == 400


def test_preferences_round_trip_and_every_bad_field_is_listed(api, cuong):
    answer = api.get(PREFS, headers=cuong.auth)
    assert_response_matches(answer, PREFS, "GET")
    wanted = {
        "push": {**DEFAULT_PREFS["push"], "tax": False},
        "quiet_hours": {"enabled": True, "start": "21:30", "end": "06:45", "time_zone": "Asia/Bangkok"},
    }
    saved = (
        api.put(PREFS, headers=cuong.auth, json=wanted)
        if hasattr(api, "put")
        else api.request("PUT", PREFS, headers=cuong.auth, json=wanted)
    )
    assert_response_matches(saved, PREFS, "PUT")
    assert saved.json() == wanted == api.get(PREFS, headers=cuong.auth).json()
    bad = {
        "push": {"dossiers": "yes", "sms": True},
        "quiet_hours": {"enabled": True, "start": "25:00", "end": "7:00", "time_zone": "Mars/Olympus"},
    }
    refused = api.request("PUT", PREFS, headers=cuong.auth, json=bad)
    assert_response_matches(refused, PREFS, "PUT")
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {
        "push.dossiers",
        "push.sms",
        "push.tax",
        "quiet_hours.start",
        "quiet_hours.end",
        "quiet_hours.time_zone",
    } <= fields
    for body in ({}, {"push": [], "quiet_hours": "night"}):
        answer = api.request("PUT", PREFS, headers=cuong.auth, json=body)
        assert_response_matches(answer, PREFS, "PUT")
        assert answer.status_code == 400
    assert api.request("PUT", PREFS, headers=cuong.auth, json=DEFAULT_PREFS).status_code == 200


@contextmanager
def quiet_hours_now(api, phone):
    """Quiet hours from an hour ago to an hour ahead, for a freshly registered device of `phone`; yields its
    token and the minute (UTC, as parked pushes are keyed) and instant the quiet hours end."""
    local = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    quiet = {
        "enabled": True,
        "start": (local - timedelta(hours=1)).strftime("%H:%M"),
        "end": (local + timedelta(hours=1)).strftime("%H:%M"),
        "time_zone": "Asia/Ho_Chi_Minh",
    }
    token = f"tok-{uuid.uuid4()}"
    register(api, phone, token)
    assert api.request("PUT", PREFS, headers=phone.auth, json={**DEFAULT_PREFS, "quiet_hours": quiet}).ok
    release = (local + timedelta(hours=1)).replace(second=0, microsecond=0)
    try:
        yield token, release.astimezone(UTC).strftime("%Y%m%d%H%M"), release
    finally:
        api.request("PUT", PREFS, headers=phone.auth, json=DEFAULT_PREFS)


def test_quiet_hours_write_the_inbox_now_and_push_at_their_end(api, an_phone, fcm):
    from chalicelib.services.parked_pushes import release_due_pushes

    with quiet_hours_now(api, an_phone) as (token, minute, release):
        update = dossier_update(citizen_id(api, an_phone))
        publish(update)
        eventually(lambda: entry_for(api, an_phone, update.dossier_id))
        eventually(lambda: any(job["event_id"] == update.event_id for _, job in wiring.parked_pushes().due(minute)))
        assert fcm.delivered(token) == []
        release_due_pushes(wiring.parked_pushes(), wiring.push_publisher(), release)  # its minute is not over
        assert any(job["event_id"] == update.event_id for _, job in wiring.parked_pushes().due(minute))
        release_due_pushes(wiring.parked_pushes(), wiring.push_publisher(), release + timedelta(minutes=1))
        assert len(eventually(lambda: fcm.delivered(token))) == 1


def test_push_switched_off_for_dossiers_still_writes_the_inbox(api, an_phone, fcm):
    token = f"tok-{uuid.uuid4()}"
    register(api, an_phone, token)
    off = {**DEFAULT_PREFS, "push": {**DEFAULT_PREFS["push"], "dossiers": False}}
    assert api.request("PUT", PREFS, headers=an_phone.auth, json=off).ok
    try:
        update = dossier_update(citizen_id(api, an_phone))
        publish(update)
        eventually(lambda: entry_for(api, an_phone, update.dossier_id))
        marker = wiring.table().get({"pk": f"NOTIFIED#{update.event_id}", "sk": "NOTIFIED"}, consistent=True)
        assert eventually(lambda: wiring.inbox().pushes_pending(update.event_id) is False) and marker
        assert fcm.delivered(token) == []
    finally:
        api.request("PUT", PREFS, headers=an_phone.auth, json=DEFAULT_PREFS)


def test_anonymous_calls_are_refused(api):
    for method, path, template in (
        ("GET", INBOX, INBOX),
        ("POST", READ.format(notification_id="x"), READ),
        ("POST", READ_ALL, READ_ALL),
        ("GET", PREFS, PREFS),
        ("PUT", PREFS, PREFS),
    ):
        answer = api.request(method, path)
        assert_response_matches(answer, template, method)
        assert answer.status_code == 401
    assert AN


def assert_cursor_is_opaque(cursor: str, secrets: tuple[str, ...]) -> None:
    """Neither the citizen's partition key nor the position shows through, in any part of the cursor."""
    for part in cursor.split("."):
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        for secret in secrets:
            assert secret.encode() not in raw and secret not in cursor, secret


def test_a_citizen_with_more_than_a_hundred_sessions_still_gets_the_push(api, fcm):
    """Sessions linger until TTL; a device's own session decides, not the first page of the citizen's sessions."""
    from dataclasses import replace

    from chalicelib.domain.sessions import SessionPolicy, open_session
    from tests.conftest import HOLDER

    hoa = api.login(HOLDER.personal_id, "phone")
    citizen = citizen_id(api, hoa)
    now, policy = int(datetime.now(UTC).timestamp()), SessionPolicy(900, 86400, 86400)
    for index in range(101):  # ids sorting before any real session's (hex): the first page is all of them
        lingering = replace(open_session(citizen, 2, now, policy), session_id=f"0{index:03d}")
        wiring.sessions().open(lingering, f"lingering-{uuid.uuid4().hex}")
    token = f"tok-{uuid.uuid4()}"
    register(api, hoa, token)
    try:
        publish(dossier_update(citizen))
        assert len(eventually(lambda: fcm.delivered(token))) == 1
    finally:
        for index in range(101):
            wiring.sessions().end(citizen, f"0{index:03d}")
        api.post("/v1/auth/logout", headers=hoa.auth)
