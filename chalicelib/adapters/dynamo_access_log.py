"""DynamoDB repositories of the citizen-facing access log and of idempotent POST answers."""

import json
from dataclasses import fields

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import access_item
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.dossiers import AccessEntry, IdempotencyClaim
from chalicelib.domain.pages import Page

_ENTRY_FIELDS = {f.name for f in fields(AccessEntry)}


class DynamoAccessLog:
    def __init__(self, table: DynamoTable):
        self._table = table

    def record(self, person_keys: list[str], entry: AccessEntry) -> None:
        """One entry per person; up to 100 at once, all or none."""
        for start in range(0, len(person_keys), 100):
            self._table.transact(
                [dynamo_table.put_operation(access_item(key, entry)) for key in person_keys[start : start + 100]]
            )

    def list(self, person_key: str, after: str | None, limit: int) -> Page[AccessEntry]:
        items, last = self._table.query_page(
            dynamo.person_pk(person_key), dynamo.ACCESS_LOG_PREFIX, newest_first=True, after=after, limit=limit
        )
        return Page([AccessEntry(**{k: v for k, v in i.items() if k in _ENTRY_FIELDS}) for i in items], last)


class DynamoIdempotency:
    def __init__(self, table: DynamoTable):
        self._table = table

    def get(self, scope: str, key: str) -> IdempotencyClaim | None:
        """The claim recorded for this key (written with what it created: dynamo_dossiers.claim_operation)."""
        item = self._table.get(dynamo.idempotency_key(scope, key), consistent=True)
        if item is None:
            return None
        return IdempotencyClaim(scope, key, item["fingerprint"], json.loads(item["answer"]))
