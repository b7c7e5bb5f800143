"""Late-payment interest, debts and upcoming deadlines, with days counted in Vietnam."""

from datetime import UTC, date, datetime

from chalicelib.domain.tax import TaxObligation, TaxType, debts_of, late_interest, upcoming_deadlines, vietnam_today

PIT = TaxType("PIT", "Thuế thu nhập cá nhân", "Personal income tax")
TODAY = date(2026, 3, 10)


def _obligation(obligation_id: str, due: date, outstanding: int, declared: int = 1_000_000) -> TaxObligation:
    return TaxObligation(obligation_id, PIT, "2025", declared, due, declared - outstanding, outstanding)


def test_interest_runs_from_the_day_after_the_due_date_to_the_day_before_payment():
    # Due on the 20th, paid on the 25th: the 21st-24th, four days.
    assert late_interest(1_000_000, date(2026, 2, 20), date(2026, 2, 25)) == (4, 1_200)


def test_no_interest_on_or_the_day_after_the_due_date():
    assert late_interest(1_000_000, TODAY, TODAY) == (0, 0)
    assert late_interest(1_000_000, date(2026, 3, 9), TODAY) == (0, 0)
    assert late_interest(1_000_000, date(2026, 3, 20), TODAY) == (0, 0)


def test_interest_is_rounded_half_up_once_on_the_total():
    # 0.03 % of 5 đồng for one day is 0.0015 đ; 50,000 đ for 1 day is 15 đ; 1,666 đ for 1 day is 0.4998 đ.
    assert late_interest(1_666, date(2026, 3, 8), TODAY) == (1, 0)
    assert late_interest(1_667, date(2026, 3, 8), TODAY) == (1, 1)  # 0.5001 đ
    assert late_interest(4_850_000, date(2026, 1, 29), TODAY) == (39, 56_745)  # 4,850,000 × 0.0003 × 39


def test_vietnam_midnight_decides_the_day():
    before = datetime(2026, 3, 9, 16, 59, 59, tzinfo=UTC)  # 23:59:59 on 9 March in Hà Nội
    after = datetime(2026, 3, 9, 17, 0, 0, tzinfo=UTC)  # 00:00:00 on 10 March
    assert vietnam_today(before) == date(2026, 3, 9) and vietnam_today(after) == TODAY
    due = date(2026, 3, 7)
    assert late_interest(1_000_000, due, vietnam_today(before))[0] == 1
    assert late_interest(1_000_000, due, vietnam_today(after))[0] == 2


def test_debts_are_overdue_unpaid_items_oldest_first():
    items = [
        _obligation("late", date(2026, 1, 29), 400_000),
        _obligation("older", date(2025, 12, 20), 1_000_000),
        _obligation("paid", date(2025, 11, 20), 0),
        _obligation("today", TODAY, 1_000_000),
    ]
    debts = debts_of(items, TODAY)
    assert [debt.obligation.obligation_id for debt in debts] == ["older", "late"]
    assert (debts[1].overdue_days, debts[1].interest_days, debts[1].interest_vnd) == (40, 39, 4_680)
    assert debts[1].total_vnd == 404_680


def test_upcoming_deadlines_within_the_horizon_soonest_first():
    items = [
        _obligation("in20", date(2026, 3, 30), 500),
        _obligation("in3", date(2026, 3, 13), 500),
        _obligation("today", TODAY, 500),
        _obligation("in31", date(2026, 4, 10), 500),
        _obligation("paid", date(2026, 3, 12), 0),
        _obligation("overdue", date(2026, 3, 9), 500),
    ]
    deadlines = upcoming_deadlines(items, TODAY, horizon_days=30)
    assert [(d.obligation.obligation_id, d.days_left) for d in deadlines] == [("today", 0), ("in3", 3), ("in20", 20)]
    assert [d.obligation.obligation_id for d in upcoming_deadlines(items, TODAY, 31)][-1] == "in31"
