"""Tax alerts: the authority's change feed keeps a deadline index (one item per unpaid obligation under its
due date); once a day, from the alert hour in Vietnam, the pass reads only the partitions of today + 7,
today + 1 and yesterday and publishes one message per person to tell, through the notifications queue
(inbox + push, quiet hours honoured by the fan-out). Neither step reads any citizen's data.

Once per item: the fan-out dedupes on the event id, and the item remembers the kinds already published, so
a rerun, a concurrent run or a crash between publishing and marking never tells anyone twice."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from chalicelib import logs
from chalicelib.domain.events import TaxAlert
from chalicelib.domain.tax import vietnam_today
from chalicelib.domain.tax_alerts import NEW_DEBT, DueItem, TaxChange, alert_event_id, kind_for, slots_of
from chalicelib.domain.working_days import VIETNAM
from chalicelib.services.tax_ports import TaxAlertPorts

FEED_PAGE = 200
MAX_PAGES = 50  # per run: a backlog is worked off over the next runs rather than in one long Lambda
CATCH_UP_DAYS = 2  # a pass missed (schedule down) is done by the next day's run


def sync_changes(ports: TaxAlertPorts, now: datetime) -> int:
    """Reads the feed from the stored cursor into the index; the cursor is saved after its page's items."""
    cursor, applied = ports.index.cursor(), 0
    for _ in range(MAX_PAGES):
        changes = ports.registry.changes_since(cursor, FEED_PAGE)
        for change in changes.items:
            apply_change(ports, change, now)
        applied += len(changes.items)
        if changes.cursor != cursor:
            ports.index.save_cursor(changes.cursor)
        cursor = changes.cursor
        if not changes.more:
            break
    return applied


def apply_change(ports: TaxAlertPorts, change: TaxChange, now: datetime) -> None:
    obligation = change.obligation
    taxpayer_key = ports.taxpayer_key(change.tax_code)
    if obligation.outstanding_vnd <= 0:
        ports.index.drop(taxpayer_key, obligation.obligation_id, change.sequence)
        return
    item = DueItem(
        taxpayer_key=taxpayer_key,
        obligation=obligation,
        business_tax_code=change.tax_code if change.is_business else "",
        business_name=change.taxpayer_name if change.is_business else "",
        person_keys=tuple(dict.fromkeys(ports.taxpayer_key(pid) for pid in change.personal_ids())),
    )
    ports.index.keep(item, change.sequence)
    today = vietnam_today(now)
    kind = kind_for(obligation.due_date, today)
    if kind and ports.index.pass_done(today):  # arrived after today's pass: told now, not never
        alert(ports, item, kind, today)


def run_alert_pass(ports: TaxAlertPorts, now: datetime) -> int:
    """How many messages were published. Each day (and up to CATCH_UP_DAYS missed ones) is passed once."""
    if now.astimezone(VIETNAM).hour < ports.alert_hour:
        return 0
    today, published = vietnam_today(now), 0
    for day in (today - timedelta(days=back) for back in range(CATCH_UP_DAYS, -1, -1)):
        if ports.index.pass_done(day):
            continue
        for kind, due in slots_of(day):
            published += sum(alert(ports, item, kind, today) for item in ports.index.due_on(due))
        ports.index.mark_pass_done(day)
    if published:
        logs.log("tax_alerts_published", count=published)
    return published


def alert(ports: TaxAlertPorts, item: DueItem, kind: str, today: date) -> int:
    days_left = (item.obligation.due_date - today).days
    if kind in item.sent or (kind != NEW_DEBT and days_left < 0):
        return 0
    citizens = ports.index.citizens_of(item.person_keys)
    messages = [m.to_message() for m in _messages(item, kind, days_left, citizens)]
    if messages:
        ports.notifications.publish_batch(messages)
    ports.index.mark_sent(item, kind)  # after SQS took them: a failed publish is retried by the next run
    return len(messages)


def _messages(item: DueItem, kind: str, days_left: int, citizens: dict[str, str]) -> Iterable[TaxAlert]:
    obligation = item.obligation
    for person_key in item.person_keys:
        if person_key not in citizens:
            continue  # never logged in: no inbox, no device
        yield TaxAlert(
            event_id=alert_event_id(item, kind, person_key),
            citizen_id=citizens[person_key],
            kind=kind,
            obligation_id=obligation.obligation_id,
            tax_type_code=obligation.tax_type.code,
            tax_name_vi=obligation.tax_type.name_vi,
            tax_name_en=obligation.tax_type.name_en,
            period=obligation.period,
            due_date=obligation.due_date.isoformat(),
            days_left=str(days_left),
            outstanding_vnd=str(obligation.outstanding_vnd),
            business_tax_code=item.business_tax_code,
            business_name=item.business_name,
        )
