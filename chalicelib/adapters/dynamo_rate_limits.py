"""DynamoDB rate counters: one item per (rule, subject, window), counted with a conditional ADD.

One counter costs one UpdateItem; several taken together cost one TransactWriteItems. Items expire by the
table's TTL attribute after their window; an expired item is never read again (its key names its window),
so a late TTL deletion changes nothing.
"""

from collections.abc import Sequence
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.rate_limits import CounterClaim

_TAKE = "ADD hits :one SET expires_at = :ttl"
_HAS_ROOM = "attribute_not_exists(hits) OR hits < :limit"
_TTL_SLACK = 60  # TTL deletion is lazy anyway; a minute more keeps a counter alive through clock skew


class DynamoRateCounters:
    def __init__(self, table: DynamoTable):
        self._table = table

    def take(self, claims: Sequence[CounterClaim]) -> int | None:
        try:
            self._write(
                [
                    (claim, _TAKE, {":one": 1, ":limit": claim.limit, ":ttl": _expiry(claim)}, _HAS_ROOM)
                    for claim in claims
                ]
            )
            return None
        except ConditionFailed as full:
            return _first_failed(full.reasons)

    def give_back(self, claims: Sequence[CounterClaim]) -> None:
        """Best effort: a counter that is gone (its window ended) has nothing to give back."""
        try:
            self._write([(claim, "ADD hits :minus", {":minus": -1, ":zero": 0}, "hits > :zero") for claim in claims])
        except ConditionFailed:
            return

    def _write(self, updates: list[tuple[CounterClaim, str, dict[str, Any], str]]) -> None:
        """One UpdateItem for one counter (half the cost of a transaction), one transaction for several."""
        if len(updates) == 1:
            claim, expression, values, condition = updates[0]
            self._table.update(dynamo.rate_counter_key(claim.key), expression, values, condition=condition)
            return
        self._table.transact(
            [
                dynamo_table.update_operation(dynamo.rate_counter_key(claim.key), expression, values, condition)
                for claim, expression, values, condition in updates
            ]
        )


def _expiry(claim: CounterClaim) -> int:
    return claim.window_end + _TTL_SLACK


def _first_failed(reasons: list[str]) -> int:
    """A single update fails with ConditionalCheckFailedException; a transaction names each item's reason."""
    return next((i for i, reason in enumerate(reasons) if reason == "ConditionalCheckFailed"), 0)
