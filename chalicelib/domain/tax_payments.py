"""A citizen paying tax obligations through the payment gateway: what is charged (the authority's outstanding
amount plus late-payment interest to the day of paying), the payment's life (pending, then completed or failed
by the gateway's signed result; expired when nobody paid in time) and what is done after the money came in.
Pure rules."""

import secrets
from dataclasses import dataclass
from datetime import date
from enum import Enum

from chalicelib.domain.tax import TaxObligation, late_interest

PAYMENT_SECONDS = 15 * 60  # the gateway's page and the VietQR are good for this long
# A paid obligation stays locked until the authority has the payment (then it shows nothing outstanding); this
# bounds the lock if settling never happens.
SETTLING_LOCK_SECONDS = 30 * 86400
MAX_OBLIGATIONS = 20
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: people read it to a bank's helpline


class StalePaymentError(Exception):
    """A conditional write of a payment lost: its Idempotency-Key was claimed, or its status moved, meanwhile."""


class ObligationLockedError(Exception):
    """An obligation is in another payment that may still be paid (pending, or paid and not yet settled)."""


class PaymentState(str, Enum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"
    EXPIRED = "expired"  # never stored: a pending payment past its expiry, as shown


@dataclass(frozen=True)
class PaymentLine:
    """One obligation as charged: the authority's outstanding amount and the interest to the paying day."""

    obligation_id: str
    tax_type: str
    tax_name_vi: str
    tax_name_en: str
    period: str
    due_date: str  # YYYY-MM-DD
    outstanding_vnd: int
    interest_days: int
    interest_vnd: int

    @property
    def amount_vnd(self) -> int:
        return self.outstanding_vnd + self.interest_vnd


@dataclass(frozen=True)
class TaxPaymentRecord:
    """Ours, in DynamoDB. `settled` once the authority has the payment, the e-receipt is in the wallet and
    the citizen was told: until then a sweep finishes what an outage interrupted."""

    payment_id: str
    reference: str
    person_key: str
    citizen_id: str
    tax_code: str
    lines: tuple[PaymentLine, ...]
    amount_vnd: int
    status: PaymentState
    created_at: int
    expires_at: int
    gateway_url: str
    vietqr: str
    taxpayer_name: str = ""
    paid_at: int = 0
    gateway_txn_id: str = ""
    receipt_number: str = ""
    receipt_document_id: str = ""
    settled: bool = False

    @property
    def obligation_ids(self) -> tuple[str, ...]:
        return tuple(line.obligation_id for line in self.lines)

    def shown_status(self, now: float) -> PaymentState:
        if self.status == PaymentState.PENDING and now >= self.expires_at:
            return PaymentState.EXPIRED
        return self.status


def charge_line(obligation: TaxObligation, today: date) -> PaymentLine:
    """Law on Tax Administration 38/2019/QH14 art. 59: a late payment owes 0.03 % per day from the day after
    the due date through the day before paying; paying it with the principal settles the debt in one go."""
    days, interest = (0, 0)
    if obligation.due_date < today:
        days, interest = late_interest(obligation.outstanding_vnd, obligation.due_date, today)
    kind = obligation.tax_type
    return PaymentLine(
        obligation.obligation_id,
        kind.code,
        kind.name_vi,
        kind.name_en,
        obligation.period,
        obligation.due_date.isoformat(),
        obligation.outstanding_vnd,
        days,
        interest,
    )


def years_to_search(today: date) -> tuple[int, ...]:
    """Where obligations are looked for by id (the authority lists them by the year they fall due): this year
    and last, then next year's (paid early), then older debts back to the 5-year limit on collecting them."""
    return (today.year, today.year - 1, today.year + 1, *range(today.year - 2, today.year - 6, -1))


def new_payment_id(now: float) -> str:
    return f"{int(now * 1000):013x}{secrets.token_hex(6)}"


def new_reference() -> str:
    """What the bank transfer's purpose and the gateway carry: ASCII capitals and digits, 'TAX' and 17 more."""
    return "TAX" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(17))


def description_of(lines: tuple[PaymentLine, ...], reference: str) -> str:
    """The gateway's order information: ASCII, no personal data."""
    kinds = "+".join(sorted({line.tax_type for line in lines}))
    return f"Nop thue {kinds} {reference}"


def result_changes(current: PaymentState, result: PaymentState) -> bool | None:
    """Whether a gateway result moves our payment: True (it does), False (already so: a replay), None (it
    contradicts what the gateway said before: a completed payment never fails afterwards). A failed or
    expired payment can still complete: the gateway is the one that knows the money moved."""
    if current == result:
        return False
    if current == PaymentState.COMPLETED:
        return None
    return True
