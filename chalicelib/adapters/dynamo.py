"""The single DynamoDB table: every key shape lives here, plus a thin typed wrapper over the client.

Access patterns (pk / sk):
  login attempt by state ........ LOGIN#<state>        / LOGIN            (TTL, deleted on use)
  citizen by eID subject ........ EID#<subject>        / IDENTITY
  citizen profile ............... CITIZEN#<citizen_id> / PROFILE
  sessions of a citizen ......... CITIZEN#<citizen_id> / SESSION#<session_id>   (Query by prefix)
  refresh token by hash ......... REFRESH#<sha256>     / REFRESH          (TTL)
No access pattern scans; every read is a GetItem or a single-partition Query.
"""
from typing import Any, Iterable, Optional

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import ServiceUnavailableError

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
_RETRYABLE = {
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable", "TransactionInProgressException",
}


def login_key(state: str) -> dict[str, str]:
    return {"pk": f"LOGIN#{state}", "sk": "LOGIN"}


def identity_key(eid_subject: str) -> dict[str, str]:
    return {"pk": f"EID#{eid_subject}", "sk": "IDENTITY"}


def profile_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "PROFILE"}


def session_key(citizen_id: str, session_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"SESSION#{session_id}"}


SESSION_PREFIX = "SESSION#"


def refresh_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"REFRESH#{token_hash}", "sk": "REFRESH"}


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

    def get(self, key: dict[str, str], consistent: bool = False) -> Optional[dict[str, Any]]:
        answer = self._call("get_item", TableName=self.name, Key=to_item(key), ConsistentRead=consistent)
        item = answer.get("Item")
        return from_item(item) if item else None

    def put(self, values: dict[str, Any], condition: Optional[str] = None) -> None:
        self._call("put_item", TableName=self.name, **put_operation(values, condition)["Put"])

    def delete(self, key: dict[str, str], must_exist: bool = False) -> Optional[dict[str, Any]]:
        kwargs: dict[str, Any] = {"TableName": self.name, "Key": to_item(key), "ReturnValues": "ALL_OLD"}
        if must_exist:
            kwargs["ConditionExpression"] = "attribute_exists(pk)"
        old = self._call("delete_item", **kwargs).get("Attributes")
        return from_item(old) if old else None

    def update(self, key: dict[str, str], expression: str, values: dict[str, Any],
               condition: Optional[str] = None) -> None:
        operation = update_operation(key, expression, values, condition)["Update"]
        self._call("update_item", TableName=self.name, **operation)

    def query_prefix(self, pk: str, sk_prefix: str, limit: int = 100) -> list[dict[str, Any]]:
        answer = self._call(
            "query", TableName=self.name, Limit=limit,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": pk, ":prefix": sk_prefix}),
        )
        return [from_item(item) for item in answer.get("Items", [])]

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
    if code in _RETRYABLE:
        return ServiceUnavailableError("storage_busy", retry_after=1)
    return error


def put_operation(values: dict[str, Any], condition: Optional[str] = None) -> dict[str, Any]:
    put: dict[str, Any] = {"Item": to_item(values)}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def update_operation(key: dict[str, str], expression: str, values: dict[str, Any],
                     condition: Optional[str] = None) -> dict[str, Any]:
    update: dict[str, Any] = {
        "Key": to_item(key), "UpdateExpression": expression, "ExpressionAttributeValues": to_item(values),
    }
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}
