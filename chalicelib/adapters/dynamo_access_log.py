"""DynamoDB repositories of the citizen-facing access log and of idempotent POST answers."""

import json
from dataclasses import fields

from chalicelib.adapters import dynamo, dynamo_buckets
from chalicelib.adapters.dynamo_dossier_items import access_operations
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.access_log import EVERYTHING, LEGACY_ACTION_PREFIXES, AccessQuery, complete
from chalicelib.domain.dossiers import AccessEntry, IdempotencyClaim
from chalicelib.domain.pages import Page

_ENTRY_FIELDS = {f.name for f in fields(AccessEntry)}
_FAR_FUTURE = "9999"


class DynamoAccessLog:
    def __init__(self, table: DynamoTable):
        self._table = table

    def record(self, person_keys: list[str], entry: AccessEntry) -> None:
        """One entry per person and the person's mark in the month's index; 50 people at once, all or none."""
        for start in range(0, len(person_keys), 50):
            self._table.transact(
                [op for key in person_keys[start : start + 50] for op in access_operations(key, entry)]
            )

    def list(
        self, person_key: str, after: str | None, limit: int, query: AccessQuery = EVERYTHING
    ) -> Page[AccessEntry]:
        """Newest first; the time range is the sort key's, the category a filter on the partition's entries."""
        prefix = dynamo.ACCESS_LOG_PREFIX
        if query.since and query.until and query.until <= query.since:
            return Page([], None)  # an empty range (BETWEEN refuses a reversed one)
        items, last = self._table.query_page(
            dynamo.person_pk(person_key),
            "" if query.since or query.until else prefix,
            newest_first=True,
            after=after,
            limit=limit,
            sk_range=(prefix + query.since, prefix + (query.until or _FAR_FUTURE))
            if query.since or query.until
            else None,
            where=_category_filter(query.category) if query.category else None,
        )
        return Page([_entry(i) for i in items], last)

    def people_in_month(self, month: str, shard: int, after: str | None, limit: int) -> Page[str]:
        """The people with at least one entry in the month (Vietnam time), from one shard of the month's index."""
        items, last = self._table.query_page(dynamo_buckets.access_month_pk(month, shard), after=after, limit=limit)
        return Page([i["sk"] for i in items], last)


def _entry(item: dict) -> AccessEntry:
    values = {k: v for k, v in item.items() if k in _ENTRY_FIELDS}
    values["related"] = tuple(values.get("related") or ())
    return complete(AccessEntry(**values))


def _category_filter(category: str) -> tuple[str, dict, dict[str, str]]:
    """Entries that name the category, or older ones whose action says it (domain/access_log.py)."""
    values: dict = {":category": category}
    legacy = []
    for n, prefix in enumerate(LEGACY_ACTION_PREFIXES.get(category, ())):
        values[f":legacy{n}"] = prefix
        legacy.append(f"begins_with(#action, :legacy{n})")
    if not legacy:
        return "#category = :category", values, {"#category": "category"}
    expression = f"#category = :category OR (attribute_not_exists(#category) AND ({' OR '.join(legacy)}))"
    return expression, values, {"#category": "category", "#action": "action"}


class DynamoIdempotency:
    def __init__(self, table: DynamoTable):
        self._table = table

    def get(self, scope: str, key: str) -> IdempotencyClaim | None:
        """The claim recorded for this key (written with what it created: dynamo_dossiers.claim_operation)."""
        item = self._table.get(dynamo.idempotency_key(scope, key), consistent=True)
        if item is None:
            return None
        return IdempotencyClaim(scope, key, item["fingerprint"], json.loads(item["answer"]))


class DynamoDigestMarks:
    """Which citizen a logged person is, and whether their month's digest went out."""

    def __init__(self, table: DynamoTable):
        self._table = table

    def citizens_of(self, person_keys: list[str]) -> dict[str, str]:
        if not person_keys:
            return {}
        found = self._table.get_many([dynamo.person_link_key(key) for key in dict.fromkeys(person_keys)])
        return {pk.removeprefix("PERSON#"): item["citizen_id"] for (pk, _), item in found.items()}

    def sent(self, person_key: str, month: str) -> bool:
        return self._table.get(dynamo.access_digest_key(person_key, month), consistent=True) is not None

    def mark_sent(self, person_key: str, month: str) -> None:
        self._table.put(dynamo.access_digest_key(person_key, month))
