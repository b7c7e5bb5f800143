"""Closing an account through HTTP: asked with a fresh eID level 2 login, told at once and 3 days before the
end of the 30-day grace period, cancellable until then; level 1 and stale logins are refused."""

from dataclasses import replace
from datetime import UTC, datetime

from chalicelib.domain.deletion import GRACE_SECONDS, REMINDER_BEFORE_SECONDS
from tests.conftest import CUONG, HOLDER, TellingRecorder, eventually
from tests.contract.openapi import assert_response_matches

DELETION = "/v1/me/deletion"


def notice(api, tokens, change):
    items = api.get("/v1/me/notifications", headers=tokens.auth).json()["items"]
    return next((n for n in items if n["data"].get("deletion") == change), None)


def instant(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def test_a_fresh_login_asks_once_is_told_and_cancels(api, clock):
    hoa = api.login(HOLDER.personal_id)
    assert api.get(DELETION, headers=hoa.auth).status_code == 404
    asked = api.post(DELETION, headers=hoa.auth)
    assert asked.status_code == 201, asked.text
    assert_response_matches(asked, DELETION, "POST")
    body = asked.json()
    assert instant(body["erase_at"]) - instant(body["requested_at"]) == GRACE_SECONDS
    assert instant(body["erase_at"]) - instant(body["reminder_at"]) == REMINDER_BEFORE_SECONDS
    again = api.post(DELETION, headers=hoa.auth)
    assert again.status_code == 200 and again.json() == body  # the request that stands, not a new grace period
    assert api.get(DELETION, headers=hoa.auth).json() == body
    told = eventually(lambda: notice(api, hoa, "scheduled"))
    assert told["category"] == "account" and "30" in told["body"]
    assert api.delete(DELETION, headers=hoa.auth).status_code == 204
    assert eventually(lambda: notice(api, hoa, "cancelled"))
    assert api.get(DELETION, headers=hoa.auth).status_code == 404
    gone = api.delete(DELETION, headers=hoa.auth)
    assert gone.status_code == 404 and gone.json()["code"] == "deletion_not_found"


def test_a_login_older_than_10_minutes_or_at_level_1_cannot_ask(api, clock):
    hoa, cuong = api.login(HOLDER.personal_id), api.login(CUONG)
    assert api.post(DELETION, headers=cuong.auth).json()["code"] == "eid_level_too_low"
    clock.advance(601)  # tokens signed from now on would be from the future: both logins come first
    stale = api.post(DELETION, headers=hoa.auth)
    assert stale.status_code == 403 and stale.json()["code"] == "fresh_login_required"
    assert_response_matches(stale, DELETION, "POST")
    assert api.get(DELETION, headers=hoa.auth).status_code == 404


def test_the_reminder_comes_3_days_before_once_and_not_after_a_cancel(api, clock):
    from chalicelib.services.deletion import remind_due_deletions
    from chalicelib.wiring.deletion import deletion_ports

    hoa = api.login(HOLDER.personal_id)
    reminder_at = instant(api.post(DELETION, headers=hoa.auth).json()["reminder_at"])
    queue = TellingRecorder(deletion_ports().publisher)
    ports = replace(deletion_ports(), publisher=queue)
    try:
        assert remind_due_deletions(ports, datetime.fromtimestamp(reminder_at - 60, UTC)) == 0
        assert remind_due_deletions(ports, datetime.fromtimestamp(reminder_at + 60, UTC)) == 1
        assert remind_due_deletions(ports, datetime.fromtimestamp(reminder_at + 3600, UTC)) == 0
        assert [m["change"] for m in queue.messages] == ["reminder"]
        assert eventually(lambda: notice(api, hoa, "reminder"))
    finally:
        api.delete(DELETION, headers=hoa.auth)
    hoa_again = api.login(HOLDER.personal_id)
    reminder_at = instant(api.post(DELETION, headers=hoa_again.auth).json()["reminder_at"])
    assert api.delete(DELETION, headers=hoa_again.auth).status_code == 204
    assert remind_due_deletions(ports, datetime.fromtimestamp(reminder_at + 60, UTC)) == 0
