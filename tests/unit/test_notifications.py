"""Pure rules of notifications: quiet hours across midnight and time zones, chunking, FCM outcome classes."""

from datetime import UTC, datetime

import pytest

from chalicelib.adapters.fcm import classify
from chalicelib.domain.notifications import QuietHours, RetryPolicy, chunk, is_hhmm, is_time_zone, quiet_hours_end

NIGHT = QuietHours(enabled=True, start="22:00", end="07:00", time_zone="Asia/Ho_Chi_Minh")  # UTC+7


@pytest.mark.parametrize(
    "utc, release",
    [
        ("2026-01-10T15:30", "2026-01-11T00:00"),  # 22:30 local -> 07:00 next day local
        ("2026-01-10T19:00", "2026-01-11T00:00"),  # 02:00 local -> 07:00 same day local
        ("2026-01-10T00:00", None),  # 07:00 local: quiet hours are over
        ("2026-01-10T08:00", None),  # 15:00 local
    ],
)
def test_quiet_hours_across_midnight(utc, release):
    now = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    expected = datetime.fromisoformat(release).replace(tzinfo=UTC) if release else None
    assert quiet_hours_end(NIGHT, now) == expected


def test_disabled_or_empty_quiet_hours_never_wait():
    now = datetime(2026, 1, 10, 16, 0, tzinfo=UTC)
    assert quiet_hours_end(QuietHours(enabled=False), now) is None
    assert quiet_hours_end(QuietHours(enabled=True, start="08:00", end="08:00"), now) is None


def test_daytime_quiet_hours():
    lunch = QuietHours(enabled=True, start="12:00", end="13:30", time_zone="Asia/Ho_Chi_Minh")
    now = datetime(2026, 1, 10, 5, 15, tzinfo=UTC)  # 12:15 local
    assert quiet_hours_end(lunch, now) == datetime(2026, 1, 10, 6, 30, tzinfo=UTC)


def test_validators_and_chunks():
    assert is_hhmm("00:00") and is_hhmm("23:59") and not is_hhmm("24:00") and not is_hhmm("7:00")
    assert not is_hhmm("22:00\n") and not is_hhmm("２２:００")
    assert is_time_zone("Europe/Paris") and not is_time_zone("Mars/Olympus") and not is_time_zone("../etc")
    assert [len(c) for c in chunk(list(range(1201)))] == [500, 500, 201]


def test_fcm_exceptions_are_classified_by_what_to_do():
    from firebase_admin import exceptions, messaging

    assert classify(None) == "sent"
    assert classify(messaging.UnregisteredError("x")) == "dead"
    assert classify(messaging.SenderIdMismatchError("x")) == "dead"
    assert classify(messaging.QuotaExceededError("x")) == "retry"
    assert classify(exceptions.UnavailableError("x")) == "retry"
    assert classify(exceptions.InternalError("x")) == "retry"
    assert classify(exceptions.InvalidArgumentError("x")) == "failed"


def test_backoff_grows_and_is_capped_by_sqs():
    policy = RetryPolicy(max_attempts=5, base_delay_seconds=30)
    assert 24 <= policy.delay(0) <= 36 and 96 <= policy.delay(2) <= 144 and policy.delay(10) == 900


class _Markers:
    def __init__(self):
        self.held: set[tuple[str, str]] = set()

    def claim(self, event_id, device_ids, now):
        fresh = {d for d in device_ids if (event_id, d) not in self.held}
        self.held |= {(event_id, d) for d in fresh}
        return fresh

    def release(self, event_id, device_ids):
        self.held -= {(event_id, d) for d in device_ids}


class _Sender:
    def __init__(self, failures: int):
        self.failures, self.sent = failures, []

    def send(self, title, body, data, tokens):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("FCM unreachable")
        self.sent += tokens
        return ["sent"] * len(tokens)


def test_a_send_that_fails_whole_gives_the_devices_back_so_the_redelivery_pushes():
    from unittest import mock

    from chalicelib.services.notification_ports import Devices, PushPorts, Queue
    from chalicelib.services.push import send_push_job

    sender = _Sender(failures=1)
    ports = PushPorts(
        sender=sender,
        markers=_Markers(),
        devices=mock.Mock(spec=Devices),
        push_queue=mock.Mock(spec=Queue),
        dead_letters=mock.Mock(spec=Queue),
    )
    job = {
        "type": "push_job",
        "event_id": "e1",
        "citizen_id": "c",
        "title": "t",
        "body": "b",
        "data": {},
        "targets": [{"device_id": "d1", "token": "tok-1"}],
    }
    with pytest.raises(ConnectionError):
        send_push_job(job, ports, 0)
    assert send_push_job(job, ports, 0)["sent"] == 1 and sender.sent == ["tok-1"]
