"""Two targeted patches of moto's DynamoDB (5.2.x), applied when the embedded AWS starts, so a long local run
stays fast and bounded. DynamoDB's semantics are kept; only moto's way of getting there changes.

- `TransactWriteItems`: moto backs up every table a transaction touches with `copy.deepcopy(table)`, once per
  item of the transaction, before applying it, so each agency filing (a few items) copies the whole table a
  few times: time and peak memory grow with the table, and the freed copies leave the heap fragmented. Here
  only the touched items are snapshotted, and put back if the transaction fails for any reason.
- `Query`: moto sorts every item of the table (`all_items`) and then filters and sorts again. Here a query on
  the table's key reads only its partition; a query on an index still walks the table (moto keeps no
  index), but unsorted, and only its candidates are sorted.
- `GetItem` on a missing partition no longer leaves an empty partition behind (one per unknown receipt).
"""

import copy
import threading
import types
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

_Snapshot = list[tuple[Table, DynamoType, DynamoType | None, Any]]  # table, hash, range, item before (or None)
_applied = threading.Lock()
_original_transact = dynamodb_models.DynamoDBBackend.transact_write_items
_original_query = Table.query
_original_all_items = Table.all_items
_original_get_item = Table.get_item


def apply() -> None:
    """Idempotent: the tests start one embedded AWS per session, `make run` one per process."""
    with _applied:
        if getattr(dynamodb_models.DynamoDBBackend, "_devstack_patched", False):
            return
        dynamodb_models.copy = _copy_without_tables()
        dynamodb_models.DynamoDBBackend.transact_write_items = _transact_write_items
        Table.query = _query
        Table.all_items = _all_items
        Table.get_item = _get_item
        dynamodb_models.DynamoDBBackend._devstack_patched = True


def _copy_without_tables() -> types.ModuleType:
    """moto's module sees this instead of `copy`: a Table "copied" is the table itself (its backup is ours,
    item by item); every other deep copy (an item before an update) is the real one."""

    def deepcopy(value: Any, memo: dict | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    shim = types.ModuleType("copy_without_tables")
    shim.deepcopy, shim.copy = deepcopy, copy.copy
    return shim


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    snapshot = _snapshot(self, transact_items)
    try:
        _original_transact(self, transact_items)
    except Exception:
        _restore(snapshot)  # all or nothing, as in DynamoDB, whatever moto raised
        raise


def _snapshot(backend: Any, transact_items: list[dict[str, Any]]) -> _Snapshot:
    taken: _Snapshot = []
    for entry in transact_items:
        for operation, request in entry.items():
            located = _locate(backend, operation, request)
            if located:
                table, hash_key, range_key = located
                taken.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
    return taken


def _locate(backend: Any, operation: str, request: Any) -> tuple[Table, DynamoType, DynamoType | None] | None:
    """The table and key an operation touches; None when moto will refuse it before writing anything."""
    try:
        table = backend.get_table(request["TableName"])
        key = request["Item"] if operation == "Put" else request["Key"]
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    except Exception:  # a missing table or key attribute: moto answers its own validation error
        return None
    return table, hash_key, range_key


def _restore(snapshot: _Snapshot) -> None:
    # Reversed: when an item appears twice (moto refuses that, after the first), the oldest state wins.
    for table, hash_key, range_key, before in reversed(snapshot):
        bucket = table.items if range_key is None else table.items[hash_key]
        slot = hash_key if range_key is None else range_key
        if before is None:
            bucket.pop(slot, None)
        else:
            bucket[slot] = before


_in_query = threading.local()  # the query being answered on this thread: (table, hash key or None for an index)


def _query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    _in_query.scope = (self, None if index_name else hash_key)
    try:
        return _original_query(self, hash_key, *args, **kwargs)
    finally:
        _in_query.scope = None


def _all_items(self: Table) -> list:
    """Inside a query, unsorted (query sorts its candidates itself) and, on the table's key, that partition only;
    elsewhere (scan, export) moto's own, sorted."""
    table, hash_key = getattr(_in_query, "scope", None) or (None, None)
    if table is not self:
        return _original_all_items(self)
    if hash_key is None:
        return [item for bucket in self.items.values() for item in _bucket_items(self, bucket)]
    bucket = self.items.get(hash_key)  # .get: the defaultdict must not grow an empty partition per query
    return [] if bucket is None else _bucket_items(self, bucket)


def _bucket_items(table: Table, bucket: Any) -> list:
    return list(bucket.values()) if table.range_key_attr else [bucket]


def _get_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None = None, *args: Any) -> Any:
    """moto's reads `self.items[hash][range]`, so every miss on a new partition leaves an empty one behind."""
    if range_key and hash_key not in self.items:
        return None
    return _original_get_item(self, hash_key, range_key, *args)
