"""DynamoDB repository of push devices: one item per device (app installation) in the citizen's partition, and
one item per FCM token (keyed by its hash) naming the device that holds it, so a token lives in one device
only and a dead token is found without a Scan."""

import secrets
from dataclasses import asdict
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.notifications import Device, token_key_for
from chalicelib.errors import ConflictError

_MAX_LISTED = 200  # far above the per-citizen cap: a listing never hides a device


class DynamoDeviceRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def register(self, device: Device, max_devices: int) -> Device:
        """Upsert by app installation. The token moves here from another citizen only from the same
        installation; a new installation beyond `max_devices` is refused."""
        owner = self._table.get(dynamo.push_token_key(token_key_for(device.token)), consistent=True)
        if owner and owner["citizen_id"] != device.citizen_id and owner.get("installation") != device.installation:
            raise ConflictError("device_token_in_use")
        current = self._table.get(dynamo.device_key(device.citizen_id, device.device_id), consistent=True)
        if current:
            device = Device(**{**asdict(device), "created_at": int(current["created_at"])})
        else:
            self._check_room(device, owner, max_devices)
        self._save(device, owner)
        if current and current["token"] != device.token:  # the app's token was refreshed: forget the old one
            self._forget_token(token_key_for(current["token"]), device.citizen_id, device.device_id)
        return device

    def _check_room(self, device: Device, owner: dict[str, Any] | None, max_devices: int) -> None:
        """Checked before the write, not in it: two first registrations at once may pass the cap by one, which a
        sanity cap can afford (a counter item would have to follow every TTL and session-end deletion)."""
        devices = self.list(device.citizen_id)
        leaving = 1 if owner and owner["citizen_id"] == device.citizen_id else 0  # its old device goes away
        if len(devices) - leaving >= max_devices:
            raise ConflictError("device_limit_reached", params={"limit": max_devices})

    def _save(self, device: Device, owner: dict[str, Any] | None) -> None:
        operations = [
            _conditional(dynamo_table.put_operation(_token_item(device)), owner),
            dynamo_table.put_operation(_device_item(device)),
        ]
        if owner and (owner["citizen_id"], owner["device_id"]) != (device.citizen_id, device.device_id):
            operations.append(dynamo_table.delete_operation(dynamo.device_key(owner["citizen_id"], owner["device_id"])))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:  # a parallel registration of the same token won
            raise ConflictError("device_conflict") from lost

    def list(self, citizen_id: str) -> list[Device]:
        items, _ = self._table.query_page(f"CITIZEN#{citizen_id}", dynamo.DEVICE_PREFIX, limit=_MAX_LISTED)
        return [_device(item) for item in items]

    def delete(self, citizen_id: str, device_id: str) -> bool:
        old = self._table.delete(dynamo.device_key(citizen_id, device_id))
        if old:
            self._forget_token(token_key_for(old["token"]), citizen_id, device_id)
        return old is not None

    def delete_dead(self, token: str) -> None:
        """FCM says the token is dead: drop the device that still holds it (not one that has a fresh token)."""
        owner = self._table.get(dynamo.push_token_key(token_key_for(token)), consistent=True)
        if not owner:
            return
        key = dynamo.device_key(owner["citizen_id"], owner["device_id"])
        if self._delete_if(key, "#t = :t", {":t": token}, {"#t": "token"}):
            self._forget_token(token_key_for(token), owner["citizen_id"], owner["device_id"])

    def delete_session_devices(self, citizen_id: str, session_id: str) -> int:
        """Devices go away with their session (logout, ended session, refresh-token reuse)."""
        doomed = [d for d in self.list(citizen_id) if d.session_id == session_id]
        for device in doomed:
            self.delete(citizen_id, device.device_id)
        return len(doomed)

    def _forget_token(self, token_key: str, citizen_id: str, device_id: str) -> None:
        """Only if it still names this device: the token may have moved meanwhile."""
        condition = "citizen_id = :c AND device_id = :d"
        self._delete_if(dynamo.push_token_key(token_key), condition, {":c": citizen_id, ":d": device_id})

    def _delete_if(
        self, key: dict[str, str], condition: str, values: dict[str, Any], names: dict[str, str] | None = None
    ) -> bool:
        operation = dynamo_table.delete_operation(key, condition)
        operation["Delete"]["ExpressionAttributeValues"] = dynamo_table.to_item(values)
        if names:
            operation["Delete"]["ExpressionAttributeNames"] = names
        try:
            self._table.transact([operation])
            return True
        except ConditionFailed:
            return False


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
        **dynamo.push_token_key(token_key_for(device.token)),
        "device_id": device.device_id,
        "citizen_id": device.citizen_id,
        "session_id": device.session_id,
        "installation": device.installation,
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
        installation=item.get("installation", ""),
    )
