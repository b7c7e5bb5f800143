"""The public dossier status lookup by receipt code and pin: no login; lookups limited per client IP, wrong
pins per receipt and client IP."""

import re
import time

from chalicelib import wiring
from chalicelib.api.access import PUBLIC
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.limits import RECEIPT_LOOKUPS, client_ip
from chalicelib.domain.instants import utc_instant
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import receipt_lookup

lookup_api = ApiBlueprint(__name__)
_RECEIPT = re.compile(r"^[A-Z0-9-]{4,40}$")
_PIN = re.compile(r"^[0-9]{6}$")


@lookup_api.route("/v1/dossiers/lookup", methods=["GET"], caller=PUBLIC, limit=RECEIPT_LOOKUPS)
def look_up_dossier():
    params = lookup_api.current_request.query_params or {}
    receipt_code, pin = (params.get("receipt_code") or "").strip().upper(), params.get("pin") or ""
    problems = [
        FieldProblem(name, "required" if not value else "invalid_format")
        for name, value, pattern in (("receipt_code", receipt_code, _RECEIPT), ("pin", pin, _PIN))
        if not pattern.match(value)
    ]
    if problems:
        raise ValidationError(errors=tuple(problems))
    found = receipt_lookup.look_up(
        receipt_code,
        pin,
        client_ip(lookup_api.current_request),
        wiring.pin_policy(),
        wiring.dossier_ports(),
        int(time.time()),
    )
    return json_response(
        {
            "receipt_code": found.receipt_code,
            "status": found.status,
            "updated_at": utc_instant(found.updated_at),
            "procedure": {
                "code": found.procedure_code,
                "name_vi": found.procedure_name_vi,
                "name_en": found.procedure_name_en,
            },
        }
    )
