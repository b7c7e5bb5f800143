"""Tax alerts through the real local tax authority (its change feed) and the embedded AWS: deadlines 7 days
and 1 day ahead, a debt the day after its due date, each told once, nothing for a paid item, and the job asks
the authority for its feed only (never per citizen).

The job is run at chosen instants (the scheduled event's time). Each test reads day partitions of its own:
a day's pass is done once per stack, so tests that shared days would depend on their order."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from chalicelib import wiring
from chalicelib.events.tax_alerts import send_tax_alerts
from chalicelib.wiring.tax import tax_feed_registry, tax_registry
from devstack.tax_data import VIETNAM
from tests.conftest import AN, BINH, eventually


class CountingRegistry:
    """The real HTTP registry, with the names of the methods called."""

    def __init__(self, real):
        self._real, self.calls = real, []

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self._real, name)


class ForwardingRecorder:
    """The real notifications queue, keeping what this test's runs published (the inbox still gets it)."""

    def __init__(self, real):
        self._real, self.messages = real, []

    def publish_batch(self, messages):
        self._real.publish_batch(messages)
        self.messages.extend(messages)

    def publish(self, message, delay_seconds=0, attributes=None):
        self._real.publish(message, delay_seconds, attributes)


@pytest.fixture
def recorded(stack):
    real_registry, real_queue = tax_feed_registry(), wiring.notifications_publisher()
    registry, queue = CountingRegistry(real_registry), ForwardingRecorder(real_queue)
    wiring.override("tax_feed_registry", registry)
    wiring.override("notifications_publisher", queue)
    yield registry, queue
    wiring.override("tax_feed_registry", real_registry)
    wiring.override("notifications_publisher", real_queue)


def today() -> date:
    return datetime.now(VIETNAM).date()


def run_at(day: date, hour: int = 9) -> None:
    moment = datetime.combine(day, time(hour), VIETNAM).astimezone(UTC)
    event = {
        "version": "0",
        "id": "tax-alerts",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "local",
        "resources": [],
        "detail": {},
    }
    send_tax_alerts(event, None)


def alerts(queue, obligation_id: str, kind: str | None = None) -> list[dict]:
    return [
        m
        for m in queue.messages
        if m["type"] == "tax_alert" and m["obligation_id"] == obligation_id and kind in (None, m["kind"])
    ]


def obligation_of(stack, tax_code: str, kind: str, due: date) -> str:
    items = stack.tax_authority.ledger.obligations[tax_code]
    return next(i["obligation_id"] for i in items if i["tax_type"]["code"] == kind and i["due_date"] == due.isoformat())


def test_an_is_told_of_his_land_tax_7_days_ahead_once(stack, api, an, recorded):
    registry, queue = recorded
    land = obligation_of(stack, AN, "NON_AGRI_LAND", today() + timedelta(days=20))
    run_at(today() + timedelta(days=13))
    run_at(today() + timedelta(days=13))
    told = alerts(queue, land)
    assert [m["kind"] for m in told] == ["due7"] and told[0]["days_left"] == "7"
    assert set(registry.calls) == {"changes_since"}  # the feed only: no profile or obligations per citizen

    def land_entries():
        page = api.get("/v1/me/notifications", headers={**an.auth, "Accept-Language": "en"}).json()
        return [n for n in page["items"] if n["data"].get("obligation_id") == land]

    entries = eventually(land_entries)
    assert len(entries) == 1 and entries[0]["category"] == "tax"
    assert "VND 356,000" in entries[0]["body"] and "7 days left" in entries[0]["body"]


def test_binh_is_told_1_day_ahead_of_her_own_and_her_company_s_deadlines(stack, binh, recorded):
    _, queue = recorded
    due = today() + timedelta(days=3)
    own = obligation_of(stack, BINH, "HOUSEHOLD_BUSINESS", due)
    company = obligation_of(stack, "0109123458", "VAT", due)
    run_at(today() + timedelta(days=2))
    assert [m["kind"] for m in alerts(queue, own)] == ["due1"]
    (vat,) = alerts(queue, company, "due1")
    assert vat["business_tax_code"] == "0109123458" and vat["business_name"].startswith("Công ty")


def test_a_debt_is_told_the_day_after_its_due_date(stack, an, recorded):
    _, queue = recorded
    due = today() + timedelta(days=100)
    assessed = stack.tax_authority.add_obligation(AN, "PIT", f"{due.year}-A1", 1_250_000, due)
    run_at(due)  # the day itself: not a debt yet
    assert not alerts(queue, assessed, "debt")
    run_at(due + timedelta(days=1))
    run_at(due + timedelta(days=1), hour=15)
    (debt,) = alerts(queue, assessed, "debt")
    assert debt["days_left"] == "-1" and debt["outstanding_vnd"] == "1250000"


def test_a_paid_item_gives_no_alert(stack, an, recorded):
    _, queue = recorded
    due = today() + timedelta(days=200)
    paid = stack.tax_authority.add_obligation(AN, "NON_AGRI_LAND", f"{due.year}-B1", 410_000, due)
    unpaid = stack.tax_authority.add_obligation(AN, "NON_AGRI_LAND", f"{due.year}-B2", 120_000, due)
    run_at(today())  # the index learns both
    tax_registry().report_payment((paid,), 410_000, f"ALERT-TEST-{paid}", datetime.now(UTC))
    run_at(due - timedelta(days=7))
    assert not alerts(queue, paid)
    assert [m["kind"] for m in alerts(queue, unpaid)] == ["due7"]


def test_an_item_arriving_after_the_day_s_pass_is_told_at_once(stack, an, recorded):
    _, queue = recorded
    day = today() + timedelta(days=300)
    run_at(day)  # the day's pass is done
    late = stack.tax_authority.add_obligation(AN, "PIT", f"{day.year}-C1", 530_000, day + timedelta(days=7))
    run_at(day, hour=15)
    run_at(day, hour=16)
    assert [m["kind"] for m in alerts(queue, late)] == ["due7"]


def test_nothing_is_told_before_the_alert_hour(stack, an, recorded):
    _, queue = recorded
    due = today() + timedelta(days=407)
    early = stack.tax_authority.add_obligation(AN, "PIT", f"{due.year}-D1", 90_000, due)
    run_at(due - timedelta(days=7), hour=6)
    assert not alerts(queue, early)
    run_at(due - timedelta(days=7), hour=8)
    assert [m["kind"] for m in alerts(queue, early)] == ["due7"]


def test_the_change_feed_wants_a_client_assertion(stack):
    import requests

    answer = requests.get(f"{stack.tax_authority.url}/v1/changes?after=0&limit=5", timeout=5)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_alert_texts_write_amounts_and_dates_as_vietnam_does():
    from chalicelib.domain.events import TaxAlert
    from chalicelib.domain.notification_templates import render_tax_alert

    alert = TaxAlert(
        "e", "c", "due1", "VAT-2026-11-3458", "VAT", "Thuế giá trị gia tăng", "Value added tax", "2026-11",
        "2026-12-20", "1", "38600000", "0109123458", "Công ty TNHH Bình Minh Hà Nội",
    )  # fmt: skip
    title, body = render_tax_alert(alert, "vi")
    assert title == "Sắp đến hạn nộp thuế"
    assert body == (
        "Thuế giá trị gia tăng kỳ 2026-11 của Công ty TNHH Bình Minh Hà Nội: còn phải nộp 38.600.000 đ, "
        "hạn nộp 20/12/2026 (còn 1 ngày)."
    )
    assert "VND 38,600,000 to pay by 20/12/2026 (1 day left)" in render_tax_alert(alert, "en")[1]


def test_the_local_authority_takes_new_obligations_on_command(stack):
    import requests

    due = (today() + timedelta(days=500)).isoformat()
    rule = {"tax_code": AN, "tax_type": "PIT", "period": "2028-E1", "declared_vnd": 75_000, "due_date": due}
    added = requests.post(f"{stack.tax_authority.url}/control/obligations", json=rule, timeout=5)
    assert added.status_code == 201 and added.json()["obligation_id"] == "PIT-2028-E1-0001"
    refused = requests.post(f"{stack.tax_authority.url}/control/obligations", json={**rule, "tax_type": "X"}, timeout=5)
    assert refused.status_code == 400


def test_quiet_hours_park_the_alert_s_push_and_the_inbox_has_it_now(stack, api, an_phone, fcm, recorded):
    from tests.api.test_notifications import quiet_hours_now

    _, queue = recorded
    with quiet_hours_now(api, an_phone) as (token, minute, _):
        due = today() + timedelta(days=607)
        night = stack.tax_authority.add_obligation(AN, "PIT", f"{due.year}-F1", 66_000, due)
        run_at(due - timedelta(days=7))
        (told,) = alerts(queue, night)

        def inbox() -> list:
            return api.get("/v1/me/notifications", headers=an_phone.auth).json()["items"]

        eventually(lambda: [n for n in inbox() if n["data"].get("obligation_id") == night])
        eventually(lambda: any(job["event_id"] == told["event_id"] for _, job in wiring.parked_pushes().due(minute)))
        assert fcm.delivered(token) == []


def test_a_payment_puts_the_obligation_again_at_the_feed_s_end(stack):
    registry = tax_registry()
    due = today() + timedelta(days=700)
    item = stack.tax_authority.add_obligation(AN, "PIT", f"{due.year}-G1", 44_000, due)
    cursor = ""
    while (page := registry.changes_since(cursor, 200)).more:
        cursor = page.cursor
    (added,) = [c for c in page.items if c.obligation.obligation_id == item]
    assert added.obligation.outstanding_vnd == 44_000 and not added.is_business
    registry.report_payment((item,), 44_000, f"FEED-TEST-{item}", datetime.now(UTC))
    (paid,) = [c for c in registry.changes_since(page.cursor, 200).items if c.obligation.obligation_id == item]
    assert paid.obligation.obligation_id == item and paid.obligation.outstanding_vnd == 0
    assert paid.sequence > added.sequence


def test_the_background_feed_leaves_the_authority_s_faults_and_count_to_the_tests(stack, recorded):
    registry, _ = recorded
    stack.tax_authority.set_fault("fail")
    try:
        served = stack.tax_authority.faults()["served"]
        run_at(today())
        assert stack.tax_authority.faults()["served"] == served and "changes_since" in registry.calls
        assert stack.tax_authority.faults()["fault"] is not None  # still there for the test that set it
    finally:
        stack.tax_authority.clear_faults()


def test_a_failed_publish_is_told_by_the_next_run(stack, an, recorded):
    from chalicelib.errors import ServiceUnavailableError

    _, queue = recorded
    due = today() + timedelta(days=807)
    item = stack.tax_authority.add_obligation(AN, "PIT", f"{due.year}-H1", 12_000, due)

    class DownQueue:
        def publish_batch(self, messages):
            raise ServiceUnavailableError("queue_unavailable")

    wiring.override("notifications_publisher", DownQueue())
    with pytest.raises(ServiceUnavailableError):
        run_at(due - timedelta(days=7))
    wiring.override("notifications_publisher", queue)
    run_at(due - timedelta(days=7), hour=10)
    assert [m["kind"] for m in alerts(queue, item)] == ["due7"]
