"""DynamoDB repository of push devices: one item per device in the citizen's partition, and one item per
FCM token (keyed by its hash) naming the owner, so a dead or moved token is found without a Scan."""

import secrets
from dataclasses import asdict
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.notifications import Device
from chalicelib.errors import ConflictError

_MAX_DEVICES = 200  # a citizen with more devices than this has a bug, not a phone collection


class DynamoDeviceRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def register(self, device: Device) -> Device:
        """Upsert by token. A token seen under another citizen or session moves here, atomically."""
        owner = self._table.get(dynamo.push_token_key(device.device_id), consistent=True)
        same_owner = bool(owner) and owner["citizen_id"] == device.citizen_id
        current = self._table.get(dynamo.device_key(device.citizen_id, device.device_id)) if same_owner else None
        if current:
            device = Device(**{**asdict(device), "created_at": int(current["created_at"])})
        operations = [
            _conditional(dynamo_table.put_operation(_token_item(device)), owner),
            dynamo_table.put_operation(_device_item(device)),
        ]
        if owner and not same_owner:
            operations.append(dynamo_table.delete_operation(dynamo.device_key(owner["citizen_id"], device.device_id)))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:  # a parallel registration of the same token won
            raise ConflictError("device_conflict") from lost
        return device

    def list(self, citizen_id: str) -> list[Device]:
        items, _ = self._table.query_page(f"CITIZEN#{citizen_id}", dynamo.DEVICE_PREFIX, limit=_MAX_DEVICES)
        return [_device(item) for item in items]

    def delete(self, citizen_id: str, device_id: str) -> bool:
        old = self._table.delete(dynamo.device_key(citizen_id, device_id))
        if old:
            self._forget_token(device_id, citizen_id)
        return old is not None

    def delete_dead(self, device_id: str) -> None:
        """FCM says the token is dead: drop it wherever it now lives."""
        owner = self._table.get(dynamo.push_token_key(device_id), consistent=True)
        if owner:
            self.delete(owner["citizen_id"], device_id)

    def delete_session_devices(self, citizen_id: str, session_id: str) -> int:
        """Devices go away with their session (logout, ended session, refresh-token reuse)."""
        doomed = [d for d in self.list(citizen_id) if d.session_id == session_id]
        for device in doomed:
            self.delete(citizen_id, device.device_id)
        return len(doomed)

    def _forget_token(self, device_id: str, citizen_id: str) -> None:
        operation = dynamo_table.delete_operation(dynamo.push_token_key(device_id), "citizen_id = :c")
        operation["Delete"]["ExpressionAttributeValues"] = dynamo_table.to_item({":c": citizen_id})
        try:  # only if it still names this citizen: the token may have moved meanwhile
            self._table.transact([operation])
        except ConditionFailed:
            return


def _conditional(operation: dict[str, Any], owner: dict[str, Any] | None) -> dict[str, Any]:
    """The token item must still be what we read: no other registration slipped in between."""
    put = operation["Put"]
    if not owner:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "version = :seen"
        put["ExpressionAttributeValues"] = dynamo_table.to_item({":seen": owner.get("version", "")})
    return operation


def _token_item(device: Device) -> dict[str, Any]:
    return {
        **dynamo.push_token_key(device.device_id),
        "device_id": device.device_id,
        "citizen_id": device.citizen_id,
        "session_id": device.session_id,
        "version": secrets.token_hex(8),
    }


def _device_item(device: Device) -> dict[str, Any]:
    return {**dynamo.device_key(device.citizen_id, device.device_id), **asdict(device)}


def _device(item: dict[str, Any]) -> Device:
    return Device(
        device_id=item["device_id"],
        citizen_id=item["citizen_id"],
        session_id=item["session_id"],
        token=item["token"],
        platform=item["platform"],
        locale=item["locale"],
        app_version=item.get("app_version", ""),
        created_at=int(item["created_at"]),
        updated_at=int(item["updated_at"]),
    )
