"""Notification workers: the NOTIFICATIONS queue consumer (inbox entry + push jobs), the PUSH queue
worker (FCM) and the schedule that releases pushes parked for quiet hours.

Queue names are fixed at import (Chalice needs them for the event sources): the stage is the one setting
read at import time. Everything else is built on first use.
"""

import json
import time
from datetime import UTC, datetime

from chalice import Blueprint, Rate

from chalicelib import logs, wiring
from chalicelib.config import stage_at_import
from chalicelib.domain.events import (
    ACCESS_DIGEST,
    DOSSIER_RECEIPT_OVERDUE,
    DOSSIER_STATUS_CHANGED,
    TAX_ALERT,
    TAX_DELEGATION_CHANGED,
    TAX_PAYMENT_CHANGED,
    WALLET_DOCUMENT_CHANGED,
    AccessDigest,
    DossierReceiptOverdue,
    DossierStatusChanged,
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
    from chalicelib.services import fanout

    ports = wiring.fanout_ports()
    for record in event:
        message = json.loads(record.body)
        if message.get("type") == DOSSIER_RECEIPT_OVERDUE:
            message = DossierReceiptOverdue.from_message(message).as_dossier_update().to_message()
        if message.get("type") == WALLET_DOCUMENT_CHANGED:
            change = WalletDocumentChanged.from_message(message)
            outcome = fanout.notify_wallet_change(change, ports, datetime.now(UTC))
            logs.log("notification_handled", event_id=change.event_id, outcome=outcome)
            continue
        if message.get("type") == TAX_ALERT:
            alert = TaxAlert.from_message(message)
            outcome = fanout.notify_tax_alert(alert, ports, datetime.now(UTC))
            logs.log("notification_handled", event_id=alert.event_id, outcome=outcome)
        if message.get("type") == TAX_PAYMENT_CHANGED:
            paid = TaxPaymentChanged.from_message(message)
            logs.log(
                "notification_handled",
                event_id=paid.event_id,
                outcome=fanout.notify_tax_payment(paid, ports, datetime.now(UTC)),
            )
        if message.get("type") == ACCESS_DIGEST:
            digest = AccessDigest.from_message(message)
            outcome = fanout.notify_access_digest(digest, ports, datetime.now(UTC))
            logs.log("notification_handled", event_id=digest.event_id, outcome=outcome)
            continue
        if message.get("type") == TAX_DELEGATION_CHANGED:
            delegation = TaxDelegationChanged.from_message(message)
            outcome = fanout.notify_delegation_change(delegation, ports, datetime.now(UTC))
            logs.log("notification_handled", event_id=delegation.event_id, outcome=outcome)
            continue
        if message.get("type") != DOSSIER_STATUS_CHANGED:
            logs.log("notification_ignored", level="WARNING", type=str(message.get("type"))[:64])
            continue
        update = DossierStatusChanged.from_message(message)
        outcome = fanout.notify_dossier_update(update, ports, datetime.now(UTC))
        logs.log("notification_handled", event_id=update.event_id, outcome=outcome)


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
