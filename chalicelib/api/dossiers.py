"""A citizen's dossiers (list, detail with timeline and deadline clock, online filing, rating) and who
accessed their data."""

import time

from chalicelib import wiring
from chalicelib.api import access_log_input, dossier_input
from chalicelib.api.access import citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.api.limits import ONLINE_FILINGS
from chalicelib.api.pages import list_body, page_limit, read_after
from chalicelib.domain.dossiers import DossierEvent, FiledDossier
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.services import dossiers, online_dossiers
from chalicelib.services.dossiers import DossierView

dossiers_api = ApiBlueprint(__name__)


@dossiers_api.route("/v1/me/dossiers", methods=["GET"], caller=citizen())
def list_my_dossiers(principal: Principal):
    params = dossiers_api.current_request.query_params or {}
    kind = "me-dossiers:" + principal.citizen_id
    page = dossiers.list_my_dossiers(
        principal,
        dossier_input.status_filter(params.get("status")),
        read_after(params, kind),
        page_limit(params),
        wiring.citizens(),
        wiring.dossier_ports(),
    )
    return json_response(list_body(page, kind, _summary))


@dossiers_api.route("/v1/me/dossiers", methods=["POST"], caller=citizen(level=2), limit=ONLINE_FILINGS)
def submit_dossier(principal: Principal):
    """Filing online is a legal act: eID level 2 only."""
    request = dossiers_api.current_request
    body = json_body(request)
    data, key = dossier_input.online_submission(body), dossier_input.idempotent(request, body)
    cap = wiring.settings().limits.pending_filings_per_citizen
    filed = online_dossiers.submit_dossier(
        principal, data, key, wiring.citizens(), wiring.dossier_ports(), time.time(), cap
    )
    return json_response(filed_answer(filed), status=201)


def filed_answer(filed: FiledDossier) -> dict:
    answer = {
        "dossier_id": filed.dossier_id,
        "receipt_code": filed.receipt_code,
        "status": filed.status,
        "due_date": filed.due_date,
        "pin": filed.pin,
    }
    if filed.receipt_due_at:
        answer["receipt_due_at"] = utc_instant(filed.receipt_due_at)
    return answer


@dossiers_api.route("/v1/me/dossiers/{dossier_id}/rating", methods=["POST"], caller=citizen())
def rate_dossier(principal: Principal, dossier_id):
    score, comment = dossier_input.rating(json_body(dossiers_api.current_request))
    rated = online_dossiers.rate_dossier(
        principal, dossier_id, score, comment, wiring.citizens(), wiring.dossier_ports()
    )
    return json_response(
        {"dossier_id": rated.dossier_id, "score": rated.rating, "comment": rated.rating_comment}, status=201
    )


@dossiers_api.route("/v1/me/dossiers/{dossier_id}", methods=["GET"], caller=citizen())
def get_my_dossier(principal: Principal, dossier_id):
    view = dossiers.get_my_dossier(principal, dossier_id, wiring.citizens(), wiring.dossier_ports())
    return json_response(
        {
            **_summary(view),
            "rating_comment": view.dossier.rating_comment,
            "result_document_id": view.dossier.result_document_id or None,
            "timeline": [_step(e) for e in view.timeline],
        }
    )


@dossiers_api.route("/v1/me/access-log", methods=["GET"], caller=citizen())
def list_my_access_log(principal: Principal):
    params = dossiers_api.current_request.query_params or {}
    query = access_log_input.access_query(params)
    kind = access_log_input.cursor_kind(principal.citizen_id, query)
    page = dossiers.list_my_access_log(
        principal, read_after(params, kind), page_limit(params), query, wiring.citizens(), wiring.dossier_ports()
    )
    return json_response(list_body(page, kind, access_log_input.access_entry_body))


def _summary(view: DossierView) -> dict:
    d = view.dossier
    return {
        "dossier_id": d.dossier_id,
        "receipt_code": d.receipt_code,
        "status": d.status,
        "channel": d.channel,
        "procedure": {"code": d.procedure_code, "name_vi": d.procedure_name_vi, "name_en": d.procedure_name_en},
        "agency": {"agency_id": d.agency_id, "name_vi": d.agency_name_vi, "name_en": d.agency_name_en},
        "submitted_at": utc_instant(d.submitted_at),
        "appointment_date": d.appointment_date or None,
        "due_date": d.due_date,
        "statutory_working_days": d.statutory_days,
        "time_remaining_seconds": view.time_remaining_seconds,
        "overdue": view.overdue,
        "overdue_receipt": d.overdue_receipt,
        "rating": d.rating,
    }


def _step(event: DossierEvent) -> dict:
    return {
        "event_id": event.event_id,
        "occurred_at": utc_instant(event.occurred_at),
        "status": event.status,
        "step_name": event.step_name,
        "agency_unit": event.agency_unit,
        "officer_role": event.officer_role,
        "note": event.note,
        "requested_documents": list(event.requested_documents),
    }
