"""Closing one's account: ask for it, see when it happens, cancel it in the grace period."""

from chalice import Response

from chalicelib import wiring
from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.limits import SHARE_VIEWS
from chalicelib.domain.deletion import DeletionRequest
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.services import deletion
from chalicelib.wiring.deletion import deletion_ports, erasure_ports

deletion_api = ApiBlueprint(__name__)


@deletion_api.route("/v1/me/deletion", methods=["POST"], caller=citizen(2))
def request_deletion(principal: Principal):
    request, created = deletion.request_deletion(deletion_ports(), principal, int(wiring.clock()()))
    return json_response(deletion_body(request), status=201 if created else 200)


@deletion_api.route("/v1/me/deletion", methods=["GET"], caller=citizen())
def get_deletion(principal: Principal):
    return json_response(deletion_body(deletion.my_deletion(deletion_ports(), principal)))


@deletion_api.route("/v1/me/deletion", methods=["DELETE"], caller=citizen())
def cancel_deletion(principal: Principal):
    deletion.cancel_deletion(deletion_ports(), principal)
    return json_response(None, status=204)


@deletion_api.route("/v1/deletion-statements/{statement_id}", methods=["GET"], caller=PUBLIC, limit=SHARE_VIEWS)
def get_deletion_statement(statement_id):
    """The final statement of an erased account: the link is the credential (the account is gone)."""
    from chalicelib.services import erasure  # rarely asked for: kept off the API's cold import

    document = erasure.final_statement_of(erasure_ports(), statement_id, int(wiring.clock()()))
    headers = {"Content-Type": "application/json", "Cache-Control": "private, no-store"}
    return Response(body=document.decode(), status_code=200, headers=headers)


def deletion_body(request: DeletionRequest) -> dict[str, str]:
    return {
        "state": "erasing" if request.progress else "scheduled",
        "requested_at": utc_instant(request.requested_at),
        "reminder_at": utc_instant(request.remind_at),
        "erase_at": utc_instant(request.erase_at),
        "statement_url": f"{wiring.settings().credential_issuer}/v1/deletion-statements/{request.statement_id}",
    }
