"""DynamoDB storage of Token Status Lists: positions handed out at random (a counter would leak issuance order
and volume to anyone holding two credentials), one item per list with its 2-bit entries and a version, and the last signed token kept beside them (signing is a KMS
call: a public, cacheable list is signed again only when its bits changed or its token aged)."""

import secrets
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.credentials import STATUS_BITS
from chalicelib.domain.status_list import StatusList
from chalicelib.domain.wallet import STATUS_LIST_SIZE, StatusSlot

RANDOM_TRIES = 16  # collisions are rare until a list is nearly full


@dataclass(frozen=True)
class StoredStatusList:
    list_id: int
    status_list: StatusList
    version: int
    token: str = ""  # the signed statuslist+jwt of this version, if one was made
    token_issued_at: int = 0


class DynamoStatusLists:
    def __init__(self, table: DynamoTable):
        self._table = table

    def allocate(self) -> StatusSlot:
        """A random position no other credential has: a lost issuance leaves its entry unused (valid,
        unreferenced). The counter only counts claims, so lists fill one after the other and a list never gets
        more claimants than entries: each claimant is sure to find a free entry in its list."""
        claim_number = self._table.increment(dynamo.status_counter_key(), "position") - 1
        list_id = claim_number // STATUS_LIST_SIZE
        for _ in range(RANDOM_TRIES):
            index = secrets.randbelow(STATUS_LIST_SIZE)
            if self._claim(list_id, index):
                return StatusSlot(list_id, index)
        return self._claim_first_free(list_id)

    def _claim(self, list_id: int, index: int) -> bool:
        try:
            self._table.put(dynamo.status_claim_key(list_id, index), condition="attribute_not_exists(pk)")
        except ConditionFailed:
            return False
        return True

    def _claim_first_free(self, list_id: int) -> StatusSlot:
        """A nearly full list: walk from a random start rather than draw ever longer (a free entry exists)."""
        start = secrets.randbelow(STATUS_LIST_SIZE)
        for step in range(STATUS_LIST_SIZE):
            index = (start + step) % STATUS_LIST_SIZE
            if self._claim(list_id, index):
                return StatusSlot(list_id, index)
        raise RuntimeError(f"status list {list_id} has no free entry although the counter gave it a claim")

    def read(self, list_id: int) -> StoredStatusList | None:
        """None for a list no credential was given a position in yet."""
        item = self._table.get(dynamo.status_bits_key(list_id), consistent=True)
        if item is None:
            return (
                StoredStatusList(list_id, StatusList(STATUS_LIST_SIZE, STATUS_BITS), 0)
                if self._allocated(list_id)
                else None
            )
        return StoredStatusList(
            list_id,
            _status_list(item),
            int(item["version"]),
            str(item.get("token", "")) if int(item.get("token_version", -1)) == int(item["version"]) else "",
            int(item.get("token_issued_at", 0)),
        )

    def status_of(self, list_id: int, index: int) -> int | None:
        stored = self.read(list_id)
        return stored.status_list.get(index) if stored and 0 <= index < STATUS_LIST_SIZE else None

    def keep_token(self, stored: StoredStatusList, token: str, issued_at: int) -> None:
        """Kept only while the bits are still the ones signed; a status change meanwhile wins."""
        try:
            self._table.update(
                dynamo.status_bits_key(stored.list_id),
                "SET #t = :t, token_version = :v, token_issued_at = :at",
                {":t": token, ":v": stored.version, ":at": issued_at},
                condition="version = :v",
                names={"#t": "token"},
            )
        except ConditionFailed:
            pass

    def _allocated(self, list_id: int) -> bool:
        counter = self._table.get(dynamo.status_counter_key(), consistent=True)
        return bool(counter) and int(counter["position"]) > list_id * STATUS_LIST_SIZE


def _status_list(item: dict[str, Any]) -> StatusList:
    raw = item["bits"]
    return StatusList(STATUS_LIST_SIZE, STATUS_BITS, bytes(getattr(raw, "value", raw)))


def bits_operation(table: DynamoTable, list_id: int, index: int, status: int) -> dict[str, Any]:
    """The list with one entry set, as a transaction Put conditional on the version read: a concurrent change
    of another entry of the same list makes the transaction lose (and the caller retry from fresh state)."""
    key = dynamo.status_bits_key(list_id)
    item = table.get(key, consistent=True)
    status_list = _status_list(item) if item else StatusList(STATUS_LIST_SIZE, STATUS_BITS)
    status_list.set(index, status)
    version = int(item["version"]) if item else 0
    operation = dynamo_table.put_operation(
        {**key, "bits": status_list.to_bytes(), "version": version + 1},
        "attribute_not_exists(pk)" if item is None else "version = :old",
    )
    if item is not None:
        operation["Put"]["ExpressionAttributeValues"] = dynamo_table.to_item({":old": version})
    return operation
