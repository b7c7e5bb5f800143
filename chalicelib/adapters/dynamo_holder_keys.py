"""DynamoDB store of a person's wallet device key: one per person (a new phone replaces the old key), read when
a credential is issued to bind it."""

import json
from typing import Any

from chalicelib.adapters import dynamo
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.wallet import HolderKey


class DynamoHolderKeys:
    def __init__(self, table: DynamoTable):
        self._table = table

    def put(self, person_key: str, key: HolderKey) -> None:
        self._table.put(
            {
                **dynamo.holder_key_key(person_key),
                "key_id": key.key_id,
                "jwk": json.dumps(key.jwk, sort_keys=True),
                "registered_at": key.registered_at,
            }
        )

    def get(self, person_key: str) -> HolderKey | None:
        item = self._table.get(dynamo.holder_key_key(person_key), consistent=True)
        return _key(item) if item else None

    def delete(self, person_key: str, key_id: str) -> bool:
        """False when the person has no key by that id (another person's key is never under their key). One
        conditional delete: a key registered after the caller read the old one is never deleted by its id."""
        return self._table.delete_if(dynamo.holder_key_key(person_key), "key_id = :key_id", {":key_id": key_id})


def _key(item: dict[str, Any]) -> HolderKey:
    return HolderKey(item["key_id"], json.loads(item["jwk"]), int(item["registered_at"]))
