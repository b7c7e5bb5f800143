"""A citizen-facing event (a dossier update, a wallet document change) becomes one inbox entry and push jobs for each of the citizen's live devices.

Idempotent per event_id: the inbox entry and the event's dedupe item are written in one transaction;
the dedupe item remembers whether the push jobs were enqueued, so a crash in between is finished by the
redelivery, and the push worker's per-device markers make enqueuing twice harmless.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib import logs
from chalicelib.domain.deletion_notices import deletion_data, render_deletion_change
from chalicelib.domain.events import (
    AccessDigest,
    AccountDeletionChanged,
    DossierStatusChanged,
    ExportReady,
    TaxAlert,
    TaxDelegationChanged,
    TaxPaymentChanged,
    WalletDocumentChanged,
)
from chalicelib.domain.export_jobs import export_ready_data, render_export_ready
from chalicelib.domain.notification_templates import (
    access_digest_data,
    delegation_data,
    dossier_data,
    render_access_digest,
    render_delegation_change,
    render_dossier_update,
    render_tax_alert,
    render_tax_payment,
    render_wallet_change,
    tax_alert_data,
    tax_payment_data,
    wallet_data,
)
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
CATEGORY_WALLET = "wallet"
CATEGORY_TAX = "tax"
CATEGORY_ACCOUNT = "account"  # not among the preference categories: never switched off
CATEGORY_PRIVACY = "privacy"


def notify_dossier_update(event: DossierStatusChanged, ports: FanoutPorts, now: datetime) -> str:
    """What happened, for the log: recorded, duplicate, no_push."""
    texts = {
        locale: dict(zip(("title", "body"), render_dossier_update(event, locale), strict=True)) for locale in LOCALES
    }
    return _notify(Notice(event.event_id, event.citizen_id, CATEGORY_DOSSIERS, texts, dossier_data(event)), ports, now)


def notify_wallet_change(event: WalletDocumentChanged, ports: FanoutPorts, now: datetime) -> str:
    texts = {
        locale: dict(zip(("title", "body"), render_wallet_change(event, locale), strict=True)) for locale in LOCALES
    }
    return _notify(Notice(event.event_id, event.citizen_id, CATEGORY_WALLET, texts, wallet_data(event)), ports, now)


def notify_tax_alert(event: TaxAlert, ports: FanoutPorts, now: datetime) -> str:
    texts = {locale: dict(zip(("title", "body"), render_tax_alert(event, locale), strict=True)) for locale in LOCALES}
    return _notify(Notice(event.event_id, event.citizen_id, CATEGORY_TAX, texts, tax_alert_data(event)), ports, now)


def notify_tax_payment(event: TaxPaymentChanged, ports: FanoutPorts, now: datetime) -> str:
    texts = {locale: dict(zip(("title", "body"), render_tax_payment(event, locale), strict=True)) for locale in LOCALES}
    return _notify(Notice(event.event_id, event.citizen_id, CATEGORY_TAX, texts, tax_payment_data(event)), ports, now)


def notify_account_deletion(event: AccountDeletionChanged, ports: FanoutPorts, now: datetime) -> str:
    """Always pushed (no preference turns it off): someone closing the account must be heard of at once."""
    texts = {
        locale: dict(zip(("title", "body"), render_deletion_change(event, locale), strict=True)) for locale in LOCALES
    }
    return _notify(Notice(event.event_id, event.citizen_id, CATEGORY_ACCOUNT, texts, deletion_data(event)), ports, now)


def notify_export_ready(event: ExportReady, ports: FanoutPorts, now: datetime) -> str:
    """Always pushed, like the account's other notices: the citizen asked for it and its link does not wait."""
    texts = {
        locale: dict(zip(("title", "body"), render_export_ready(event, locale), strict=True)) for locale in LOCALES
    }
    return _notify(
        Notice(event.event_id, event.citizen_id, CATEGORY_ACCOUNT, texts, export_ready_data(event)), ports, now
    )


def notify_delegation_change(event: TaxDelegationChanged, ports: FanoutPorts, now: datetime) -> str:
    texts = {
        locale: dict(zip(("title", "body"), render_delegation_change(event, locale), strict=True)) for locale in LOCALES
    }
    return _notify(Notice(event.event_id, event.citizen_id, CATEGORY_TAX, texts, delegation_data(event)), ports, now)


def notify_access_digest(event: AccessDigest, ports: FanoutPorts, now: datetime) -> str:
    texts = {
        locale: dict(zip(("title", "body"), render_access_digest(event, locale), strict=True)) for locale in LOCALES
    }
    notice = Notice(event.event_id, event.citizen_id, CATEGORY_PRIVACY, texts, access_digest_data(event))
    return _notify(notice, ports, now)


@dataclass(frozen=True)
class Notice:
    """One thing to tell one citizen, in every language, under a preference category."""

    event_id: str
    citizen_id: str
    category: str
    texts: dict[str, dict[str, str]]
    data: dict[str, str]


def _notify(notice: Notice, ports: FanoutPorts, now: datetime) -> str:
    entry = InboxEntry(
        notification_id=notification_id_for(notice.event_id, int(now.timestamp() * 1000)),
        category=notice.category,
        texts=notice.texts,
        data=notice.data,
        created_at=now.astimezone(UTC).isoformat(timespec="seconds"),
    )
    recorded = ports.inbox.record(notice.citizen_id, notice.event_id, entry, int(now.timestamp()))
    if not recorded and not ports.inbox.pushes_pending(notice.event_id):
        return "duplicate"
    preferences = ports.preferences.get(notice.citizen_id)
    jobs = _push_jobs(notice, ports, now) if preferences.allows_push(notice.category) else []
    _dispatch(notice.event_id, jobs, preferences.quiet_hours, ports, now)
    ports.inbox.mark_pushed(notice.event_id)
    return "recorded" if jobs else "no_push"


def _push_jobs(notice: Notice, ports: FanoutPorts, now: datetime) -> list[dict[str, Any]]:
    by_locale: dict[str, list[dict[str, str]]] = {}
    for device in live_devices(notice.citizen_id, ports, int(now.timestamp())):
        by_locale.setdefault(device.locale, []).append({"device_id": device.device_id, "token": device.token})
    return [
        push_job(
            notice.event_id,
            notice.citizen_id,
            notice.texts[locale]["title"],
            notice.texts[locale]["body"],
            notice.data,
            targets,
        )
        for locale, targets in sorted(by_locale.items())
        for targets in chunk(targets)
    ]


def live_devices(citizen_id: str, ports: FanoutPorts, now: int) -> list[Device]:
    """Devices whose session is still alive; the others (session expired, not logged out) are dropped."""
    devices = ports.devices.list(citizen_id)
    # By the devices' own sessions, not a list of the citizen's: one with a hundred sessions still lingering
    # until TTL would lose the devices of those beyond the first page.
    sessions = ports.sessions.of_ids(citizen_id, [device.session_id for device in devices])
    alive = {session.session_id for session in sessions if session.is_active(now)}
    for device in devices:
        if device.session_id not in alive:
            ports.devices.delete(citizen_id, device.device_id)
    return [device for device in devices if device.session_id in alive]


def _dispatch(event_id: str, jobs: list[dict[str, Any]], quiet: QuietHours, ports: FanoutPorts, now: datetime) -> None:
    """Now, or parked until quiet hours end (SQS can delay 15 minutes at most; a night is longer)."""
    release = quiet_hours_end(quiet, now) if jobs else None
    if release is None:
        ports.push_queue.publish_batch(jobs)
        return
    minute = release_minute(release)
    for index, job in enumerate(jobs):
        ports.parked.park(minute, f"{event_id}#{index}", job, int(release.timestamp()) + PARKED_TTL)
    logs.log("push_parked", event_id=event_id, release_minute=minute, jobs=len(jobs))


def release_minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M")
