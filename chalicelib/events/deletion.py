"""Account deletion reminders: every hour, citizens whose account is erased in 3 days are told so (push and
inbox), with the way to cancel."""

from chalice import Blueprint, Rate

from chalicelib import logs
from chalicelib.events.deadlines import scheduled_time
from chalicelib.wiring.deletion import deletion_ports

deletion_events = Blueprint(__name__)


@deletion_events.schedule(Rate(1, unit=Rate.HOURS))
def remind_due_deletions(event):
    from chalicelib.services.deletion import remind_due_deletions as remind

    reminded = remind(deletion_ports(), scheduled_time(event))
    if reminded:
        logs.log("deletions_reminded", count=reminded)
