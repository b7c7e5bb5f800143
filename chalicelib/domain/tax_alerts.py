"""Tax alerts: what the authority's change feed says, the deadline index's items, and which day partitions a
day's pass reads (due in 7 days, due tomorrow, due yesterday and unpaid: a new debt). Pure rules."""

from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.domain.tax import TaxObligation

DUE_IN_7 = "due7"
DUE_IN_1 = "due1"
NEW_DEBT = "debt"
# kind -> days from the pass's day to the partition it reads (a debt: due yesterday, still unpaid)
SLOTS = ((DUE_IN_7, 7), (DUE_IN_1, 1), (NEW_DEBT, -1))


@dataclass(frozen=True)
class TaxChange:
    """One obligation as it is now, from the authority's feed, with the people to tell about it."""

    sequence: int
    tax_code: str
    taxpayer_name: str
    is_business: bool
    representatives: tuple[str, ...]  # personal IDs of a business's legal representatives; () for a person
    obligation: TaxObligation

    def personal_ids(self) -> tuple[str, ...]:
        """Who is told: the person themself, or a business's legal representatives."""
        return self.representatives if self.is_business else (self.tax_code,)


@dataclass(frozen=True)
class TaxChanges:
    items: list[TaxChange]
    cursor: str  # where the next read starts (the authority's, opaque)
    more: bool


@dataclass(frozen=True)
class DueItem:
    """An unpaid obligation in the deadline index, under its due date."""

    taxpayer_key: str
    obligation: TaxObligation
    business_tax_code: str  # "" for a person's own tax (their tax code is their personal ID)
    business_name: str
    person_keys: tuple[str, ...]
    sent: frozenset[str] = frozenset()


def slots_of(day: date) -> list[tuple[str, date]]:
    """(kind, due date partition) a pass for `day` reads."""
    return [(kind, day + timedelta(days=offset)) for kind, offset in SLOTS]


def kind_for(due: date, today: date) -> str | None:
    """The alert an item due on `due` is in the window of today, if any."""
    return next((kind for kind, day in slots_of(today) if day == due), None)


def alert_event_id(item: DueItem, kind: str, person_key: str) -> str:
    """One per obligation, due date, kind and person: the inbox dedupes on it, so each goes out once."""
    return f"tax-{item.obligation.obligation_id}-{item.obligation.due_date.isoformat()}-{kind}-{person_key[:16]}"
