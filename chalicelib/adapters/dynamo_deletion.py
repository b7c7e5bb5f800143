"""DynamoDB store of account deletion requests: the request on the citizen (CITIZEN#<id> / DELETION), a copy in
the day bucket of its reminder and one in the day bucket of its erasure, which the schedules Query (no scan); all
written and removed together. Also the final statements, by the hash of their link's secret."""

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import NEW
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.deletion import DeletionRequest, ErasureProgress

_FIELDS = ("citizen_id", "person_key", "requested_at", "erase_at", "statement_id")
_NOT_STARTED = "attribute_exists(pk) AND attribute_not_exists(started_at)"


class DynamoDeletionRequests:
    def __init__(self, table: DynamoTable):
        self._table = table

    def schedule(self, request: DeletionRequest) -> bool:
        """False when the citizen already has a request (a concurrent twin): theirs stands."""
        main = dynamo_table.put_operation({**dynamo.deletion_request_key(request.citizen_id), **_fields(request)}, NEW)
        copies = [dynamo_table.put_operation({**key, **_fields(request)}) for key in _copy_keys(request)]
        try:
            self._table.transact([main, *copies])
        except ConditionFailed:
            return False
        return True

    def get(self, citizen_id: str) -> DeletionRequest | None:
        item = self._table.get(dynamo.deletion_request_key(citizen_id), consistent=True)
        return _request(item) if item else None

    def cancel(self, request: DeletionRequest) -> bool:
        """False when there was nothing to cancel any more (cancelled twice at once, or the erasure started)."""
        main = dynamo_table.delete_operation(dynamo.deletion_request_key(request.citizen_id), _NOT_STARTED)
        try:
            self._table.transact([main, *(dynamo_table.delete_operation(key) for key in _copy_keys(request))])
        except ConditionFailed:
            return False
        return True

    def reminders_on(self, day: str) -> list[DeletionRequest]:
        return self._copies(dynamo_buckets.deletion_reminder_pk(day))

    def forget_reminder(self, request: DeletionRequest) -> None:
        self._table.delete(_reminder_key(request))

    def due_on(self, day: str) -> list[DeletionRequest]:
        return self._copies(dynamo_buckets.deletion_due_pk(day))

    def start_erasure(self, request: DeletionRequest, progress: ErasureProgress) -> bool:
        """Marks the erasure begun (from now on a cancel fails); False when it was cancelled or already begun."""
        values = {
            ":s": progress.started_at,
            ":k": progress.kept_key,
            ":c": json.dumps(progress.counts, sort_keys=True),
            ":r": list(progress.represents),
        }
        expression = "SET started_at = :s, kept_key = :k, counts = :c, represents = :r"
        try:
            self._table.update(dynamo.deletion_request_key(request.citizen_id), expression, values, _NOT_STARTED)
        except ConditionFailed:
            return False
        return True

    def finish(self, request: DeletionRequest) -> None:
        """The request and its copies gone: the last trace of the account."""
        keys = [dynamo.deletion_request_key(request.citizen_id), *_copy_keys(request)]
        self._table.transact([dynamo_table.delete_operation(key) for key in keys])

    def _copies(self, pk: str) -> list[DeletionRequest]:
        return [_request(item) for item in self._table.query_all(pk)]


class DynamoDeletionStatements:
    def __init__(self, table: DynamoTable):
        self._table = table

    def put(self, statement_hash: str, document: bytes, expires_at: int) -> None:
        item = {
            **dynamo.deletion_statement_key(statement_hash),
            "document": document.decode(),
            "expires_at": expires_at,
        }
        self._table.put(item)

    def get(self, statement_hash: str, now: int) -> bytes | None:
        """None once expired, before DynamoDB's TTL gets to it."""
        item = self._table.get(dynamo.deletion_statement_key(statement_hash))
        if not item or int(item["expires_at"]) <= now:
            return None
        return str(item["document"]).encode()


def _copy_keys(request: DeletionRequest) -> list[dict[str, str]]:
    return [_reminder_key(request), dynamo_buckets.deletion_due_key(_day(request.erase_at), request.citizen_id)]


def _reminder_key(request: DeletionRequest) -> dict[str, str]:
    return dynamo_buckets.deletion_reminder_key(_day(request.remind_at), request.citizen_id)


def _day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def _fields(request: DeletionRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in _FIELDS}


def _request(item: dict[str, Any]) -> DeletionRequest:
    progress = None
    if item.get("started_at") is not None:
        counts = {name: int(count) for name, count in json.loads(item.get("counts") or "{}").items()}
        progress = ErasureProgress(
            int(item["started_at"]), item["kept_key"], counts, tuple(item.get("represents") or ())
        )
    return DeletionRequest(
        item["citizen_id"],
        item["person_key"],
        int(item["requested_at"]),
        int(item["erase_at"]),
        item.get("statement_id", ""),
        progress,
    )
