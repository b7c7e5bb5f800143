"""Fixed-window rate counting: which counter a take lands in, and when its window ends.

A fixed window lets a client reach twice the limit across a window boundary; that is the price of one
storage call per check (a sliding window needs the previous window's count too).
"""

from dataclasses import dataclass


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


def claim_of(rule: RateRule, subject: str, now: int) -> CounterClaim:
    start = now - now % rule.window_seconds
    return CounterClaim(f"{rule.name}#{subject}#{start}", rule.limit, start + rule.window_seconds)
