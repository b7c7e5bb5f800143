"""The deadline index of tax alerts (TaxDeadlineIndex): one item per unpaid obligation in its due date's
partition, a pointer to the due date it is filed under (so a moved deadline leaves no stale item), the
change feed's cursor, and a marker per day whose alert pass is done. Items hold person keys, never IDs."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets
from chalicelib.adapters import tax_authority_json as documents
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.tax_alerts import DueItem

PASS_MARKER_TTL = 40 * 86400
# An item is read for the last time the day after its due date (the debt alert): kept a while longer, then TTL.
ITEM_KEEP_DAYS = 30


class DynamoTaxDeadlineIndex:
    def __init__(self, table: DynamoTable, clock: Any):
        self._table, self._clock = table, clock

    def cursor(self) -> str:
        item = self._table.get(dynamo_buckets.tax_feed_cursor_key(), consistent=True)
        return str(item["cursor"]) if item else ""

    def save_cursor(self, cursor: str) -> None:
        self._table.put({**dynamo_buckets.tax_feed_cursor_key(), "cursor": cursor})

    def keep(self, item: DueItem, sequence: int) -> None:
        # Written new item first, pointer next, old item last: a crash in between is redone by the reread.
        pointer = self._pointer(item.taxpayer_key, item.obligation.obligation_id)
        if pointer and int(pointer["sequence"]) >= sequence:
            return
        day = item.obligation.due_date.isoformat()
        self._table.update(
            dynamo_buckets.tax_due_key(day, item.taxpayer_key, item.obligation.obligation_id),
            "SET obligation = :o, business_tax_code = :b, business_name = :n, person_keys = :p, expires_at = :e",
            {
                ":e": _expiry(item.obligation.due_date),
                ":o": _obligation_json(item),
                ":b": item.business_tax_code,
                ":n": item.business_name,
                ":p": list(item.person_keys),
            },
        )  # SET keeps `sent`: a changed amount under the same due date is not told again
        self._put_pointer(item.taxpayer_key, item.obligation.obligation_id, day, sequence)
        if pointer and pointer.get("due_date") and pointer["due_date"] != day:
            self._table.delete(dynamo_buckets.tax_due_key(pointer["due_date"], item.taxpayer_key, pointer["sk"]))

    def drop(self, taxpayer_key: str, obligation_id: str, sequence: int) -> None:
        pointer = self._pointer(taxpayer_key, obligation_id)
        if pointer and int(pointer["sequence"]) >= sequence:
            return
        self._put_pointer(taxpayer_key, obligation_id, "", sequence)  # paid: remembered, filed nowhere
        if pointer and pointer.get("due_date"):
            self._table.delete(dynamo_buckets.tax_due_key(pointer["due_date"], taxpayer_key, obligation_id))

    def due_on(self, day: date) -> Iterator[DueItem]:
        after = None
        while True:
            rows, after = self._table.query_page(dynamo_buckets.tax_due_pk(day.isoformat()), limit=100, after=after)
            yield from (_due_item(row) for row in rows)
            if after is None:
                return

    def mark_sent(self, item: DueItem, kind: str) -> None:
        key = dynamo_buckets.tax_due_key(
            item.obligation.due_date.isoformat(), item.taxpayer_key, item.obligation.obligation_id
        )
        try:
            self._table.update(key, "ADD sent :k", {":k": {kind}}, condition="attribute_exists(pk)")
        except ConditionFailed:
            pass  # paid (dropped) meanwhile: nothing left to mark

    def pass_done(self, day: date) -> bool:
        return self._table.get(dynamo_buckets.tax_alert_pass_key(day.isoformat()), consistent=True) is not None

    def mark_pass_done(self, day: date) -> None:
        expires_at = int(self._clock()) + PASS_MARKER_TTL
        self._table.put({**dynamo_buckets.tax_alert_pass_key(day.isoformat()), "expires_at": expires_at})

    def citizens_of(self, person_keys: tuple[str, ...]) -> dict[str, str]:
        if not person_keys:
            return {}
        found = self._table.get_many([dynamo.person_link_key(key) for key in dict.fromkeys(person_keys)])
        return {pk.removeprefix("PERSON#"): item["citizen_id"] for (pk, _), item in found.items()}

    def _pointer(self, taxpayer_key: str, obligation_id: str) -> dict[str, Any] | None:
        return self._table.get(dynamo.tax_obligation_pointer_key(taxpayer_key, obligation_id), consistent=True)

    def _put_pointer(self, taxpayer_key: str, obligation_id: str, day: str, sequence: int) -> None:
        key = dynamo.tax_obligation_pointer_key(taxpayer_key, obligation_id)
        self._table.put({**key, "due_date": day, "sequence": sequence})


def _expiry(due: date) -> int:
    return int(datetime.combine(due + timedelta(days=ITEM_KEEP_DAYS), time(), UTC).timestamp())


def _obligation_json(item: DueItem) -> str:
    doc = documents.obligations_doc([item.obligation])["items"][0]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _due_item(row: dict[str, Any]) -> DueItem:
    taxpayer_key, _, _ = row["sk"].partition("#")
    return DueItem(
        taxpayer_key=taxpayer_key,
        obligation=documents.obligations_from({"items": [json.loads(row["obligation"])]})[0],
        business_tax_code=row.get("business_tax_code", ""),
        business_name=row.get("business_name", ""),
        person_keys=tuple(row.get("person_keys", ())),
        sent=frozenset(row.get("sent", ())),
    )
