"""OpenID4VCI 1.0 for standard wallet apps: the citizen's offer of a document (eID level 2), and the public
issuer side: metadata, token (pre-authorized code), nonce and credential endpoints. The wallet-facing
endpoints answer errors in the OAuth / OpenID4VCI shape, not problem+json."""

import base64
import json
import time

from chalicelib import wiring
from chalicelib.api import wallet_input
from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.agency import FORM, form_fields
from chalicelib.api.http import ApiBlueprint, OwnErrorShapeResponse, json_response
from chalicelib.domain.agencies import OAuthError
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.openid4vci import CREDENTIAL_PATH, NONCE_PATH, TOKEN_PATH, IssuanceRefused
from chalicelib.domain.sessions import Principal
from chalicelib.errors import UnsupportedMediaTypeError
from chalicelib.services import openid4vci

openid4vci_api = ApiBlueprint(__name__)
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PUBLIC_METADATA = {"Cache-Control": "public, max-age=300"}


@openid4vci_api.route("/.well-known/openid-credential-issuer", methods=["GET"], caller=PUBLIC)
def credential_issuer_metadata():
    return json_response(openid4vci.metadata(wiring.wallet_ports()), headers=_PUBLIC_METADATA)


@openid4vci_api.route("/.well-known/oauth-authorization-server", methods=["GET"], caller=PUBLIC)
def authorization_server_metadata():
    return json_response(openid4vci.authorization_server(wiring.wallet_ports()), headers=_PUBLIC_METADATA)


@openid4vci_api.route("/v1/me/documents/{document_id}/offer", methods=["POST"], caller=citizen(level=2))
def offer_document(principal: Principal, document_id):
    document_id = wallet_input.path_id(document_id, "document_not_found")
    offer = openid4vci.make_offer(principal, document_id, wiring.citizens(), wiring.wallet_ports(), int(time.time()))
    body = {
        "credential_offer_uri": offer.uri,
        "credential_offer": offer.offer,
        "expires_at": utc_instant(offer.expires_at),
        "qr": {
            "png": "data:image/png;base64," + base64.b64encode(offer.qr_png).decode("ascii"),
            "svg": "data:image/svg+xml;base64," + base64.b64encode(offer.qr_svg).decode("ascii"),
        },
    }
    return json_response(body, status=201, headers=_NO_STORE)


@openid4vci_api.route(TOKEN_PATH, methods=["POST"], content_types=[FORM], caller=PUBLIC)
def token():
    try:
        form = form_fields(openid4vci_api.current_request.raw_body)
        access_token, expires_in = openid4vci.exchange_code(form, wiring.wallet_ports(), int(time.time()))
    except OAuthError as error:
        return _refused(IssuanceRefused(error.error, error.description))
    except IssuanceRefused as refused:
        return _refused(refused)
    return json_response(
        {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}, headers=_NO_STORE
    )


@openid4vci_api.route(NONCE_PATH, methods=["POST"], caller=PUBLIC)
def nonce():
    return json_response({"c_nonce": openid4vci.new_nonce(wiring.wallet_ports(), int(time.time()))}, headers=_NO_STORE)


@openid4vci_api.route(CREDENTIAL_PATH, methods=["POST"], caller=PUBLIC)
def credential():
    request = openid4vci_api.current_request
    scheme, _, access_token = (request.headers.get("authorization") or "").partition(" ")
    try:
        body = _json_object(request)
        issued = openid4vci.issue_credential(
            access_token.strip() if scheme.lower() == "bearer" else "", body, wiring.wallet_ports(), int(time.time())
        )
    except IssuanceRefused as refused:
        return _refused(refused)
    return json_response({"credentials": [{"credential": issued}]}, headers=_NO_STORE)


def _json_object(request) -> dict:
    """Another media type is 415 problem+json, as on every route; a body that is not a JSON object is the
    OpenID4VCI refusal."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaTypeError()
    try:
        body = json.loads(request.raw_body or b"")
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise IssuanceRefused("invalid_credential_request", "the body must be a JSON object (application/json)")
    return body


def _refused(refused: IssuanceRefused) -> OwnErrorShapeResponse:
    headers = {"Content-Type": "application/json", **_NO_STORE}
    if refused.status == 401:
        headers["WWW-Authenticate"] = f'Bearer error="{refused.error}"'
    return OwnErrorShapeResponse(
        body=json.dumps({"error": refused.error, "error_description": refused.description}),
        status_code=refused.status,
        headers=headers,
    )
