"""A thin typed wrapper over the DynamoDB client: plain dicts in and out, conditional-write failures as
ConditionFailed, throttling and outages as ServiceUnavailableError (503 upstream)."""

import json
from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import ServiceUnavailableError, ValidationError

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
}


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _SERIALIZER.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _DESERIALIZER.deserialize(v) for k, v in item.items()}


class ConditionFailed(Exception):
    """A conditional write lost: the item was not in the state the write required."""

    def __init__(self, reasons: Iterable[str] = ()):
        super().__init__("condition failed")
        self.reasons = list(reasons)


class DynamoTable:
    """The table, spoken to in plain dicts. Throttling and outages become ServiceUnavailableError."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self.name = table_name

    def get(self, key: dict[str, str], consistent: bool = False) -> dict[str, Any] | None:
        answer = self._call("get_item", TableName=self.name, Key=to_item(key), ConsistentRead=consistent)
        item = answer.get("Item")
        return from_item(item) if item else None

    def put(self, values: dict[str, Any], condition: str | None = None) -> None:
        self._call("put_item", TableName=self.name, **put_operation(values, condition)["Put"])

    def delete(self, key: dict[str, str], must_exist: bool = False) -> dict[str, Any] | None:
        kwargs: dict[str, Any] = {"TableName": self.name, "Key": to_item(key), "ReturnValues": "ALL_OLD"}
        if must_exist:
            kwargs["ConditionExpression"] = "attribute_exists(pk)"
        old = self._call("delete_item", **kwargs).get("Attributes")
        return from_item(old) if old else None

    def delete_if(self, key: dict[str, str], condition: str, values: dict[str, Any]) -> bool:
        """One conditional delete: False (nothing deleted) when the item is missing or fails the condition."""
        kwargs = {**delete_operation(key, condition)["Delete"], "ExpressionAttributeValues": to_item(values)}
        try:
            self._call("delete_item", TableName=self.name, **kwargs)
        except ConditionFailed:
            return False
        return True

    def update(
        self,
        key: dict[str, str],
        expression: str,
        values: dict[str, Any],
        condition: str | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        operation = update_operation(key, expression, values, condition)["Update"]
        if names:
            operation["ExpressionAttributeNames"] = names
        self._call("update_item", TableName=self.name, **operation)

    def increment(self, key: dict[str, str], attribute: str) -> int:
        """Adds one to a counter atomically and answers the new value (1 for a counter that did not exist)."""
        answer = self._call(
            "update_item",
            TableName=self.name,
            Key=to_item(key),
            UpdateExpression="ADD #n :one",
            ExpressionAttributeNames={"#n": attribute},
            ExpressionAttributeValues=to_item({":one": 1}),
            ReturnValues="UPDATED_NEW",
        )
        return int(from_item(answer["Attributes"])[attribute])

    def get_many(self, keys: list[dict[str, str]], consistent: bool = False) -> dict[tuple[str, str], dict[str, Any]]:
        """Several items in one BatchGetItem, by (pk, sk); what DynamoDB leaves unprocessed is asked again."""
        pending, found = [to_item(key) for key in keys], {}
        for _ in range(3):
            answer = self._call(
                "batch_get_item", RequestItems={self.name: {"Keys": pending, "ConsistentRead": consistent}}
            )
            for item in map(from_item, answer.get("Responses", {}).get(self.name, [])):
                found[(item["pk"], item["sk"])] = item
            pending = answer.get("UnprocessedKeys", {}).get(self.name, {}).get("Keys", [])
            if not pending:
                return found
        raise ServiceUnavailableError("storage_busy", retry_after=1)

    def query_prefix(self, pk: str, sk_prefix: str, limit: int = 100) -> list[dict[str, Any]]:
        answer = self._call(
            "query",
            TableName=self.name,
            Limit=limit,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": pk, ":prefix": sk_prefix}),
        )
        return [from_item(item) for item in answer.get("Items", [])]

    def query_page(
        self,
        pk: str,
        sk_prefix: str = "",
        *,
        index: str = "",
        newest_first: bool = False,
        limit: int = 100,
        after: str | None = None,
        consistent: bool = False,
        sk_range: tuple[str, str] | None = None,
        where: tuple[str, dict[str, Any], dict[str, str]] | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a single-partition Query (on the table or a GSI) and the opaque position to continue
        after: the last evaluated key as compact JSON, read back only by this method."""
        pk_name, sk_name = ("gsi1pk", "gsi1sk") if index else ("pk", "sk")
        condition, values = f"{pk_name} = :pk", {":pk": pk}
        if sk_prefix:
            condition, values[":prefix"] = condition + f" AND begins_with({sk_name}, :prefix)", sk_prefix
        if sk_range:  # inclusive both ends, as DynamoDB's BETWEEN
            condition += f" AND {sk_name} BETWEEN :low AND :high"
            values[":low"], values[":high"] = sk_range
        if where:  # applied after Limit: a page may hold fewer items, never a wrong one
            values.update(where[1])
        kwargs: dict[str, Any] = {
            "TableName": self.name,
            "Limit": limit,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ScanIndexForward": not newest_first,
        }
        if where:
            kwargs["FilterExpression"], kwargs["ExpressionAttributeNames"] = where[0], where[2]
        if index:
            kwargs["IndexName"] = index
        elif consistent:
            kwargs["ConsistentRead"] = True
        if after:
            kwargs["ExclusiveStartKey"] = to_item(_position_key(after, pk_name, pk))
        answer = self._call("query", **kwargs)
        last = answer.get("LastEvaluatedKey")
        return [from_item(item) for item in answer.get("Items", [])], (_position(from_item(last)) if last else None)

    def query_all(
        self, pk: str, sk_prefix: str = "", *, index: str = "", consistent: bool = False
    ) -> list[dict[str, Any]]:
        """Every item of a partition (or a GSI partition), page after page: for the few that are read whole."""
        items: list[dict[str, Any]] = []
        after = None
        while True:
            page, after = self.query_page(pk, sk_prefix, index=index, consistent=consistent, after=after, limit=200)
            items += page
            if not after:
                return items

    def transact(self, operations: list[dict[str, Any]]) -> None:
        """Operations as TransactItems entries; `TableName` is filled in for each."""
        for operation in operations:
            next(iter(operation.values()))["TableName"] = self.name
        self._call("transact_write_items", TransactItems=operations)

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            raise _translate(error) from error
        except BotoCoreError as error:  # connection refused, timeouts after botocore's retries
            raise ServiceUnavailableError("storage_unavailable") from error


def _translate(error: ClientError) -> Exception:
    code = error.response.get("Error", {}).get("Code", "")
    if code == "ConditionalCheckFailedException":
        return ConditionFailed([code])
    if code == "TransactionCanceledException":
        reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
        if "ConditionalCheckFailed" in reasons:
            return ConditionFailed(reasons)
        return ServiceUnavailableError("storage_busy", retry_after=1)
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code in _RETRYABLE or status >= 500:  # still failing after botocore's own retries
        return ServiceUnavailableError("storage_busy", retry_after=1)
    return error


def _position(last_key: dict[str, Any]) -> str:
    return json.dumps(last_key, separators=(",", ":"), sort_keys=True, default=str)


def _position_key(after: str, pk_name: str, pk: str) -> dict[str, Any]:
    """A position only continues the partition it came from; anything else is a bad cursor, never a 500."""
    try:
        key = json.loads(after)
    except ValueError:
        key = None
    if not isinstance(key, dict) or key.get(pk_name) != pk or not all(isinstance(v, str) for v in key.values()):
        raise ValidationError("cursor_invalid")
    return key


def put_operation(values: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"Item": to_item(values)}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def lease_operation(item: dict[str, Any], now: int) -> dict[str, Any]:
    """A put that takes a lease: when the item is free, or when its holder's `until` (in `item` too) has passed."""
    put = put_operation(item, "attribute_not_exists(pk) OR #until <= :now")
    put["Put"].update(ExpressionAttributeNames={"#until": "until"}, ExpressionAttributeValues=to_item({":now": now}))
    return put


def delete_operation(key: dict[str, str], condition: str | None = None) -> dict[str, Any]:
    delete: dict[str, Any] = {"Key": to_item(key)}
    if condition:
        delete["ConditionExpression"] = condition
    return {"Delete": delete}


def check_operation(key: dict[str, str], condition: str) -> dict[str, Any]:
    """A transaction's precondition on an item it does not write."""
    return {"ConditionCheck": {"Key": to_item(key), "ConditionExpression": condition}}


def update_operation(
    key: dict[str, str], expression: str, values: dict[str, Any], condition: str | None = None
) -> dict[str, Any]:
    update: dict[str, Any] = {
        "Key": to_item(key),
        "UpdateExpression": expression,
        "ExpressionAttributeValues": to_item(values),
    }
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}
