"""The tax alert schedule: every 15 minutes, the authority's change feed into the deadline index, then (once
a day, from the alert hour in Vietnam) the day's alerts. Sync first, so an item paid since is not told."""

from chalice import Blueprint, Rate

from chalicelib import logs
from chalicelib.events.deadlines import scheduled_time

tax_alert_events = Blueprint(__name__)


@tax_alert_events.schedule(Rate(15, unit=Rate.MINUTES))
def send_tax_alerts(event):
    from chalicelib.services import tax_alerts
    from chalicelib.wiring.tax import tax_alert_ports

    ports, now = tax_alert_ports(), scheduled_time(event)
    synced = tax_alerts.sync_changes(ports, now)
    published = tax_alerts.run_alert_pass(ports, now)
    if synced or published:
        logs.log("tax_alerts_run", synced=synced, published=published)
