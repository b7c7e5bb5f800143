"""The citizen's push devices (FCM registration tokens): register, list, remove. Tokens are never returned."""
import time

from chalicelib import wiring
from chalicelib.api.http import ApiBlueprint, current_principal, json_body, json_response, string_fields
from chalicelib.domain.notifications import Device
from chalicelib.services import devices

devices_api = ApiBlueprint(__name__)


@devices_api.route("/v1/me/devices", methods=["POST"])
def register_device():
    request = devices_api.current_request
    principal = current_principal(request)
    fields = string_fields(json_body(request), required=("token", "platform", "locale"),
                           optional=("app_version",), max_length=devices.MAX_TOKEN_LENGTH)
    device = devices.register_device(principal, fields, wiring.devices(), int(time.time()))
    return json_response(_shape(device, principal.session_id))


@devices_api.route("/v1/me/devices", methods=["GET"])
def list_devices():
    principal = current_principal(devices_api.current_request)
    found = devices.list_devices(principal, wiring.devices())
    return json_response({"devices": [_shape(d, principal.session_id) for d in found]})


@devices_api.route("/v1/me/devices/{device_id}", methods=["DELETE"])
def remove_device(device_id):
    principal = current_principal(devices_api.current_request)
    devices.remove_device(principal, device_id, wiring.devices())
    return json_response(None, status=204)


def _shape(device: Device, current_session_id: str) -> dict:
    return {"device_id": device.device_id, "platform": device.platform, "locale": device.locale,
            "app_version": device.app_version, "created_at": device.created_at, "updated_at": device.updated_at,
            "current_session": device.session_id == current_session_id}
