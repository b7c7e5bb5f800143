"""The agency side, machine to machine: OAuth token endpoint and agency dossier routes."""

import json
import time
import urllib.parse

from chalicelib import logs, wiring
from chalicelib.api import dossier_input
from chalicelib.api.access import PUBLIC, agency
from chalicelib.api.dossiers import filed_answer
from chalicelib.api.http import ApiBlueprint, OwnErrorShapeResponse, json_body, json_response
from chalicelib.api.pages import list_body, page_limit, read_after
from chalicelib.domain.agencies import AgencyPrincipal, OAuthError
from chalicelib.domain.dossiers import AgencyDossierRow
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.uploaded_documents import UPLOAD_KIND
from chalicelib.domain.wallet import ISSUED_KIND
from chalicelib.services import access_log, agencies, agency_dossiers, dossier_events, wallet_issuance

agency_api = ApiBlueprint(__name__)
FORM = "application/x-www-form-urlencoded"


def _now() -> int:
    return int(time.time())


@agency_api.route("/v1/agency/oauth/token", methods=["POST"], content_types=[FORM], caller=PUBLIC)
def issue_token():
    request = agency_api.current_request
    try:
        token = agencies.issue_token(
            form_fields(request.raw_body),
            bool(request.headers.get("authorization")),
            wiring.agency_token_ports(),
            _now(),
        )
    except OAuthError as error:
        logs.log("agency_token_refused", level="WARNING", error=error.error)
        return _oauth_error(error)
    return json_response(
        {
            "access_token": token.access_token,
            "token_type": "Bearer",
            "expires_in": token.expires_in,
            "scope": token.scope,
        },
        headers={"Pragma": "no-cache"},
    )


def form_fields(raw: bytes) -> dict[str, str]:
    """Repeated parameters are refused (RFC 6749 3.2), so a second assertion cannot ride along."""
    try:
        pairs = urllib.parse.parse_qs((raw or b"").decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise OAuthError("invalid_request", "the body must be UTF-8 form data") from None
    if any(len(values) > 1 for values in pairs.values()):
        raise OAuthError("invalid_request", "a parameter was sent more than once")
    return {name: values[0] for name, values in pairs.items()}


def _oauth_error(error: OAuthError) -> OwnErrorShapeResponse:
    """RFC 6749 5.2: a failed client authentication is 401, every other refusal 400."""
    status = 401 if error.error == "invalid_client" else 400
    return OwnErrorShapeResponse(
        body=json.dumps({"error": error.error, "error_description": error.description}),
        status_code=status,
        headers={"Content-Type": "application/json", "Cache-Control": "no-store"},
    )


def _purpose() -> str:
    return access_log.required_purpose(agency_api.current_request.headers.get("x-purpose"))


@agency_api.route("/v1/agency/dossiers", methods=["POST"], caller=agency("dossiers:write"))
def record_counter_dossier(principal: AgencyPrincipal):
    purpose, request = _purpose(), agency_api.current_request
    body = json_body(request)
    data, key = dossier_input.counter_dossier(body, time.time()), dossier_input.idempotent(request, body)
    filed = agency_dossiers.record_counter_dossier(principal, data, key, purpose, wiring.dossier_ports(), time.time())
    return json_response(filed_answer(filed), status=201)


@agency_api.route("/v1/agency/dossiers", methods=["GET"], caller=agency("dossiers:read"))
def list_agency_dossiers(principal: AgencyPrincipal):
    purpose, params = _purpose(), agency_api.current_request.query_params or {}
    kind = "agency-dossiers:" + principal.agency_id
    page = agency_dossiers.list_agency_dossiers(
        principal,
        dossier_input.status_filter(params.get("status")),
        read_after(params, kind),
        page_limit(params),
        purpose,
        wiring.dossier_ports(),
        time.time(),
    )
    return json_response(list_body(page, kind, _agency_row))


def _agency_row(row: AgencyDossierRow) -> dict:
    return {
        "dossier_id": row.dossier_id,
        "receipt_code": row.receipt_code,
        "procedure_code": row.procedure_code,
        "channel": row.channel,
        "status": row.status,
        "submitted_at": utc_instant(row.submitted_at),
        "due_date": row.due_date,
        "applicant_name": row.applicant_name,
        "form": row.form,
        "overdue_receipt": row.overdue_receipt,
        "documents": [_attached(document) for document in row.documents],
    }


def _attached(document: dict) -> dict:
    """A document filed with the dossier: an issued one with its claims as issued, or the citizen's upload; both
    with short-lived links to their files. Filings kept before uploads could be attached name no kind: issued."""
    if document.get("kind") == UPLOAD_KIND:
        return _attached_upload(document)
    expires_at = document.get("expires_at")
    return {
        "document_id": document["document_id"],
        "kind": ISSUED_KIND,
        **{name: document[name] for name in ("type", "issuer_agency_id", "claims")},
        "issuer_name_vi": document["issuer_name_vi"],
        "issuer_name_en": document["issuer_name_en"],
        "issued_at": utc_instant(document["issued_at"]),
        "expires_at": utc_instant(expires_at) if expires_at is not None else None,
        "files": document["files"],
    }


def _attached_upload(document: dict) -> dict:
    return {
        "document_id": document["document_id"],
        "kind": UPLOAD_KIND,
        "type": UPLOAD_KIND,
        "content_type": document["content_type"],
        "page_count": document.get("page_count"),
        "width": document.get("width") or None,
        "height": document.get("height") or None,
        "uploaded_at": utc_instant(document["uploaded_at"]),
        "files": document["files"],
    }


@agency_api.route("/v1/agency/dossiers/{receipt_code}/events", methods=["POST"], caller=agency("dossiers:write"))
def post_dossier_event(principal: AgencyPrincipal, receipt_code):
    purpose, now = _purpose(), time.time()
    event, document = dossier_input.dossier_event(json_body(agency_api.current_request), now)
    deliver = None
    if document is not None:  # a completed event delivering the dossier's result into the wallet
        deliver = wallet_issuance.result_deliverer(principal, document, purpose, wiring.wallet_ports(), _now())
    result = dossier_events.post_event(principal, receipt_code, event, purpose, wiring.dossier_ports(), now, deliver)
    return json_response(
        {
            "receipt_code": receipt_code,
            "event_id": result.event.event_id,
            "dossier_status": result.dossier.status,
            "duplicate": result.duplicate,
            "result_document_id": result.event.result_document_id or None,
        },
        status=200 if result.duplicate else 201,
    )
