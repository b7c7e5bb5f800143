"""The single DynamoDB table: every key shape lives here, plus a thin typed wrapper over the client.

Access patterns (pk / sk):
  login attempt by state ........ LOGIN#<state>        / LOGIN            (TTL, deleted on use)
  citizen by eID subject ........ EID#<subject>        / IDENTITY
  citizen profile ............... CITIZEN#<citizen_id> / PROFILE
  sessions of a citizen ......... CITIZEN#<citizen_id> / SESSION#<session_id>   (Query by prefix)
  refresh token by hash ......... REFRESH#<sha256>     / REFRESH          (TTL)
  push devices of a citizen ..... CITIZEN#<citizen_id> / DEVICE#<device_id>    (Query by prefix; TTL at session end)
  push device by FCM token ...... PUSHTOKEN#<device_id> / PUSHTOKEN       (device_id = sha256(token); owner)
  inbox of a citizen ............ CITIZEN#<citizen_id> / NOTIF#<notification_id> (Query by prefix, newest first)
  inbox unread counter .......... CITIZEN#<citizen_id> / INBOX            (unread, read_before watermark)
  notification preferences ...... CITIZEN#<citizen_id> / NOTIFPREFS
  notified event (dedupe) ....... NOTIFIED#<event_id>  / NOTIFIED         (TTL)
  push sent to a device (dedupe)  PUSHED#<event_id>#<device_id> / PUSHED  (TTL)
  pushes parked for quiet hours . PARKED#<release minute> / <job id>      (Query the minute's partition)
  parked pushes released up to .. PARKED               / RELEASED
  agency by OAuth client_id ..... AGENCY#<client_id>   / AGENCY
  used client-assertion jti ..... ASSERTION#<client_id>#<jti> / JTI     (TTL; conditional put = single use)
  citizen of a person (login) ... PERSON#<person_key>  / CITIZEN          (written at every login)
  dossier of a person ........... PERSON#<person_key>  / D#<dossier_id>
  its timeline events ........... PERSON#<person_key>  / D#<dossier_id>#E#<event_id>  (one Query: dossier + events)
  a person's dossiers, newest ... gsi1: PERSON#<person_key>#DOSSIERS / <dossier_id>  (ids are time-ordered)
  a person's access log ......... PERSON#<person_key>  / LOG#<iso time>#<id>    (Query by prefix, newest first)
  dossier by receipt code ....... RECEIPT#<receipt_code> / RECEIPT      (owner agency, hashed pin, lock)
  an agency's dossiers .......... AGENCYDOSSIERS#<agency_id> / <dossier_id>  (status, overdue_receipt)
  idempotent POST answers ....... IDEMPOTENCY#<scope>#<key> / IDEMPOTENCY  (TTL 24 h)
  receipt deadline timers ....... RECEIPTDUE#<yyyy-mm-ddThh> / <dossier_id>  (hour buckets, Query per bucket)
  failed lookups of unknown codes LOOKUPMISS#<receipt_code> / LOOKUPMISS   (TTL; same pin lock as a receipt)
  agencies handling a procedure . PROCEDUREAGENCY#<procedure_code> / <agency_id>  (written at registration)
  person_key is HMAC-SHA256(person key secret, personal ID): plaintext personal IDs are never keys.
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


def agency_key(client_id: str) -> dict[str, str]:
    return {"pk": f"AGENCY#{client_id}", "sk": "AGENCY"}


def assertion_jti_key(client_id: str, jti: str) -> dict[str, str]:
    return {"pk": f"ASSERTION#{client_id}#{jti}", "sk": "JTI"}


def person_pk(person_key: str) -> str:
    return f"PERSON#{person_key}"


def dossier_key(person_key: str, dossier_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"D#{dossier_id}"}


def dossier_event_key(person_key: str, dossier_id: str, event_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"D#{dossier_id}#E#{event_id}"}


def person_link_key(person_key: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": "CITIZEN"}


def person_dossiers_index(person_key: str, dossier_id: str) -> dict[str, str]:
    return {"gsi1pk": f"PERSON#{person_key}#DOSSIERS", "gsi1sk": dossier_id}


ACCESS_LOG_PREFIX = "LOG#"


def access_log_key(person_key: str, at_iso: str, entry_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"{ACCESS_LOG_PREFIX}{at_iso}#{entry_id}"}


def receipt_key(receipt_code: str) -> dict[str, str]:
    return {"pk": f"RECEIPT#{receipt_code}", "sk": "RECEIPT"}


def agency_dossier_key(agency_id: str, dossier_id: str) -> dict[str, str]:
    return {"pk": f"AGENCYDOSSIERS#{agency_id}", "sk": dossier_id}


def idempotency_key(scope: str, key: str) -> dict[str, str]:
    return {"pk": f"IDEMPOTENCY#{scope}#{key}", "sk": "IDEMPOTENCY"}


def receipt_due_key(hour_bucket: str, dossier_id: str) -> dict[str, str]:
    return {"pk": f"RECEIPTDUE#{hour_bucket}", "sk": dossier_id}


def receipt_due_pk(hour_bucket: str) -> str:
    return f"RECEIPTDUE#{hour_bucket}"


def lookup_miss_key(receipt_code: str) -> dict[str, str]:
    return {"pk": f"LOOKUPMISS#{receipt_code}", "sk": "LOOKUPMISS"}


def procedure_agency_key(procedure_code: str, agency_id: str) -> dict[str, str]:
    return {"pk": f"PROCEDUREAGENCY#{procedure_code}", "sk": agency_id}


DEVICE_PREFIX = "DEVICE#"
NOTIFICATION_PREFIX = "NOTIF#"


def device_key(citizen_id: str, device_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"{DEVICE_PREFIX}{device_id}"}


def push_token_key(device_id: str) -> dict[str, str]:
    return {"pk": f"PUSHTOKEN#{device_id}", "sk": "PUSHTOKEN"}


def notification_key(citizen_id: str, notification_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"{NOTIFICATION_PREFIX}{notification_id}"}


def inbox_state_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "INBOX"}


def preferences_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "NOTIFPREFS"}


def notified_event_key(event_id: str) -> dict[str, str]:
    return {"pk": f"NOTIFIED#{event_id}", "sk": "NOTIFIED"}


def push_marker_key(event_id: str, device_id: str) -> dict[str, str]:
    return {"pk": f"PUSHED#{event_id}#{device_id}", "sk": "PUSHED"}


def parked_push_key(release_minute: str, job_id: str) -> dict[str, str]:
    return {"pk": f"PARKED#{release_minute}", "sk": job_id}


def parked_release_key() -> dict[str, str]:
    return {"pk": "PARKED", "sk": "RELEASED"}


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
               condition: Optional[str] = None, names: Optional[dict[str, str]] = None) -> None:
        operation = update_operation(key, expression, values, condition)["Update"]
        if names:
            operation["ExpressionAttributeNames"] = names
        self._call("update_item", TableName=self.name, **operation)

    def get_many(self, keys: list[dict[str, str]], consistent: bool = False) -> dict[tuple[str, str], dict[str, Any]]:
        """Several items in one BatchGetItem, by (pk, sk); what DynamoDB leaves unprocessed is asked again."""
        pending, found = [to_item(key) for key in keys], {}
        for _ in range(3):
            answer = self._call("batch_get_item", RequestItems={
                self.name: {"Keys": pending, "ConsistentRead": consistent}})
            for item in map(from_item, answer.get("Responses", {}).get(self.name, [])):
                found[(item["pk"], item["sk"])] = item
            pending = answer.get("UnprocessedKeys", {}).get(self.name, {}).get("Keys", [])
            if not pending:
                return found
        raise ServiceUnavailableError("storage_busy", retry_after=1)

    def query_prefix(self, pk: str, sk_prefix: str, limit: int = 100) -> list[dict[str, Any]]:
        answer = self._call(
            "query", TableName=self.name, Limit=limit,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": pk, ":prefix": sk_prefix}),
        )
        return [from_item(item) for item in answer.get("Items", [])]

    def query_page(self, pk: str, sk_prefix: str = "", *, index: str = "", newest_first: bool = False,
                   limit: int = 100, start_key: Optional[dict[str, Any]] = None,
                   consistent: bool = False) -> tuple[list[dict[str, Any]], Optional[dict[str, Any]]]:
        """One page of a single-partition Query (on the table or a GSI) and the key to continue from."""
        pk_name, sk_name = ("gsi1pk", "gsi1sk") if index else ("pk", "sk")
        condition, values = f"{pk_name} = :pk", {":pk": pk}
        if sk_prefix:
            condition, values[":prefix"] = condition + f" AND begins_with({sk_name}, :prefix)", sk_prefix
        kwargs: dict[str, Any] = {"TableName": self.name, "Limit": limit, "KeyConditionExpression": condition,
                                  "ExpressionAttributeValues": to_item(values), "ScanIndexForward": not newest_first}
        if index:
            kwargs["IndexName"] = index
        elif consistent:
            kwargs["ConsistentRead"] = True
        if start_key:
            kwargs["ExclusiveStartKey"] = to_item(start_key)
        answer = self._call("query", **kwargs)
        last = answer.get("LastEvaluatedKey")
        return [from_item(item) for item in answer.get("Items", [])], (from_item(last) if last else None)

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


def put_operation(values: dict[str, Any], condition: Optional[str] = None) -> dict[str, Any]:
    put: dict[str, Any] = {"Item": to_item(values)}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def delete_operation(key: dict[str, str], condition: Optional[str] = None) -> dict[str, Any]:
    delete: dict[str, Any] = {"Key": to_item(key)}
    if condition:
        delete["ConditionExpression"] = condition
    return {"Delete": delete}


def update_operation(key: dict[str, str], expression: str, values: dict[str, Any],
                     condition: Optional[str] = None) -> dict[str, Any]:
    update: dict[str, Any] = {
        "Key": to_item(key), "UpdateExpression": expression, "ExpressionAttributeValues": to_item(values),
    }
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}
