"""Sending one push job (≤ 500 devices, one text) and acting on FCM's answer per device.

Exactly once per (event, device): a marker is claimed before the send, so a second SQS delivery of the
same job sends nothing; a retryable failure gives the marker back before the retry is enqueued.
Retries are ours, not SQS redrive's: only the failed tokens go back on the queue, with an attempt
counter and an exponential DelaySeconds; after `max_attempts` they go to the push DLQ explicitly.
"""

from typing import Any

from chalicelib import logs
from chalicelib.services.notification_ports import PushPorts

SENT, DEAD, RETRY, FAILED = "sent", "dead", "retry", "failed"


def send_push_job(job: dict[str, Any], ports: PushPorts, now: int) -> dict[str, int]:
    """Counts per outcome (plus "skipped": devices already pushed for this event)."""
    targets = job["targets"]
    claimed = ports.markers.claim(job["event_id"], [t["device_id"] for t in targets], now)
    sending = [t for t in targets if t["device_id"] in claimed]
    outcomes = _send(job, sending, ports) if sending else []
    by_outcome: dict[str, list[dict[str, str]]] = {SENT: [], DEAD: [], RETRY: [], FAILED: []}
    for target, outcome in zip(sending, outcomes, strict=True):
        by_outcome[outcome].append(target)
    for target in by_outcome[DEAD]:
        ports.devices.delete_dead(target["token"])
    _retry_later(job, by_outcome[RETRY], ports)
    counts = {name: len(group) for name, group in by_outcome.items()}
    counts["skipped"] = len(targets) - len(sending)
    logs.log("push_job_sent", event_id=job["event_id"], attempt=job.get("attempt", 0), **counts)
    return counts


def _send(job: dict[str, Any], sending: list[dict[str, str]], ports: PushPorts) -> list[str]:
    """A send that fails whole (network, auth) gives the markers back, so SQS's redelivery sends."""
    try:
        return ports.sender.send(job["title"], job["body"], job["data"], [t["token"] for t in sending])
    except Exception:
        ports.markers.release(job["event_id"], [t["device_id"] for t in sending])
        raise


def _retry_later(job: dict[str, Any], failed: list[dict[str, str]], ports: PushPorts) -> None:
    if not failed:
        return
    ports.markers.release(job["event_id"], [t["device_id"] for t in failed])
    attempt = int(job.get("attempt", 0)) + 1
    retry = {**job, "targets": failed, "attempt": attempt}
    if attempt >= ports.policy.max_attempts:
        ports.dead_letters.publish({**retry, "reason": "fcm_retries_exhausted"})
        logs.log("push_dead_lettered", level="WARNING", event_id=job["event_id"], devices=len(failed))
        return
    ports.push_queue.publish(retry, delay_seconds=ports.policy.delay(attempt - 1))
