"""A citizen's dossiers (list, detail with timeline and deadline clock, online filing, rating) and who
accessed their data."""
import time
from dataclasses import asdict

from chalicelib import wiring
from chalicelib.api import dossier_input
from chalicelib.api.pages import next_cursor, read_cursor
from chalicelib.api.http import ApiBlueprint, current_principal, json_body, json_response
from chalicelib.domain.dossiers import DossierEvent
from chalicelib.services import dossiers, online_dossiers
from chalicelib.services.dossiers import DossierView

dossiers_api = ApiBlueprint(__name__)
PAGE = 20


@dossiers_api.route("/v1/me/dossiers", methods=["GET"])
def list_my_dossiers():
    principal = current_principal(dossiers_api.current_request)
    params = dossiers_api.current_request.query_params or {}
    scope = "me-dossiers:" + principal.citizen_id
    views, last = dossiers.list_my_dossiers(
        principal, dossier_input.status_filter(params.get("status")), read_cursor(params, scope),
        PAGE, wiring.citizens(), wiring.dossier_ports())
    return json_response({"dossiers": [_summary(v) for v in views], "next_cursor": next_cursor(last, scope)})


@dossiers_api.route("/v1/me/dossiers", methods=["POST"])
def submit_dossier():
    """Filing online is a legal act: eID level 2 only."""
    request = dossiers_api.current_request
    principal = current_principal(request, min_level=2)
    body = json_body(request)
    data, key = dossier_input.online_submission(body), dossier_input.idempotent(request, body)
    status, answer = online_dossiers.submit_dossier(principal, data, key, wiring.citizens(), wiring.dossier_ports(),
                                                    time.time())
    return json_response(answer, status=status)


@dossiers_api.route("/v1/me/dossiers/{dossier_id}/rating", methods=["POST"])
def rate_dossier(dossier_id):
    principal = current_principal(dossiers_api.current_request)
    score, comment = dossier_input.rating(json_body(dossiers_api.current_request))
    rated = online_dossiers.rate_dossier(principal, dossier_id, score, comment, wiring.citizens(),
                                         wiring.dossier_ports())
    return json_response({"dossier_id": rated.dossier_id, "score": rated.rating, "comment": rated.rating_comment},
                         status=201)


@dossiers_api.route("/v1/me/dossiers/{dossier_id}", methods=["GET"])
def get_my_dossier(dossier_id):
    principal = current_principal(dossiers_api.current_request)
    view = dossiers.get_my_dossier(principal, dossier_id, wiring.citizens(), wiring.dossier_ports())
    return json_response({**_summary(view), "rating_comment": view.dossier.rating_comment,
                          "timeline": [_step(e) for e in view.timeline]})


@dossiers_api.route("/v1/me/access-log", methods=["GET"])
def list_my_access_log():
    principal = current_principal(dossiers_api.current_request)
    params = dossiers_api.current_request.query_params or {}
    scope = "me-access-log:" + principal.citizen_id
    entries, last = dossiers.list_my_access_log(principal, read_cursor(params, scope), PAGE,
                                                wiring.citizens(), wiring.dossier_ports())
    return json_response({"entries": [asdict(e) for e in entries], "next_cursor": next_cursor(last, scope)})


def _summary(view: DossierView) -> dict:
    d = view.dossier
    return {"dossier_id": d.dossier_id, "receipt_code": d.receipt_code, "status": d.status, "channel": d.channel,
            "procedure": {"code": d.procedure_code, "name_vi": d.procedure_name_vi, "name_en": d.procedure_name_en},
            "agency": {"agency_id": d.agency_id, "name_vi": d.agency_name_vi, "name_en": d.agency_name_en},
            "submitted_at": d.submitted_at, "appointment_date": d.appointment_date or None,
            "due_date": d.due_date, "statutory_working_days": d.statutory_days,
            "time_remaining_seconds": view.time_remaining_seconds, "overdue": view.overdue,
            "overdue_receipt": d.overdue_receipt, "rating": d.rating}


def _step(event: DossierEvent) -> dict:
    return {"event_id": event.event_id, "occurred_at": event.occurred_at, "status": event.status,
            "step_name": event.step_name, "agency_unit": event.agency_unit, "officer_role": event.officer_role,
            "note": event.note, "requested_documents": list(event.requested_documents)}
