"""The monthly access digest: on the 1st (Vietnam time) each citizen whose data others touched last month is told
how many organisations did, once per citizen and month, unless they turned the `privacy` category off."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib import logs
from chalicelib.domain.access_log import MONTH_SHARDS, AccessQuery, month_bounds, previous_month
from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.events import AccessDigest
from chalicelib.services.access_log import AccessLog
from chalicelib.services.notification_ports import PreferenceStore, Queue

PAGE = 100


class DigestMarks(Protocol):
    def citizens_of(self, person_keys: list[str]) -> dict[str, str]: ...
    def sent(self, person_key: str, month: str) -> bool: ...
    def mark_sent(self, person_key: str, month: str) -> None: ...


@dataclass(frozen=True)
class AccessDigestPorts:
    access_log: AccessLog
    marks: DigestMarks
    preferences: PreferenceStore
    notifications: Queue


def send_digests(ports: AccessDigestPorts, now: datetime) -> int:
    """How many digests were published for the month before `now` (Vietnam time). A rerun sends none twice:
    a mark after each publish, and the inbox's dedupe on the event id if a crash came in between."""
    month, published = previous_month(now), 0
    for shard in range(MONTH_SHARDS):
        after: str | None = None
        while True:
            page = ports.access_log.people_in_month(month, shard, after, PAGE)
            published += _digest_people(ports, month, page.items)
            if page.after is None:
                break
            after = page.after
    logs.log("access_digests_published", month=month, count=published)
    return published


def _digest_people(ports: AccessDigestPorts, month: str, person_keys: list[str]) -> int:
    citizens, published = ports.marks.citizens_of(person_keys), 0
    for person_key in person_keys:
        citizen_id = citizens.get(person_key)
        if citizen_id is None or ports.marks.sent(person_key, month):
            continue  # never logged in (no inbox), or already told
        if ports.preferences.get(citizen_id).allows_push("privacy"):
            ports.notifications.publish(_digest(citizen_id, month, _month_entries(ports, person_key, month)))
            published += 1
        ports.marks.mark_sent(person_key, month)
    return published


def _month_entries(ports: AccessDigestPorts, person_key: str, month: str) -> list[AccessEntry]:
    since, until = month_bounds(month)
    entries: list[AccessEntry] = []
    after: str | None = None
    while True:
        page = ports.access_log.list(person_key, after, PAGE, AccessQuery(since=since, until=until))
        entries += page.items
        if page.after is None:
            return entries
        after = page.after


def _digest(citizen_id: str, month: str, entries: list[AccessEntry]) -> dict[str, Any]:
    organisations = {entry.agency_id or entry.client_id for entry in entries}
    return AccessDigest(
        event_id=f"access-digest-{citizen_id}-{month}",
        citizen_id=citizen_id,
        month=month,
        organisations=str(len(organisations)),
        entries=str(len(entries)),
    ).to_message()
