"""Document issuers, machine to machine (push, revoke, suspend, reinstate), and what verifiers fetch without
logging in: the issuer's metadata and keys, and the signed status lists."""

import time
from urllib.parse import unquote

from chalice import Response

from chalicelib import wiring
from chalicelib.api import wallet_input
from chalicelib.api.access import PUBLIC, agency
from chalicelib.api.dossier_input import idempotent
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.api.problems import choose_language
from chalicelib.domain.agencies import ISSUE_SCOPE, AgencyPrincipal
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.wallet import WalletDocument
from chalicelib.services import access_log, wallet, wallet_issuance

issuer_api = ApiBlueprint(__name__)
STATUS_LIST_MEDIA_TYPE = "application/statuslist+jwt"
_PUBLIC_KEYS_CACHE = {"Cache-Control": "public, max-age=300"}


def _purpose() -> str:
    return access_log.required_purpose(issuer_api.current_request.headers.get("x-purpose"))


@issuer_api.route("/v1/issuer/documents", methods=["POST"], caller=agency(ISSUE_SCOPE))
def issue_document(principal: AgencyPrincipal):
    purpose, request, now = _purpose(), issuer_api.current_request, int(time.time())
    body = json_body(request)
    data, key = wallet_input.document_issue(body), idempotent(request, body)
    issued = wallet_issuance.issue_document(principal, data, key, purpose, wiring.wallet_ports(), now)
    answer = issued_answer(issued.document)
    if issued.pdf_upload is not None:
        upload = issued.pdf_upload
        answer["pdf"]["upload"] = {"url": upload.url, "fields": upload.fields, "expires_at": upload.expires_at}
    return json_response(answer, status=201)


@issuer_api.route("/v1/issuer/documents/{document_id}", methods=["GET"], caller=agency(ISSUE_SCOPE))
def get_issued_document(principal: AgencyPrincipal, document_id):
    document_id = wallet_input.path_id(document_id, "document_not_found")
    document = wallet_issuance.issuer_document(principal, document_id, wiring.wallet_ports())
    language = choose_language(issuer_api.current_request.headers.get("accept-language"))
    return json_response(issued_answer(document, language))


def _status_change(principal: AgencyPrincipal, document_id: str, action: str) -> Response:
    purpose = _purpose()
    document = wallet_issuance.change_document_status(
        principal,
        wallet_input.path_id(document_id, "document_not_found"),
        action,
        purpose,
        wiring.wallet_ports(),
        int(time.time()),
    )
    return json_response(issued_answer(document))


@issuer_api.route("/v1/issuer/documents/{document_id}/revoke", methods=["POST"], caller=agency(ISSUE_SCOPE))
def revoke_document(principal: AgencyPrincipal, document_id):
    return _status_change(principal, document_id, "revoke")


@issuer_api.route("/v1/issuer/documents/{document_id}/suspend", methods=["POST"], caller=agency(ISSUE_SCOPE))
def suspend_document(principal: AgencyPrincipal, document_id):
    return _status_change(principal, document_id, "suspend")


@issuer_api.route("/v1/issuer/documents/{document_id}/reinstate", methods=["POST"], caller=agency(ISSUE_SCOPE))
def reinstate_document(principal: AgencyPrincipal, document_id):
    return _status_change(principal, document_id, "reinstate")


def _pdf_state(document: WalletDocument, language: str) -> dict | None:
    """The signed PDF's state (none declared: null); a refusal's reason in the caller's language."""
    if document.pdf_status is None:
        return None
    reason = document.pdf_reason
    return {
        "status": document.pdf_status.value,
        "reason": {"code": reason, "text": document.pdf_reason_text(language)} if reason else None,
        "page_count": document.pdf_pages,
    }


def issued_answer(document: WalletDocument, language: str = "vi") -> dict:
    ports = wiring.wallet_ports()
    return {
        "document_id": document.document_id,
        "type": document.credential_type,
        "status": document.status_name,
        "issued_at": utc_instant(document.issued_at),
        "expires_at": utc_instant(document.expires_at) if document.expires_at is not None else None,
        "status_list": {"uri": ports.settings.status_list_uri(document.status_list_id), "idx": document.status_index},
        "holder_bound": document.holder_bound,
        "pdf": _pdf_state(document, language),
    }


@issuer_api.route("/.well-known/jwt-vc-issuer", methods=["GET"], caller=PUBLIC)
def issuer_metadata():
    return json_response(wallet.issuer_metadata(wiring.wallet_ports()), headers=_PUBLIC_KEYS_CACHE)


@issuer_api.route("/v1/wallet/types/{type_id}", methods=["GET"], caller=PUBLIC)
def document_type_metadata(type_id):
    metadata = wallet.document_type_metadata(unquote(type_id))
    return json_response(metadata, headers={"Cache-Control": "public, max-age=3600"})


@issuer_api.route("/v1/wallet/jwks.json", methods=["GET"], caller=PUBLIC)
def credential_jwks():
    return json_response(wallet.issuer_jwks(wiring.wallet_ports()), headers=_PUBLIC_KEYS_CACHE)


@issuer_api.route("/v1/status-lists/{list_id}", methods=["GET"], caller=PUBLIC)
def status_list(list_id):
    ports = wiring.wallet_ports()
    token = wallet.status_list_token(wallet_input.list_id(list_id), ports, int(time.time()))
    return Response(
        body=token,
        status_code=200,
        headers={
            "Content-Type": STATUS_LIST_MEDIA_TYPE,
            "Cache-Control": f"public, max-age={ports.settings.status_list_ttl}",
        },
    )
