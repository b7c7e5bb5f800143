"""The agency side, machine to machine: OAuth token endpoint and agency dossier routes."""
import json
import time
import urllib.parse

from chalicelib import logs, wiring
from chalicelib.api import dossier_input
from chalicelib.api.pages import next_cursor, read_cursor
from chalicelib.api.http import ApiBlueprint, OwnErrorShapeResponse, json_body, json_response
from chalicelib.domain.agencies import OAuthError
from chalicelib.services import access_log, agencies, agency_dossiers, dossier_events

agency_api = ApiBlueprint(__name__)
FORM = "application/x-www-form-urlencoded"


def _now() -> int:
    return int(time.time())


@agency_api.route("/v1/agency/oauth/token", methods=["POST"], content_types=[FORM])
def issue_token():
    request = agency_api.current_request
    try:
        token = agencies.issue_token(_form(request.raw_body), bool(request.headers.get("authorization")),
                                     wiring.agencies(), wiring.client_assertions(), wiring.token_signer(),
                                     wiring.agency_token_settings(), _now())
    except OAuthError as error:
        logs.log("agency_token_refused", level="WARNING", error=error.error)
        return _oauth_error(error)
    return json_response({"access_token": token.access_token, "token_type": "Bearer",
                          "expires_in": token.expires_in, "scope": token.scope}, headers={"Pragma": "no-cache"})


def _form(raw: bytes) -> dict[str, str]:
    """Repeated parameters are refused (RFC 6749 3.2), so a second assertion cannot ride along."""
    try:
        pairs = urllib.parse.parse_qs((raw or b"").decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise OAuthError(400, "invalid_request", "the body must be UTF-8 form data") from None
    if any(len(values) > 1 for values in pairs.values()):
        raise OAuthError(400, "invalid_request", "a parameter was sent more than once")
    return {name: values[0] for name, values in pairs.items()}


def _oauth_error(error: OAuthError) -> OwnErrorShapeResponse:
    return OwnErrorShapeResponse(body=json.dumps({"error": error.error, "error_description": error.description}),
                    status_code=error.status, headers={"Content-Type": "application/json", "Cache-Control": "no-store"})


def _agency(scope: str):
    request = agency_api.current_request
    return agencies.authenticate_agency(request.headers.get("authorization"), wiring.agency_token_verifier(), scope)


def _purpose() -> str:
    return access_log.required_purpose(agency_api.current_request.headers.get("x-purpose"))


@agency_api.route("/v1/agency/dossiers", methods=["POST"])
def record_counter_dossier():
    principal, purpose = _agency("dossiers:write"), _purpose()
    request = agency_api.current_request
    body = json_body(request)
    data, key = dossier_input.counter_dossier(body, time.time()), dossier_input.idempotent(request, body)
    status, answer = agency_dossiers.record_counter_dossier(principal, data, key, purpose, wiring.dossier_ports(),
                                                            time.time())
    return json_response(answer, status=status)


@agency_api.route("/v1/agency/dossiers", methods=["GET"])
def list_agency_dossiers():
    principal, purpose = _agency("dossiers:read"), _purpose()
    params = agency_api.current_request.query_params or {}
    scope = "agency-dossiers:" + principal.agency_id
    items, last = agency_dossiers.list_agency_dossiers(
        principal, dossier_input.status_filter(params.get("status")), read_cursor(params, scope),
        purpose, wiring.dossier_ports(), time.time())
    return json_response({"dossiers": [_agency_row(i) for i in items], "next_cursor": next_cursor(last, scope)})


def _agency_row(item: dict) -> dict:
    return {"dossier_id": item["dossier_id"], "receipt_code": item["receipt_code"],
            "procedure_code": item["procedure_code"], "channel": item["channel"], "status": item["status"],
            "submitted_at": item["submitted_at"], "due_date": item["due_date"],
            "applicant_name": item.get("applicant_name", ""), "form": json.loads(item.get("form") or "{}"),
            "overdue_receipt": bool(item.get("overdue_receipt", False))}


@agency_api.route("/v1/agency/dossiers/{receipt_code}/events", methods=["POST"])
def post_dossier_event(receipt_code):
    principal, purpose = _agency("dossiers:write"), _purpose()
    event = dossier_input.dossier_event(json_body(agency_api.current_request), time.time())
    result = dossier_events.post_event(principal, receipt_code, event, purpose, wiring.dossier_ports(), time.time())
    return json_response({"receipt_code": receipt_code, "event_id": result.event.event_id,
                          "dossier_status": result.dossier.status, "duplicate": result.duplicate},
                         status=200 if result.duplicate else 201)
