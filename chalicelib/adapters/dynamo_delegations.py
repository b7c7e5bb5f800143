"""DynamoDB repository of delegations: one item per business and delegate (BUSINESS#<tax code> /
DELEGATE#<person key>, so the access check is one GetItem), a delegate's grants through gsi1 sorted by expiry,
and a copy of each grant in the hour bucket of its expiry, for the notice that it ended. TTL removes a grant
after it expires; reads check the expiry themselves (TTL lags)."""

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import claim_operation
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.delegations import Delegation, KeyAlreadyClaimed
from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.instants import hour_bucket

_END_KEPT = 7 * 24 * 3600  # longer than the expiry sweep looks back (services/delegations.py)
_FIELDS = (
    "delegation_id",
    "tax_code",
    "business_name",
    "delegate_key",
    "delegate_masked",
    "granted_by_key",
    "created_at",
    "expires_at",
)


class DynamoDelegations:
    def __init__(self, table: DynamoTable):
        self._table = table

    def grant(self, delegation: Delegation, claim: IdempotencyClaim, replaces: Delegation | None = None) -> None:
        """The grant (replacing the delegate's earlier one, whose end then goes untold), its end's marker and the
        Idempotency-Key, in one transaction."""
        operations = [
            dynamo_table.put_operation(_item(delegation)),
            dynamo_table.put_operation(_end_item(delegation)),
            claim_operation(claim, delegation.created_at),
        ]
        if replaces is not None and _end_key(replaces) != _end_key(delegation):
            operations.append(dynamo_table.delete_operation(_end_key(replaces)))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise KeyAlreadyClaimed() from lost

    def claim_of(self, scope: str, key: str) -> IdempotencyClaim | None:
        item = self._table.get(dynamo.idempotency_key(scope, key), consistent=True)
        if item is None:
            return None
        return IdempotencyClaim(scope, key, item["fingerprint"], json.loads(item["answer"]))

    def of_business(self, tax_code: str) -> list[Delegation]:
        """Every grant still stored (expired ones included until TTL removes them); a business has a few."""
        items = self._table.query_all(dynamo.business_pk(tax_code), dynamo.DELEGATE_PREFIX, consistent=True)
        return [_delegation(item) for item in items]

    def of_delegate(self, tax_code: str, delegate_key: str) -> Delegation | None:
        """Consistent: a grant revoked a moment ago is gone for the next read."""
        item = self._table.get(dynamo.delegation_key(tax_code, delegate_key), consistent=True)
        return _delegation(item) if item else None

    def live_for_delegate(self, delegate_key: str, now: float) -> list[Delegation]:
        """One Query, latest expiry first: the live grants come before any expired one, so reading stops there."""
        pk = dynamo.delegate_grants_index(delegate_key, 0, "")["gsi1pk"]
        items, _ = self._table.query_page(pk, index="gsi1", newest_first=True, limit=100)
        live = []
        for grant in map(_delegation, items):
            if not grant.is_live(now):
                break
            live.append(grant)
        return live

    def revoke(self, delegation: Delegation) -> bool:
        """Deletes this grant only: a replacement granted meanwhile (another id) stays."""
        operation = dynamo_table.delete_operation(
            dynamo.delegation_key(delegation.tax_code, delegation.delegate_key), "delegation_id = :id"
        )
        operation["Delete"]["ExpressionAttributeValues"] = dynamo_table.to_item({":id": delegation.delegation_id})
        try:
            self._table.transact([operation, dynamo_table.delete_operation(_end_key(delegation))])
        except ConditionFailed:
            return False
        return True

    def ending_in(self, hour_bucket: str) -> list[Delegation]:
        """The grants whose expiry falls in this hour and that were neither revoked nor replaced."""
        items = self._table.query_all(dynamo_buckets.delegation_end_pk(hour_bucket))
        return [_delegation({**item, "expires_at": item["ends_at"]}) for item in items]

    def forget_ending(self, delegation: Delegation) -> None:
        self._table.delete(_end_key(delegation))

    def citizen_of(self, person_key: str) -> str | None:
        """The citizen account of a person, once they logged in (written at every login)."""
        item = self._table.get(dynamo.person_link_key(person_key))
        return item["citizen_id"] if item else None


def _item(delegation: Delegation) -> dict[str, Any]:
    return {
        **dynamo.delegation_key(delegation.tax_code, delegation.delegate_key),
        **dynamo.delegate_grants_index(delegation.delegate_key, delegation.expires_at, delegation.tax_code),
        **{name: getattr(delegation, name) for name in _FIELDS},
    }


def _delegation(item: dict[str, Any]) -> Delegation:
    values = {name: item[name] for name in _FIELDS}
    return Delegation(**{**values, "created_at": int(values["created_at"]), "expires_at": int(values["expires_at"])})


def _end_key(delegation: Delegation) -> dict[str, str]:
    bucket = hour_bucket(datetime.fromtimestamp(delegation.expires_at, UTC))
    return dynamo_buckets.delegation_end_key(bucket, delegation.tax_code, delegation.delegate_key)


def _end_item(delegation: Delegation) -> dict[str, Any]:
    """A copy of the grant (the grant itself may be gone by TTL when its end is told), kept past the sweep's
    look-back so a schedule that was down still finds it; `expires_at` is the table's TTL attribute."""
    fields = {name: getattr(delegation, name) for name in _FIELDS if name != "expires_at"}
    return {
        **_end_key(delegation),
        **fields,
        "ends_at": delegation.expires_at,
        "expires_at": delegation.expires_at + _END_KEPT,
    }
