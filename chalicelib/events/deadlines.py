"""The deadline clock: a schedule that flags online dossiers not received within 8 working hours."""

from datetime import UTC, datetime

from chalice import Blueprint, Rate

from chalicelib import logs, wiring

deadline_events = Blueprint(__name__)


@deadline_events.schedule(Rate(5, unit=Rate.MINUTES))
def flag_overdue_receipts(event):
    from chalicelib.services.receipt_deadlines import flag_overdue_receipts as flag

    flagged = flag(wiring.dossier_ports(), scheduled_time(event))
    if flagged:
        logs.log("receipts_overdue", count=flagged)


def scheduled_time(event) -> datetime:
    """The time the rule fired, as EventBridge sends it; now when it is missing."""
    raw = getattr(event, "time", None) or (event.get("time") if isinstance(event, dict) else None)
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else datetime.now(UTC)
    except ValueError:
        return datetime.now(UTC)
