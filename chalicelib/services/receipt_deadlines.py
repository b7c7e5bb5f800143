"""The deadline clock of online dossiers: one not received within 8 working hours is flagged for the
agency and the citizen is told. Timers sit in hour buckets; each run Queries the recent ones (no Scan)."""

from datetime import datetime

from chalicelib import logs
from chalicelib.domain.dossiers import ReceiptTimer
from chalicelib.domain.events import DossierReceiptOverdue
from chalicelib.domain.instants import hour_buckets_back
from chalicelib.domain.working_days import VIETNAM
from chalicelib.services.dossier_ports import DossierPorts

LOOKBACK_HOURS = 72  # a schedule down for a long weekend still catches up


def flag_overdue_receipts(ports: DossierPorts, now: datetime) -> int:
    """How many dossiers were flagged. Safe to run twice or concurrently: timers are claimed conditionally."""
    flagged = 0
    for bucket in hour_buckets_back(now, LOOKBACK_HOURS):
        for timer in ports.dossiers.due_timers(bucket):
            if timer.due_ms <= now.timestamp() * 1000:
                flagged += handle_timer(ports, bucket, timer)
    return flagged


def handle_timer(ports: DossierPorts, bucket: str, timer: ReceiptTimer) -> int:
    loaded = ports.dossiers.load(timer.person_key, timer.dossier_id)
    if loaded is None or loaded[0].status != "submitted" or any(e.status == "received" for e in loaded[1]):
        ports.dossiers.delete_timer(bucket, timer.dossier_id)  # received in time (or gone): nothing to say
        return 0
    dossier = loaded[0]
    claimed = ports.dossiers.flag_overdue_receipt(dossier)
    if not claimed and not timer.flagged:
        return 0  # another run has it
    ports.publisher.publish(
        DossierReceiptOverdue(
            event_id=f"{dossier.dossier_id}-receipt-overdue",
            citizen_id=dossier.citizen_id,
            dossier_id=dossier.dossier_id,
            receipt_code=dossier.receipt_code,
            procedure_code=dossier.procedure_code,
            procedure_name_vi=dossier.procedure_name_vi,
            procedure_name_en=dossier.procedure_name_en,
            due_at=datetime.fromtimestamp(timer.due_ms / 1000, VIETNAM).isoformat(),
        ).to_message()
    )
    ports.dossiers.delete_timer(bucket, timer.dossier_id)  # only after SQS took it: a failed publish is retried
    logs.log("receipt_overdue", dossier_id=dossier.dossier_id)
    return 1
