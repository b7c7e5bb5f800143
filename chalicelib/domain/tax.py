"""Taxes of a citizen or a business: profile, obligations, payments, debts with late-payment interest,
upcoming deadlines, public business status, and the shapes of a payment through a gateway. Pure rules."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from chalicelib.domain.working_days import VIETNAM

# Law on Tax Administration 38/2019/QH14, art. 59: 0.03 % of the late amount per day.
LATE_INTEREST_PER_DAY = (3, 10_000)


@dataclass(frozen=True)
class TaxOffice:
    code: str
    name: str  # "Thuế cơ sở 1 thành phố Hà Nội"


@dataclass(frozen=True)
class Dependant:
    full_name: str
    relationship: str  # "con", "vợ", "chồng", "cha", "mẹ"...
    tax_code: str
    registered_from: date


@dataclass(frozen=True)
class TaxProfile:
    tax_code: str
    full_name: str
    tax_office: TaxOffice
    status: str  # "active", "suspended", "ceased"...
    dependants: tuple[Dependant, ...] = ()


@dataclass(frozen=True)
class TaxType:
    code: str  # "PIT", "HOUSEHOLD_BUSINESS", "VAT", "CIT", "LICENCE_FEE", "NON_AGRI_LAND"
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class TaxObligation:
    obligation_id: str
    tax_type: TaxType
    period: str  # "2025" (year), "2025-Q3" (quarter) or "2025-10" (month)
    declared_vnd: int
    due_date: date  # the last day to pay, already moved off a weekend or holiday upstream
    paid_vnd: int
    outstanding_vnd: int


@dataclass(frozen=True)
class TaxPayment:
    receipt_number: str
    paid_at: datetime  # aware, UTC
    amount_vnd: int
    obligation_ids: tuple[str, ...]
    reference: str = ""  # ours, when the payment went through our gateway


@dataclass(frozen=True)
class TaxDebt:
    obligation: TaxObligation
    overdue_days: int  # calendar days since the due date
    interest_days: int  # the days late-payment interest runs for if paid today
    interest_vnd: int

    @property
    def total_vnd(self) -> int:
        return self.obligation.outstanding_vnd + self.interest_vnd


@dataclass(frozen=True)
class Deadline:
    obligation: TaxObligation
    days_left: int  # 0 = due today


class BusinessState(str, Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # tạm ngừng kinh doanh
    CLOSING = "closing"  # ngừng hoạt động, chưa hoàn thành thủ tục chấm dứt MST
    CEASED = "ceased"  # đã chấm dứt hiệu lực mã số thuế
    NOT_AT_ADDRESS = "not_at_address"  # không hoạt động tại địa chỉ đã đăng ký


@dataclass(frozen=True)
class BusinessStatus:
    """What anyone may see of a business: never amounts."""

    tax_code: str
    name: str
    state: BusinessState
    tax_office: TaxOffice


class PaymentStatus(str, Enum):
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class PaymentRequest:
    gateway_url: str  # where the citizen's browser goes to pay; signed
    reference: str
    amount_vnd: int


@dataclass(frozen=True)
class CallbackResult:
    reference: str
    amount_vnd: int
    status: PaymentStatus
    gateway_txn_id: str


def vietnam_today(now: datetime) -> date:
    """The calendar day in Vietnam (UTC+7, no daylight saving) at an aware instant."""
    return now.astimezone(VIETNAM).date()


def late_interest(outstanding_vnd: int, due_date: date, today: date) -> tuple[int, int]:
    """(days, interest in VND) if the debt is paid today. Art. 59(2)(b) runs interest from the day after
    the due date through the day before the money reaches the State budget: a debt due on the 20th and
    paid on the 25th owes four days (21st-24th). Rounded half up to the đồng, once, on the total."""
    days = max((today - due_date).days - 1, 0)
    numerator, denominator = LATE_INTEREST_PER_DAY
    interest = (2 * max(outstanding_vnd, 0) * days * numerator + denominator) // (2 * denominator)
    return days, interest


def debts_of(obligations: list[TaxObligation], today: date) -> list[TaxDebt]:
    """What is past its due date and not fully paid, oldest first."""
    debts = []
    for obligation in obligations:
        if obligation.outstanding_vnd > 0 and obligation.due_date < today:
            days, interest = late_interest(obligation.outstanding_vnd, obligation.due_date, today)
            debts.append(TaxDebt(obligation, (today - obligation.due_date).days, days, interest))
    return sorted(debts, key=lambda debt: (debt.obligation.due_date, debt.obligation.obligation_id))


def upcoming_deadlines(obligations: list[TaxObligation], today: date, horizon_days: int) -> list[Deadline]:
    """Unpaid obligations due from today through today + horizon_days, soonest first."""
    last = today + timedelta(days=horizon_days)
    deadlines = [
        Deadline(obligation, (obligation.due_date - today).days)
        for obligation in obligations
        if obligation.outstanding_vnd > 0 and today <= obligation.due_date <= last
    ]
    return sorted(deadlines, key=lambda deadline: (deadline.obligation.due_date, deadline.obligation.obligation_id))


@dataclass(frozen=True)
class TaxAnswer:
    """What the tax authority said and when (`as_of`, epoch seconds); `stale` when it is a kept copy shown
    because the authority could not be asked now."""

    value: Any
    as_of: int
    stale: bool = False
