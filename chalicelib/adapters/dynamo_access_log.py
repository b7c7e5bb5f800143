"""DynamoDB repositories of the citizen-facing access log and of idempotent POST answers."""
import json
from dataclasses import fields
from typing import Any, Optional

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.adapters.dynamo_dossiers import access_item
from chalicelib.domain.dossiers import AccessEntry

_ENTRY_FIELDS = {f.name for f in fields(AccessEntry)}
IDEMPOTENCY_TTL = 24 * 3600


class DynamoAccessLog:
    def __init__(self, table: DynamoTable):
        self._table = table

    def record(self, person_keys: list[str], entry: AccessEntry) -> None:
        """One entry per person; up to 100 at once, all or none."""
        for start in range(0, len(person_keys), 100):
            self._table.transact([dynamo_table.put_operation(access_item(key, entry))
                                  for key in person_keys[start:start + 100]])

    def list(self, person_key: str, start: Optional[dict[str, Any]],
             limit: int) -> tuple[list[AccessEntry], Optional[dict[str, Any]]]:
        items, last = self._table.query_page(dynamo.person_pk(person_key), dynamo.ACCESS_LOG_PREFIX,
                                             newest_first=True, start_key=start, limit=limit)
        return [AccessEntry(**{k: v for k, v in i.items() if k in _ENTRY_FIELDS}) for i in items], last


class DynamoIdempotency:
    def __init__(self, table: DynamoTable):
        self._table = table

    def get(self, scope: str, key: str) -> Optional[tuple[str, int, dict[str, Any]]]:
        """(body fingerprint, status, answer) recorded for this key, if any."""
        item = self._table.get(dynamo.idempotency_key(scope, key), consistent=True)
        return (item["fingerprint"], int(item["status"]), json.loads(item["answer"])) if item else None

    def put_operation(self, scope: str, key: str, fingerprint: str, status: int, answer: dict[str, Any],
                      now: int) -> dict[str, Any]:
        """For the creating transaction: the key is claimed in the same write as what it created."""
        return dynamo_table.put_operation({**dynamo.idempotency_key(scope, key), "fingerprint": fingerprint,
                                     "status": status, "answer": json.dumps(answer, ensure_ascii=False),
                                     "expires_at": now + IDEMPOTENCY_TTL}, "attribute_not_exists(pk)")
