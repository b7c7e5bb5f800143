"""DynamoDB repositories for the inbox (entries, unread counter, event dedupe), notification preferences,
per-device push markers and pushes parked until quiet hours end."""

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.notifications import InboxEntry, InboxPage, Preferences, QuietHours

_DAY = 86400
EVENT_DEDUPE_TTL = 30 * _DAY
PUSH_MARKER_TTL = 7 * _DAY
_TRANSACTION_LIMIT = 100


class DynamoInboxRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def record(self, citizen_id: str, event_id: str, entry: InboxEntry, now: int) -> bool:
        """Entry, unread +1 and the event's dedupe item in one transaction; False if the event was seen, or if
        the citizen's account is gone (a notice still queued when it was erased must not bring a trace back)."""
        dedupe = {
            **dynamo.notified_event_key(event_id),
            "citizen_id": citizen_id,
            "notification_id": entry.notification_id,
            "pushed": False,
            "expires_at": now + EVENT_DEDUPE_TTL,
        }
        try:
            self._table.transact(
                [
                    dynamo_table.put_operation(dedupe, "attribute_not_exists(pk)"),
                    dynamo_table.put_operation(_entry_item(citizen_id, entry)),
                    dynamo_table.update_operation(dynamo.inbox_state_key(citizen_id), "ADD unread :one", {":one": 1}),
                    dynamo_table.check_operation(dynamo.profile_key(citizen_id), "attribute_exists(pk)"),
                ]
            )
        except ConditionFailed:
            return False
        return True

    def pushes_pending(self, event_id: str) -> bool:
        """A seen event whose pushes were not all enqueued yet (the worker died in between)."""
        item = self._table.get(dynamo.notified_event_key(event_id), consistent=True)
        return bool(item) and not item.get("pushed")

    def mark_pushed(self, event_id: str) -> None:
        self._table.update(dynamo.notified_event_key(event_id), "SET pushed = :t", {":t": True})

    def page(self, citizen_id: str, limit: int, after: str | None) -> InboxPage:
        items, last = self._table.query_page(
            f"CITIZEN#{citizen_id}", dynamo.NOTIFICATION_PREFIX, newest_first=True, limit=limit, after=after
        )
        state = self._table.get(dynamo.inbox_state_key(citizen_id)) or {}
        watermark = state.get("read_before", "")
        entries = [_entry(item, read_before=watermark) for item in items]
        return InboxPage(entries, max(int(state.get("unread", 0)), 0), last)

    def mark_read(self, citizen_id: str, notification_id: str) -> bool:
        """Unread -> read and unread -1 together; False when there is no such entry for this citizen."""
        key = dynamo.notification_key(citizen_id, notification_id)
        counter = dynamo_table.update_operation(
            dynamo.inbox_state_key(citizen_id),
            "ADD unread :minus",
            {":minus": -1, ":sk": key["sk"]},
            condition="attribute_not_exists(read_before) OR read_before < :sk",
        )
        flip = dynamo_table.update_operation(
            key, "SET #r = :t", {":t": True, ":f": False}, condition="attribute_exists(pk) AND #r = :f"
        )
        flip["Update"]["ExpressionAttributeNames"] = {"#r": "read"}
        try:
            self._table.transact([flip, counter])
            return True
        except ConditionFailed:  # already read, covered by read-all, or missing
            return self._table.get(key) is not None

    def mark_all_read(self, citizen_id: str, watermark_id: str) -> None:
        """Everything up to now counts as read, in one write, however long the inbox."""
        self._table.update(
            dynamo.inbox_state_key(citizen_id),
            "SET unread = :zero, read_before = :sk",
            {":zero": 0, ":sk": dynamo.NOTIFICATION_PREFIX + watermark_id},
        )


def _entry_item(citizen_id: str, entry: InboxEntry) -> dict[str, Any]:
    return {**dynamo.notification_key(citizen_id, entry.notification_id), **asdict(entry)}


def _entry(item: dict[str, Any], read_before: str) -> InboxEntry:
    return InboxEntry(
        notification_id=item["notification_id"],
        category=item["category"],
        texts={k: dict(v) for k, v in item["texts"].items()},
        data={k: str(v) for k, v in item.get("data", {}).items()},
        created_at=item["created_at"],
        read=bool(item.get("read")) or item["sk"] <= read_before,
    )


class DynamoPreferenceRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def get(self, citizen_id: str) -> Preferences:
        item = self._table.get(dynamo.preferences_key(citizen_id))
        if not item:
            return Preferences()
        quiet = item.get("quiet_hours", {})
        return Preferences(
            push={**Preferences().push, **{k: bool(v) for k, v in item.get("push", {}).items()}},
            quiet_hours=QuietHours(**{k: quiet[k] for k in ("enabled", "start", "end", "time_zone") if k in quiet}),
        )

    def put(self, citizen_id: str, preferences: Preferences) -> None:
        self._table.put(
            {
                **dynamo.preferences_key(citizen_id),
                "push": dict(preferences.push),
                "quiet_hours": asdict(preferences.quiet_hours),
            }
        )


class DynamoPushMarkers:
    """One marker per (event, device), put conditionally before the send: a second delivery finds it."""

    def __init__(self, table: DynamoTable):
        self._table = table

    def claim(self, event_id: str, device_ids: list[str], now: int) -> set[str]:
        claimed: set[str] = set()
        for start in range(0, len(device_ids), _TRANSACTION_LIMIT):
            claimed |= self._claim_some(event_id, device_ids[start : start + _TRANSACTION_LIMIT], now)
        return claimed

    def _claim_some(self, event_id: str, device_ids: list[str], now: int) -> set[str]:
        """A transaction fails whole; its cancellation reasons name the devices already claimed: drop, retry."""
        pending = list(device_ids)
        while pending:
            try:
                self._table.transact(
                    [
                        dynamo_table.put_operation(
                            {**dynamo.push_marker_key(event_id, d), "expires_at": now + PUSH_MARKER_TTL},
                            "attribute_not_exists(pk)",
                        )
                        for d in pending
                    ]
                )
                return set(pending)
            except ConditionFailed as lost:
                pending = [
                    d for d, reason in zip(pending, lost.reasons, strict=False) if reason != "ConditionalCheckFailed"
                ]
        return set()

    def release(self, event_id: str, device_ids: Iterable[str]) -> None:
        """The send failed retryably: the retry must be able to claim these devices again."""
        for device_id in device_ids:
            self._table.delete(dynamo.push_marker_key(event_id, device_id))


class DynamoParkedPushes:
    """Push jobs waiting for the end of quiet hours, in one partition per release minute."""

    def __init__(self, table: DynamoTable):
        self._table = table

    def park(self, release_minute: str, job_id: str, job: dict[str, Any], expires_at: int) -> None:
        self._table.put(
            {
                **dynamo_buckets.parked_push_key(release_minute, job_id),
                "job": json.dumps(job, ensure_ascii=False),
                "expires_at": expires_at,
            }
        )

    def due(self, release_minute: str) -> list[tuple[str, dict[str, Any]]]:
        jobs, start = [], None
        while True:
            items, start = self._table.query_page(f"PARKED#{release_minute}", limit=100, after=start)
            jobs += [(item["sk"], json.loads(item["job"])) for item in items]
            if not start:
                return jobs

    def remove(self, release_minute: str, job_id: str) -> None:
        self._table.delete(dynamo_buckets.parked_push_key(release_minute, job_id))

    def released_up_to(self) -> str | None:
        item = self._table.get(dynamo_buckets.parked_release_key(), consistent=True)
        return item["minute"] if item else None

    def set_released_up_to(self, release_minute: str) -> None:
        self._table.put({**dynamo_buckets.parked_release_key(), "minute": release_minute})
