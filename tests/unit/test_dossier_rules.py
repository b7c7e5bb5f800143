"""Working days (weekends, Vietnamese holidays) and the order of dossier statuses."""

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

from chalicelib.domain.dossiers import Dossier, DossierEvent, apply_event, deliverable, supersedes
from chalicelib.domain.working_days import VIETNAM, add_working_days, add_working_hours, calendar_from_json

CALENDAR = calendar_from_json(
    json.loads((Path(__file__).resolve().parents[2] / "chalicelib/data/holidays_vn.json").read_text(encoding="utf-8"))
)


def test_weekends_do_not_count():
    assert add_working_days(date(2026, 3, 6), 1, CALENDAR) == date(2026, 3, 9)  # Friday -> Monday


def test_tet_and_reunification_holidays_are_skipped():
    assert add_working_days(date(2026, 2, 13), 1, CALENDAR) == date(2026, 2, 23)
    assert add_working_days(date(2026, 4, 29), 1, CALENDAR) == date(2026, 5, 4)  # 30/4, 1/5, weekend


def test_national_day_plus_one_and_gio_to():
    assert add_working_days(date(2025, 8, 29), 1, CALENDAR) == date(2025, 9, 3)
    assert add_working_days(date(2025, 4, 4), 1, CALENDAR) == date(2025, 4, 8)


def test_make_up_saturday_is_a_working_day():
    assert CALENDAR.is_working_day(date(2025, 4, 26))


def test_eight_working_hours_skip_the_night_and_lunch():
    friday_afternoon = datetime(2026, 3, 6, 15, 0, tzinfo=VIETNAM)
    assert add_working_hours(friday_afternoon, 8, CALENDAR) == datetime(2026, 3, 9, 15, 0, tzinfo=VIETNAM)
    morning = datetime(2026, 3, 9, 7, 0, tzinfo=VIETNAM)
    assert add_working_hours(morning, 8, CALENDAR) == datetime(2026, 3, 9, 17, 0, tzinfo=VIETNAM)


def test_later_steps_win_whatever_the_arrival_order():
    assert supersedes("result_ready", 1, "processing", 2)
    assert not supersedes("processing", 3, "result_ready", 2)
    assert supersedes("additional_info_required", 3, "processing", 2)
    assert not supersedes("additional_info_required", 1, "processing", 2)


def test_terminal_statuses_are_never_replaced():
    assert supersedes("withdrawn", 1, "processing", 2)
    for terminal in ("rejected", "withdrawn", "completed"):
        assert not supersedes("completed", 9, terminal, 1) or terminal == "completed" and False


def test_apply_event_bumps_the_version_even_without_a_new_status():
    dossier = Dossier("d", "p", "r", "a", "KHAI_SINH", "counter", "result_ready", 5, "", "2026-03-03", 1)
    late = DossierEvent("e", "2026-03-02T09:00:00+07:00", 1, "processing")
    after = apply_event(dossier, late)
    assert after.status == "result_ready" and after.version == 2


def test_a_result_goes_only_with_a_completing_event_and_only_once():
    rejected = Dossier("d", "p", "r", "a", "KHAI_SINH", "counter", "rejected", 5, "", "2026-03-03", 1)
    completed = DossierEvent("e", "2026-03-05T09:00:00+07:00", 9, "completed")
    assert not deliverable(rejected, apply_event(rejected, completed))  # a terminal status is never replaced
    open_ = dataclasses.replace(rejected, status="result_ready")
    assert deliverable(open_, apply_event(open_, completed))
    done = dataclasses.replace(open_, status="completed")
    assert deliverable(done, apply_event(done, completed))  # completed without a result: it may come later
    assert not deliverable(dataclasses.replace(done, result_document_id="x"), apply_event(done, completed))


def test_the_receipt_code_carries_the_date_in_vietnam():
    from chalicelib.domain.dossiers import new_receipt_code

    early_morning = datetime(2026, 3, 2, 6, 30, tzinfo=VIETNAM).timestamp()  # still 1 March in UTC
    assert new_receipt_code(early_morning).startswith("HS260302-")
