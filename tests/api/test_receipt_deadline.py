"""The deadline clock: an online dossier not received within 8 working hours is flagged and the citizen told."""

from datetime import UTC, datetime, timedelta

from chalicelib.events.deadlines import flag_overdue_receipts
from tests.api.test_dossier_submission import submit
from tests.api.test_dossiers import event
from tests.conftest import AN, eventually


def run_clock_at(moment: datetime) -> None:
    when = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    flag_overdue_receipts(
        {
            "version": "0",
            "id": "clock",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "000000000000",
            "time": when,
            "region": "local",
            "resources": [],
            "detail": {},
        },
        None,
    )


def after_due(created: dict) -> datetime:
    return datetime.fromisoformat(created["receipt_due_at"]) + timedelta(minutes=1)


def overdue_messages(published, created: dict) -> list[dict]:
    """Only this test's dossier: the clock flags every due dossier of the shared stack."""
    return [
        m
        for m in published.messages
        if m["type"] == "dossier_receipt_overdue" and m["dossier_id"] == created["dossier_id"]
    ]


def test_unreceived_dossier_is_flagged_once_and_the_citizen_told(api, agency, published):  # noqa: F811
    an = api.login(AN)
    created = submit(api, an).json()
    run_clock_at(after_due(created) - timedelta(minutes=2))
    assert not overdue_messages(published, created)  # other tests' dossiers may be due by now: not ours
    run_clock_at(after_due(created))
    run_clock_at(after_due(created))
    told = overdue_messages(published, created)
    assert len(told) == 1 and told[0]["receipt_code"] == created["receipt_code"]
    detail = api.get(f"/v1/me/dossiers/{created['dossier_id']}", headers=an.auth).json()
    assert detail["overdue_receipt"] is True
    rows = agency.get("/v1/agency/dossiers?status=submitted").json()["items"]
    assert next(r for r in rows if r["receipt_code"] == created["receipt_code"])["overdue_receipt"] is True


def test_dossier_received_in_time_is_not_flagged(api, agency, published):  # noqa: F811
    an = api.login(AN)
    created = submit(api, an).json()
    assert event(agency, created["receipt_code"], "received", "2026-03-03T08:00:00+07:00").status_code == 201
    run_clock_at(after_due(created))
    assert not overdue_messages(published, created)
    detail = api.get(f"/v1/me/dossiers/{created['dossier_id']}", headers=an.auth).json()
    assert detail["overdue_receipt"] is False


def test_overdue_message_becomes_an_inbox_entry(api):
    an = api.login(AN)
    created = submit(api, an).json()
    run_clock_at(after_due(created))

    def overdue_entry():
        page = api.get("/v1/me/notifications", headers={**an.auth, "Accept-Language": "en"}).json()
        return [
            n
            for n in page["items"]
            if n["data"].get("dossier_id") == created["dossier_id"]
            and n["data"].get("status") == "overdue_not_received"
        ]

    assert len(eventually(overdue_entry)) == 1
