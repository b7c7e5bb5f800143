"""Rate limits: fixed-window counters, one per (rule, subject, window), taken before the work they guard.

A fixed window lets a client reach twice the limit across a window boundary; that is the price of one
storage call per check (a sliding window needs the previous window's count too).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from chalicelib.errors import TooManyRequestsError


@dataclass(frozen=True)
class RateRule:
    """At most `limit` takes per `window_seconds` per subject (a client IP, a citizen, a receipt)."""

    name: str
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class CounterClaim:
    """One take of one counter: the counter's key names its window, so a new window starts from zero."""

    key: str
    limit: int
    window_end: int


class RateCounters(Protocol):
    def take(self, claims: Sequence[CounterClaim]) -> int | None:
        """All claims at once, or none: None when taken, else the index of a counter already at its limit."""
        ...

    def give_back(self, claims: Sequence[CounterClaim]) -> None: ...


def claim_of(rule: RateRule, subject: str, now: int) -> CounterClaim:
    start = now - now % rule.window_seconds
    return CounterClaim(f"{rule.name}#{subject}#{start}", rule.limit, start + rule.window_seconds)


def take_or_refuse(
    claims: Sequence[CounterClaim], counters: RateCounters, now: int, code: str = "rate_limited"
) -> None:
    """Takes every claim, or raises TooManyRequestsError with the seconds until the full counter's window ends."""
    full = counters.take(claims)
    if full is not None:
        raise TooManyRequestsError(code, retry_after=max(claims[full].window_end - now, 1))


def check_rate(rule: RateRule, subject: str, counters: RateCounters, now: int) -> None:
    take_or_refuse([claim_of(rule, subject, now)], counters, now)
