"""Rate limits: a take of every counter a request counts against, before the work they guard; refused with
the seconds until the full counter's window ends."""

from collections.abc import Sequence
from typing import Protocol

from chalicelib.domain.rate_limits import CounterClaim, RateRule, claim_of
from chalicelib.errors import TooManyRequestsError


class RateCounters(Protocol):
    def take(self, claims: Sequence[CounterClaim]) -> int | None:
        """All claims at once, or none: None when taken, else the index of a counter already at its limit."""
        ...

    def give_back(self, claims: Sequence[CounterClaim]) -> None: ...


def take_or_refuse(
    claims: Sequence[CounterClaim], counters: RateCounters, now: int, code: str = "rate_limited"
) -> None:
    full = counters.take(claims)
    if full is not None:
        raise TooManyRequestsError(code, retry_after=max(claims[full].window_end - now, 1))


def check_rate(rule: RateRule, subject: str, counters: RateCounters, now: int) -> None:
    take_or_refuse([claim_of(rule, subject, now)], counters, now)
