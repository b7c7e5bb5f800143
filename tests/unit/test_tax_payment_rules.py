"""The rules of paying tax: what is charged, references, and which gateway results move a payment."""

from datetime import date

from chalicelib.domain.tax import TaxObligation, TaxType
from chalicelib.domain.tax_payments import (
    PaymentState,
    charge_line,
    description_of,
    new_reference,
    result_changes,
    years_to_search,
)

PIT = TaxType("PIT", "Thuế thu nhập cá nhân", "Personal income tax")


def obligation(due: date, outstanding: int = 4_850_000) -> TaxObligation:
    return TaxObligation("PIT-2025-0001", PIT, "2025", outstanding, due, 0, outstanding)


def test_an_overdue_obligation_is_charged_interest_to_the_day_before_paying():
    line = charge_line(obligation(date(2026, 10, 24)), date(2026, 12, 3))
    assert (line.interest_days, line.interest_vnd) == (39, 56_745)  # 4 850 000 x 39 x 0.03 %, rounded once
    assert line.amount_vnd == 4_906_745


def test_an_obligation_not_yet_due_or_due_today_is_charged_its_outstanding_amount():
    for due in (date(2026, 12, 3), date(2026, 12, 23)):
        line = charge_line(obligation(due), date(2026, 12, 3))
        assert (line.interest_days, line.interest_vnd, line.amount_vnd) == (0, 0, 4_850_000)


def test_the_day_after_the_due_date_owes_no_interest_yet():
    assert charge_line(obligation(date(2026, 12, 2)), date(2026, 12, 3)).interest_vnd == 0


def test_references_fit_the_gateway_and_the_vietqr_purpose():
    references = {new_reference() for _ in range(200)}
    assert len(references) == 200
    assert all(len(r) == 20 and r.isascii() and r.isalnum() and r.isupper() for r in references)


def test_the_order_description_names_no_person():
    line = charge_line(obligation(date(2026, 10, 24)), date(2026, 12, 3))
    assert description_of((line,), "TAXABC") == "Nop thue PIT TAXABC"


def test_obligations_are_looked_for_this_year_first_then_last_then_next():
    assert years_to_search(date(2026, 12, 3))[:3] == (2026, 2025, 2027)


def test_which_results_move_a_payment():
    pending, completed, failed = PaymentState.PENDING, PaymentState.COMPLETED, PaymentState.FAILED
    assert result_changes(pending, completed) is True and result_changes(pending, failed) is True
    assert result_changes(completed, completed) is False and result_changes(failed, failed) is False
    assert result_changes(completed, failed) is None  # contradicts the gateway's earlier word: refused
    assert result_changes(failed, completed) is True  # the money moved after all: the gateway knows
