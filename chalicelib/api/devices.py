"""The citizen's push devices (FCM registration tokens): register, list, remove. Tokens are never returned."""

import time

from chalicelib import wiring
from chalicelib.api.access import citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response, string_fields
from chalicelib.api.limits import DEVICE_REGISTRATIONS
from chalicelib.api.pages import in_memory_page, list_body
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.notifications import Device
from chalicelib.domain.sessions import Principal
from chalicelib.services import devices

devices_api = ApiBlueprint(__name__)


@devices_api.route("/v1/me/devices", methods=["POST"], caller=citizen(), limit=DEVICE_REGISTRATIONS)
def register_device(principal: Principal):
    fields = string_fields(
        json_body(devices_api.current_request),
        required=("token", "installation_id", "platform", "locale"),
        optional=("app_version",),
        max_length=devices.MAX_TOKEN_LENGTH,
    )
    cap = wiring.settings().limits.devices_per_citizen
    device = devices.register_device(principal, fields, wiring.devices(), int(time.time()), cap)
    return json_response(_shape(device, principal.session_id))


@devices_api.route("/v1/me/devices", methods=["GET"], caller=citizen())
def list_devices(principal: Principal):
    kind = "me-devices:" + principal.citizen_id
    found = devices.list_devices(principal, wiring.devices())
    page = in_memory_page(found, devices_api.current_request.query_params or {}, kind)
    return json_response(list_body(page, kind, lambda d: _shape(d, principal.session_id)))


@devices_api.route("/v1/me/devices/{device_id}", methods=["DELETE"], caller=citizen())
def remove_device(principal: Principal, device_id):
    devices.remove_device(principal, device_id, wiring.devices())
    return json_response(None, status=204)


def _shape(device: Device, current_session_id: str) -> dict:
    return {
        "device_id": device.device_id,
        "platform": device.platform,
        "locale": device.locale,
        "app_version": device.app_version,
        "created_at": utc_instant(device.created_at),
        "updated_at": utc_instant(device.updated_at),
        "current_session": device.session_id == current_session_id,
    }
