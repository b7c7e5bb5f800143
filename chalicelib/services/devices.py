"""A citizen's push devices: register (one per app installation, its FCM token replaced on refresh), list,
remove. A device belongs to one session."""

import re

from chalicelib.domain.notifications import LOCALES, PLATFORMS, Device, device_id_for, installation_key_for
from chalicelib.domain.sessions import Principal
from chalicelib.errors import FieldProblem, NotFoundError, ValidationError
from chalicelib.services.notification_ports import Devices

MAX_TOKEN_LENGTH = 4096
_TOKEN = re.compile(r"[\x21-\x7e]+")  # FCM registration tokens are printable ASCII, no spaces
# A Firebase Installation ID (22 characters) or an app-generated UUID kept in the app's storage.
INSTALLATION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def register_device(
    principal: Principal, fields: dict[str, str], devices: Devices, now: int, max_devices: int
) -> Device:
    """At most `max_devices` per citizen. A token another citizen registered moves here only from the same
    app installation (the phone changed hands without a logout); otherwise it is refused, so whoever learns
    a token cannot take a stranger's pushes away."""
    _validate(fields)
    token = fields["token"]
    device = Device(
        device_id=device_id_for(principal.citizen_id, fields["installation_id"]),
        citizen_id=principal.citizen_id,
        session_id=principal.session_id,
        token=token,
        platform=fields["platform"],
        locale=fields["locale"],
        app_version=fields.get("app_version", ""),
        created_at=now,
        updated_at=now,
        installation=installation_key_for(fields["installation_id"]),
    )
    return devices.register(device, max_devices)


def _validate(fields: dict[str, str]) -> None:
    problems = []
    if fields["platform"] not in PLATFORMS:
        problems.append(FieldProblem("platform", "not_allowed"))
    if fields["locale"] not in LOCALES:
        problems.append(FieldProblem("locale", "not_allowed"))
    if not _TOKEN.fullmatch(fields["token"]):
        problems.append(FieldProblem("token", "invalid_format"))
    if not INSTALLATION_ID.fullmatch(fields["installation_id"]):
        problems.append(FieldProblem("installation_id", "invalid_format"))
    if problems:
        raise ValidationError(errors=tuple(problems))


def list_devices(principal: Principal, devices: Devices) -> list[Device]:
    return sorted(devices.list(principal.citizen_id), key=lambda d: d.updated_at, reverse=True)


def remove_device(principal: Principal, device_id: str, devices: Devices) -> None:
    """Looked up under the caller's own partition: another citizen's device is simply not found."""
    if not devices.delete(principal.citizen_id, device_id):
        raise NotFoundError("device_not_found")
