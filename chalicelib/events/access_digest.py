"""The monthly access digest: at 08:00 Vietnam time (01:00 UTC) on the 1st, last month's digest to each citizen."""

from chalice import Blueprint, Cron

from chalicelib.events.deadlines import scheduled_time

access_digest_events = Blueprint(__name__)


@access_digest_events.schedule(Cron(0, 1, 1, "*", "?", "*"))
def send_access_digests(event):
    from chalicelib.services.access_digest import send_digests
    from chalicelib.wiring.notifications import access_digest_ports

    send_digests(access_digest_ports(), scheduled_time(event))
