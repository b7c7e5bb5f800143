"""A citizen-facing event becomes one inbox entry and push jobs for each of the citizen's live devices.

Idempotent per event_id: the inbox entry and the event's dedupe item are written in one transaction;
the dedupe item remembers whether the push jobs were enqueued, so a crash in between is finished by the
redelivery, and the push worker's per-device markers make enqueuing twice harmless.
"""

from datetime import UTC, datetime
from typing import Any

from chalicelib import logs
from chalicelib.domain.events import DossierStatusChanged
from chalicelib.domain.notification_templates import dossier_data, render_dossier_update
from chalicelib.domain.notifications import (
    LOCALES,
    Device,
    InboxEntry,
    QuietHours,
    chunk,
    notification_id_for,
    push_job,
    quiet_hours_end,
)
from chalicelib.services.notification_ports import FanoutPorts

PARKED_TTL = 3 * 86400
CATEGORY_DOSSIERS = "dossiers"


def notify_dossier_update(event: DossierStatusChanged, ports: FanoutPorts, now: datetime) -> str:
    """What happened, for the log: recorded, duplicate, no_push."""
    texts = {
        locale: dict(zip(("title", "body"), render_dossier_update(event, locale), strict=True)) for locale in LOCALES
    }
    entry = InboxEntry(
        notification_id=notification_id_for(event.event_id, int(now.timestamp() * 1000)),
        category=CATEGORY_DOSSIERS,
        texts=texts,
        data=dossier_data(event),
        created_at=now.astimezone(UTC).isoformat(timespec="seconds"),
    )
    recorded = ports.inbox.record(event.citizen_id, event.event_id, entry, int(now.timestamp()))
    if not recorded and not ports.inbox.pushes_pending(event.event_id):
        return "duplicate"
    preferences = ports.preferences.get(event.citizen_id)
    jobs = _push_jobs(event, texts, ports, now) if preferences.allows_push(CATEGORY_DOSSIERS) else []
    _dispatch(event, jobs, preferences.quiet_hours, ports, now)
    ports.inbox.mark_pushed(event.event_id)
    return "recorded" if jobs else "no_push"


def _push_jobs(
    event: DossierStatusChanged, texts: dict[str, dict[str, str]], ports: FanoutPorts, now: datetime
) -> list[dict[str, Any]]:
    by_locale: dict[str, list[dict[str, str]]] = {}
    for device in live_devices(event.citizen_id, ports, int(now.timestamp())):
        by_locale.setdefault(device.locale, []).append({"device_id": device.device_id, "token": device.token})
    return [
        push_job(
            event.event_id,
            event.citizen_id,
            texts[locale]["title"],
            texts[locale]["body"],
            dossier_data(event),
            targets,
        )
        for locale, targets in sorted(by_locale.items())
        for targets in chunk(targets)
    ]


def live_devices(citizen_id: str, ports: FanoutPorts, now: int) -> list[Device]:
    """Devices whose session is still alive; the others (session expired, not logged out) are dropped."""
    alive = {s.session_id for s in ports.sessions.list(citizen_id) if s.is_active(now)}
    devices = ports.devices.list(citizen_id)
    for device in devices:
        if device.session_id not in alive:
            ports.devices.delete(citizen_id, device.device_id)
    return [device for device in devices if device.session_id in alive]


def _dispatch(
    event: DossierStatusChanged, jobs: list[dict[str, Any]], quiet: QuietHours, ports: FanoutPorts, now: datetime
) -> None:
    """Now, or parked until quiet hours end (SQS can delay 15 minutes at most; a night is longer)."""
    release = quiet_hours_end(quiet, now) if jobs else None
    if release is None:
        ports.push_queue.publish_batch(jobs)
        return
    minute = release_minute(release)
    for index, job in enumerate(jobs):
        ports.parked.park(minute, f"{event.event_id}#{index}", job, int(release.timestamp()) + PARKED_TTL)
    logs.log("push_parked", event_id=event.event_id, release_minute=minute, jobs=len(jobs))


def release_minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M")
