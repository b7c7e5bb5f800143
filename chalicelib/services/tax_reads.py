"""Reads of the tax authority through the cache: fresh copies are served from DynamoDB, older ones are asked
again, and when the authority is down, slow or behind an open circuit the kept copy is served marked stale.
With no copy at all the authority's unavailability (503 with Retry-After) reaches the caller."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import (
    BusinessStatus,
    Deadline,
    TaxAnswer,
    TaxDebt,
    debts_of,
    upcoming_deadlines,
    vietnam_today,
)
from chalicelib.errors import ServiceUnavailableError
from chalicelib.services.tax_ports import TaxReadPorts


def read_through(
    ports: TaxReadPorts, tax_code: str, topic: str, ask: Callable[[], Any], refresh: bool = False
) -> TaxAnswer:
    now = int(ports.clock())
    kept = ports.cache.read(tax_code, topic)
    if kept and now - kept.as_of < (ports.min_refresh_seconds if refresh else ports.fresh_seconds):
        return kept
    try:
        answer = TaxAnswer(ask(), now)
    except ServiceUnavailableError:
        if kept is None:
            raise
        return TaxAnswer(kept.value, kept.as_of, stale=True)
    ports.cache.keep(tax_code, topic, answer)
    return answer


def own_tax_code(principal: Principal) -> str:
    """Since mid-2025 an individual's tax code is their 12-digit personal ID number."""
    return principal.citizen.personal_id


def my_profile(ports: TaxReadPorts, principal: Principal, refresh: bool = False) -> TaxAnswer:
    tax_code = own_tax_code(principal)
    return read_through(ports, tax_code, "profile", lambda: ports.registry.get_profile(tax_code), refresh)


def today_in_vietnam(ports: TaxReadPorts) -> date:
    return vietnam_today(datetime.fromtimestamp(ports.clock(), UTC))


def obligations(ports: TaxReadPorts, tax_code: str, year: int, refresh: bool = False) -> TaxAnswer:
    """A taxpayer's obligations falling due in `year` (list[TaxObligation])."""
    return read_through(
        ports, tax_code, f"obligations:{year}", lambda: ports.registry.list_obligations(tax_code, year), refresh
    )


def unpaid(ports: TaxReadPorts, tax_code: str, refresh: bool = False) -> TaxAnswer:
    """Everything not fully paid, of any year (list[TaxObligation]): debts and the deadlines ahead read one copy."""
    return read_through(ports, tax_code, "unpaid", lambda: ports.registry.list_unpaid(tax_code), refresh)


def payments(ports: TaxReadPorts, tax_code: str, refresh: bool = False) -> TaxAnswer:
    """The authority's receipts (list[TaxPayment]), newest first."""
    answer = read_through(ports, tax_code, "payments", lambda: ports.registry.list_payments(tax_code), refresh)
    newest_first = sorted(answer.value, key=lambda payment: (payment.paid_at, payment.receipt_number), reverse=True)
    return replace(answer, value=newest_first)


@dataclass(frozen=True)
class DebtReport:
    debts: list[TaxDebt]
    interest_to: date  # interest is computed as if paid on this day (today in Vietnam)

    @property
    def outstanding_vnd(self) -> int:
        return sum(debt.obligation.outstanding_vnd for debt in self.debts)

    @property
    def interest_vnd(self) -> int:
        return sum(debt.interest_vnd for debt in self.debts)


def debts(ports: TaxReadPorts, tax_code: str, refresh: bool = False) -> TaxAnswer:
    """What is overdue (a DebtReport), late-payment interest counted to today in Vietnam. A stale copy's
    interest is still counted to today: what is owed grows whether or not the authority answers."""
    answer = unpaid(ports, tax_code, refresh)
    today = today_in_vietnam(ports)
    return replace(answer, value=DebtReport(debts_of(answer.value, today), today))


def my_obligations(ports: TaxReadPorts, principal: Principal, year: int, refresh: bool = False) -> TaxAnswer:
    return obligations(ports, own_tax_code(principal), year, refresh)


def my_debts(ports: TaxReadPorts, principal: Principal, refresh: bool = False) -> TaxAnswer:
    return debts(ports, own_tax_code(principal), refresh)


def my_payments(ports: TaxReadPorts, principal: Principal, refresh: bool = False) -> TaxAnswer:
    return payments(ports, own_tax_code(principal), refresh)


CALENDAR_DAYS = 90  # how far ahead the calendar looks


@dataclass(frozen=True)
class CalendarEntry:
    deadline: Deadline
    tax_code: str  # whose: the citizen's own, or a business they represent
    business_name: str = ""  # empty for the citizen's own


def my_calendar(
    ports: TaxReadPorts, principal: Principal, businesses: list[BusinessStatus], refresh: bool = False
) -> TaxAnswer:
    """Deadlines ahead (list[CalendarEntry], soonest first), the citizen's own and those of the `businesses` they
    may read (represented or delegated). `as_of` is the oldest answer used, and the whole is stale if any part is."""
    tax_code, today = own_tax_code(principal), today_in_vietnam(ports)
    answers = [(unpaid(ports, tax_code, refresh), tax_code, "")]
    answers += [(unpaid(ports, b.tax_code, refresh), b.tax_code, b.name) for b in businesses]
    entries = [
        CalendarEntry(deadline, code, name)
        for answer, code, name in answers
        for deadline in upcoming_deadlines(answer.value, today, CALENDAR_DAYS)
    ]
    entries.sort(key=lambda entry: (entry.deadline.obligation.due_date, entry.tax_code))
    every = [answer for answer, _, _ in answers]
    return TaxAnswer(entries, min(a.as_of for a in every), stale=any(a.stale for a in every))
