"""The citizen's calendar feed link: the item is named by the SHA-256 of the link's secret (a copy of the table
gives no working link), and a pointer on the citizen names the current one so that a new link revokes the old."""

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_table import DynamoTable

_feed_key, _pointer_key = dynamo.tax_calendar_feed_key, dynamo.citizen_calendar_feed_key


class DynamoCalendarFeeds:
    def __init__(self, table: DynamoTable):
        self._table = table

    def replace(self, citizen_id: str, token_hash: str, now: int) -> None:
        """The new link, its pointer, and the old link gone, in one transaction."""
        old = self._table.get(_pointer_key(citizen_id), consistent=True)
        operations = [
            dynamo_table.put_operation({**_feed_key(token_hash), "citizen_id": citizen_id, "created_at": now}),
            dynamo_table.put_operation({**_pointer_key(citizen_id), "token_hash": token_hash, "created_at": now}),
        ]
        if old:
            operations.append(dynamo_table.delete_operation(_feed_key(old["token_hash"])))
        self._table.transact(operations)

    def revoke(self, citizen_id: str) -> bool:
        old = self._table.get(_pointer_key(citizen_id), consistent=True)
        if not old:
            return False
        self._table.transact(
            [
                dynamo_table.delete_operation(_feed_key(old["token_hash"])),
                dynamo_table.delete_operation(_pointer_key(citizen_id)),
            ]
        )
        return True

    def citizen_of(self, token_hash: str) -> str | None:
        item = self._table.get(_feed_key(token_hash))
        return str(item["citizen_id"]) if item else None
