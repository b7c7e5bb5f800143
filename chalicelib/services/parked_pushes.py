"""Releasing pushes parked for quiet hours: every minute bucket up to now goes onto the push queue.

Run by a schedule (every minute on AWS; every few seconds locally). Two runs overlapping may enqueue a
job twice: the push worker's per-device markers make that harmless.
"""

from datetime import UTC, datetime, timedelta

from chalicelib import logs
from chalicelib.services.fanout import release_minute
from chalicelib.services.notification_ports import ParkedPushes, Queue

LOOKBACK = timedelta(hours=24)  # after an outage of the schedule: how far back to look
FIRST_LOOKBACK = timedelta(minutes=10)


def release_due_pushes(parked: ParkedPushes, push_queue: Queue, now: datetime) -> int:
    released = 0
    last = parked.released_up_to()
    for minute in _minutes_to_release(last, now):
        for job_id, job in parked.due(minute):
            push_queue.publish(job)
            parked.remove(minute, job_id)
            released += 1
        parked.set_released_up_to(minute)
    if released:
        logs.log("parked_pushes_released", jobs=released)
    return released


def _minutes_to_release(last: "str | None", now: datetime) -> list[str]:
    """Every minute after the last one released, up to the one before the current minute: a push parked
    for the current minute may still be being written (quiet hours ended seconds ago), so its minute is
    released only once it is over."""
    end = now.astimezone(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    start = end - (LOOKBACK if last else FIRST_LOOKBACK)
    if last:
        start = max(start, datetime.strptime(last, "%Y%m%d%H%M").replace(tzinfo=UTC) + timedelta(minutes=1))
    minutes, moment = [], start
    while moment <= end:
        minutes.append(release_minute(moment))
        moment += timedelta(minutes=1)
    return minutes
