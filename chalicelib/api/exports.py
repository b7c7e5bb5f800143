"""Taking one's data home: start an export (eID level 2, Idempotency-Key), follow it, download its ZIP."""

from typing import Any

from chalicelib.api import dossier_input, wallet_input
from chalicelib.api.access import citizen
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.limits import EXPORT_REQUESTS
from chalicelib.api.pages import list_body, only_known, page_limit, read_after
from chalicelib.domain.export_jobs import ExportState
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.services import exports
from chalicelib.wiring.exports import export_ports

exports_api = ApiBlueprint(__name__)


@exports_api.route("/v1/me/exports", methods=["POST"], caller=citizen(2), limit=EXPORT_REQUESTS)
def start_export(principal: Principal):
    """No body: what is exported is everything. The key alone makes a retry answer the same export."""
    request = exports_api.current_request
    view = exports.start_export(export_ports(), principal, dossier_input.idempotent(request, {}))
    return json_response(export_body(view), status=202)


@exports_api.route("/v1/me/exports", methods=["GET"], caller=citizen())
def list_exports(principal: Principal):
    params = exports_api.current_request.query_params or {}
    only_known(params, ("cursor", "limit"))
    kind = "me-exports:" + principal.citizen_id
    page = exports.my_exports(export_ports(), principal, read_after(params, kind), page_limit(params))
    return json_response(list_body(page, kind, export_body))


@exports_api.route("/v1/me/exports/{export_id}", methods=["GET"], caller=citizen())
def get_export(principal: Principal, export_id):
    export_id = wallet_input.path_id(export_id, "export_not_found")
    return json_response(export_body(exports.my_export(export_ports(), principal, export_id)))


def export_body(view: exports.ExportView) -> dict[str, Any]:
    job, ready = view.job, view.state == ExportState.READY
    return {
        "export_id": job.export_id,
        "state": view.state.value,
        "requested_at": utc_instant(job.requested_at),
        "ready_at": utc_instant(job.ready_at) if job.ready_at else None,
        "expires_at": utc_instant(job.zip_expires_at) if job.ready_at else None,
        "size": job.size if ready else None,
        "download": {"url": view.download.url, "expires_at": view.download.expires_at} if view.download else None,
    }
