"""Closing accounts on schedule: every hour, citizens whose account is erased in 3 days are told so (push and
inbox), with the way to cancel; and accounts whose grace period has ended are erased."""

from chalice import Blueprint, Rate

from chalicelib import logs
from chalicelib.events.deadlines import scheduled_time
from chalicelib.wiring.deletion import deletion_ports, erasure_ports

deletion_events = Blueprint(__name__)


@deletion_events.schedule(Rate(1, unit=Rate.HOURS))
def remind_due_deletions(event):
    from chalicelib.services.deletion import remind_due_deletions as remind

    reminded = remind(deletion_ports(), scheduled_time(event))
    if reminded:
        logs.log("deletions_reminded", count=reminded)


@deletion_events.schedule(Rate(1, unit=Rate.HOURS))
def erase_due_accounts(event):
    """A run that fails part-way (an outage) leaves the request marked: the next hour's run finishes it."""
    from chalicelib.services.erasure import erase_due_accounts as erase

    erased = erase(erasure_ports(), scheduled_time(event))
    if erased:
        logs.log("accounts_erased", count=erased)
