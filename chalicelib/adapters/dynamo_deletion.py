"""DynamoDB store of account deletion requests: the request on the citizen (CITIZEN#<id> / DELETION) and a copy in
the day bucket of its reminder, which the reminder schedule Queries (no scan); both written and removed together."""

from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import NEW
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.deletion import DeletionRequest

_FIELDS = ("citizen_id", "person_key", "requested_at", "erase_at")


class DynamoDeletionRequests:
    def __init__(self, table: DynamoTable):
        self._table = table

    def schedule(self, request: DeletionRequest) -> bool:
        """False when the citizen already has a request (a concurrent twin): theirs stands."""
        try:
            self._table.transact(
                [
                    dynamo_table.put_operation(
                        {**dynamo.deletion_request_key(request.citizen_id), **_fields(request)}, NEW
                    ),
                    dynamo_table.put_operation({**_reminder_key(request), **_fields(request)}),
                ]
            )
        except ConditionFailed:
            return False
        return True

    def get(self, citizen_id: str) -> DeletionRequest | None:
        item = self._table.get(dynamo.deletion_request_key(citizen_id), consistent=True)
        return _request(item) if item else None

    def cancel(self, request: DeletionRequest) -> bool:
        """False when there was nothing to cancel any more (cancelled twice at once)."""
        try:
            self._table.transact(
                [
                    dynamo_table.delete_operation(
                        dynamo.deletion_request_key(request.citizen_id), "attribute_exists(pk)"
                    ),
                    dynamo_table.delete_operation(_reminder_key(request)),
                ]
            )
        except ConditionFailed:
            return False
        return True

    def reminders_on(self, day: str) -> list[DeletionRequest]:
        requests, after = [], None
        while True:
            items, after = self._table.query_page(dynamo.deletion_reminder_pk(day), after=after, limit=200)
            requests += [_request(item) for item in items]
            if not after:
                return requests

    def forget_reminder(self, request: DeletionRequest) -> None:
        self._table.delete(_reminder_key(request))


def _reminder_key(request: DeletionRequest) -> dict[str, str]:
    day = datetime.fromtimestamp(request.remind_at, UTC).strftime("%Y-%m-%d")
    return dynamo.deletion_reminder_key(day, request.citizen_id)


def _fields(request: DeletionRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in _FIELDS}


def _request(item: dict[str, Any]) -> DeletionRequest:
    return DeletionRequest(item["citizen_id"], item["person_key"], int(item["requested_at"]), int(item["erase_at"]))
