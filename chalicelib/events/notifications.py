"""Notification workers: the NOTIFICATIONS queue consumer (inbox entry + push jobs), the PUSH queue
worker (FCM) and the schedule that releases pushes parked for quiet hours.

Queue names are fixed at import (Chalice needs them for the event sources): the stage is the one setting
read at import time. Everything else is built on first use.
"""

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

from chalice import Blueprint, Rate

from chalicelib import logs, wiring
from chalicelib.config import stage_at_import
from chalicelib.domain.events import (
    ACCESS_DIGEST,
    ACCOUNT_DELETION_CHANGED,
    DOSSIER_RECEIPT_OVERDUE,
    DOSSIER_STATUS_CHANGED,
    EXPORT_READY,
    TAX_ALERT,
    TAX_DELEGATION_CHANGED,
    TAX_PAYMENT_CHANGED,
    WALLET_DOCUMENT_CHANGED,
    AccessDigest,
    AccountDeletionChanged,
    DossierReceiptOverdue,
    DossierStatusChanged,
    ExportReady,
    Message,
    TaxAlert,
    TaxDelegationChanged,
    TaxPaymentChanged,
    WalletDocumentChanged,
)
from chalicelib.domain.notifications import PUSH_JOB
from chalicelib.resources import NOTIFICATIONS_QUEUE, PUSH_QUEUE, resource_name

STAGE = stage_at_import()
notification_events = Blueprint(__name__)


@notification_events.on_sqs_message(queue=resource_name(NOTIFICATIONS_QUEUE.logical_id, STAGE), batch_size=10)
def on_notification(event):
    """A failing record fails the batch: SQS redelivers it, and per-event dedupe skips what was done."""
    ports = wiring.fanout_ports()
    for record in event:
        message = json.loads(record.body)
        if message.get("type") == DOSSIER_RECEIPT_OVERDUE:
            message = DossierReceiptOverdue.from_message(message).as_dossier_update().to_message()
        handler = _notifiers().get(message.get("type"))
        if handler is None:
            logs.log("notification_ignored", level="WARNING", type=str(message.get("type"))[:64])
            continue
        kind, notify = handler
        told = kind.from_message(message)
        logs.log("notification_handled", event_id=told.event_id, outcome=notify(told, ports, datetime.now(UTC)))


def _notifiers() -> dict[str, tuple[type[Message], Callable[..., str]]]:
    """Each message type the notifications queue carries: its class and the fan-out that tells the citizen."""
    from chalicelib.services import fanout

    return {
        DOSSIER_STATUS_CHANGED: (DossierStatusChanged, fanout.notify_dossier_update),
        WALLET_DOCUMENT_CHANGED: (WalletDocumentChanged, fanout.notify_wallet_change),
        TAX_ALERT: (TaxAlert, fanout.notify_tax_alert),
        TAX_PAYMENT_CHANGED: (TaxPaymentChanged, fanout.notify_tax_payment),
        TAX_DELEGATION_CHANGED: (TaxDelegationChanged, fanout.notify_delegation_change),
        ACCOUNT_DELETION_CHANGED: (AccountDeletionChanged, fanout.notify_account_deletion),
        ACCESS_DIGEST: (AccessDigest, fanout.notify_access_digest),
        EXPORT_READY: (ExportReady, fanout.notify_export_ready),
    }


@notification_events.on_sqs_message(queue=resource_name(PUSH_QUEUE.logical_id, STAGE), batch_size=1)
def on_push_job(event):
    """One job (≤ 500 devices) per invocation; firebase_admin is imported here, on the first send."""
    from chalicelib.services import push

    ports = wiring.push_ports()
    for record in event:
        job = json.loads(record.body)
        if job.get("type") == PUSH_JOB:
            push.send_push_job(job, ports, int(time.time()))


@notification_events.schedule(Rate(1, unit=Rate.MINUTES))
def release_parked_pushes(event):
    from chalicelib.services.parked_pushes import release_due_pushes

    release_due_pushes(wiring.parked_pushes(), wiring.push_publisher(), datetime.now(UTC))
