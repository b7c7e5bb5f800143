"""The citizen's wallet (eID level 2): documents, shares of chosen claims with a QR code; and a share's public
view, with the verification's checked facts."""

import base64
import time

from chalicelib import wiring
from chalicelib.api import wallet_input
from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.api.limits import SHARE_VIEWS
from chalicelib.api.pages import in_memory_page, list_body, only_known, page_limit, read_after
from chalicelib.api.upload_views import upload_file, upload_summary
from chalicelib.domain.credentials import credential_types
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.wallet import STATUS_NAMES, HolderKey, Share, WalletDocument
from chalicelib.services import uploads, wallet
from chalicelib.services.wallet import ShareCreated, SharedDocument

wallet_api = ApiBlueprint(__name__)
_LEVEL = 2  # official documents: only a session whose eID was verified in person


@wallet_api.route("/v1/me/documents", methods=["GET"], caller=citizen(level=_LEVEL))
def list_my_documents(principal: Principal):
    params = wallet_api.current_request.query_params or {}
    only_known(params, ("type", "cursor", "limit"))
    kind = f"me-documents:{principal.citizen_id}:{params.get('type', '')}"
    page = wallet.list_my_documents(
        principal,
        wallet_input.type_filter(params.get("type")),
        read_after(params, kind),
        page_limit(params),
        wiring.citizens(),
        wiring.wallet_ports(),
        time.time(),
    )
    now = time.time()
    return json_response(list_body(page, kind, lambda d: _entry(d, now)))


@wallet_api.route("/v1/me/documents/{document_id}", methods=["GET"], caller=citizen(level=_LEVEL))
def get_my_document(principal: Principal, document_id):
    ports = wiring.wallet_ports()
    document = wallet.get_my_document(
        principal, wallet_input.path_id(document_id, "document_not_found"), wiring.citizens(), ports, time.time()
    )
    if isinstance(document, UploadedDocument):
        links = uploads.download_links(document, wiring.upload_ports())
        return json_response({**upload_summary(document), "files": [upload_file(n, link) for n, link in links]})
    return json_response(
        {
            **_summary(document, time.time()),
            "vct": document.vct,
            "claims": document.claims,
            "status_list": {
                "uri": ports.settings.status_list_uri(document.status_list_id),
                "idx": document.status_index,
            },
            "holder_bound": document.holder_bound,
            "credential": document.sd_jwt,
            "files": [upload_file(n, link) for n, link in uploads.download_links(document, wiring.upload_ports())],
        }
    )


@wallet_api.route("/v1/me/documents/{document_id}/shares", methods=["POST"], caller=citizen(level=_LEVEL))
def create_share(principal: Principal, document_id):
    request = wallet_input.share_request(json_body(wallet_api.current_request))
    created = wallet.create_share(
        principal,
        wallet_input.path_id(document_id, "document_not_found"),
        request,
        wiring.citizens(),
        wiring.wallet_ports(),
        int(time.time()),
    )
    return json_response(_created(created), status=201)


@wallet_api.route("/v1/me/wallet/keys", methods=["POST"], caller=citizen(level=_LEVEL))
def register_holder_key(principal: Principal):
    jwk = wallet_input.holder_jwk(json_body(wallet_api.current_request))
    key = wallet.register_holder_key(principal, jwk, wiring.citizens(), wiring.wallet_ports(), int(time.time()))
    return json_response(_holder_key(key), status=201)


@wallet_api.route("/v1/me/wallet/keys", methods=["GET"], caller=citizen(level=_LEVEL))
def list_holder_keys(principal: Principal):
    params = wallet_api.current_request.query_params or {}
    only_known(params, ("cursor", "limit"))
    kind = "me-wallet-keys:" + principal.citizen_id
    keys = wallet.list_holder_keys(principal, wiring.citizens(), wiring.wallet_ports())
    return json_response(list_body(in_memory_page(keys, params, kind), kind, _holder_key))


@wallet_api.route("/v1/me/wallet/keys/{key_id}", methods=["DELETE"], caller=citizen(level=_LEVEL))
def delete_holder_key(principal: Principal, key_id):
    key_id = wallet_input.path_id(key_id, "holder_key_not_found")
    wallet.delete_holder_key(principal, key_id, wiring.citizens(), wiring.wallet_ports())
    return json_response(None, status=204)


def _holder_key(key: HolderKey) -> dict:
    return {"key_id": key.key_id, "jwk": key.jwk, "registered_at": utc_instant(key.registered_at)}


@wallet_api.route("/v1/me/shares", methods=["GET"], caller=citizen(level=_LEVEL))
def list_my_shares(principal: Principal):
    params = wallet_api.current_request.query_params or {}
    only_known(params, ("cursor", "limit"))
    kind = "me-shares:" + principal.citizen_id
    ports = wiring.wallet_ports()
    page = wallet.list_my_shares(
        principal, read_after(params, kind), page_limit(params), wiring.citizens(), ports, int(time.time())
    )
    return json_response(list_body(page, kind, lambda s: _share(s, ports.settings.share_url(s.share_id))))


@wallet_api.route("/v1/me/shares/{share_id}", methods=["DELETE"], caller=citizen(level=_LEVEL))
def withdraw_share(principal: Principal, share_id):
    share_id = wallet_input.path_id(share_id, "share_not_found")
    wallet.withdraw_share(principal, share_id, wiring.citizens(), wiring.wallet_ports())
    return json_response(None, status=204)


@wallet_api.route("/v1/shares/{share_id}", methods=["GET"], caller=PUBLIC, limit=SHARE_VIEWS)
def view_share(share_id):
    shared = wallet.view_share(
        wallet_input.path_id(share_id, "share_not_found"), wiring.wallet_ports(), int(time.time())
    )
    return json_response(_shared(shared))


def _entry(document: WalletDocument | UploadedDocument, now: float) -> dict:
    return upload_summary(document) if isinstance(document, UploadedDocument) else _summary(document, now)


def _summary(document: WalletDocument, now: float) -> dict:
    credential_type = credential_types()[document.credential_type]
    return {
        "document_id": document.document_id,
        "kind": "issued",
        "type": document.credential_type,
        "type_name_vi": credential_type.name_vi,
        "type_name_en": credential_type.name_en,
        "issuer": _issuer(document),
        "status": document.status_name,
        "issued_at": utc_instant(document.issued_at),
        "expires_at": utc_instant(document.expires_at) if document.expires_at is not None else None,
        "expired": document.is_expired(now),
    }


def _issuer(document: WalletDocument) -> dict:
    return {
        "iss": document.issuer,
        "agency_id": document.issuer_agency_id,
        "name_vi": document.issuer_name_vi,
        "name_en": document.issuer_name_en,
    }


def _share(share: Share, url: str) -> dict:
    return {
        "share_id": share.share_id,
        "url": url,
        "document_id": share.document_id,
        "type": share.credential_type,
        "disclose": list(share.disclose),
        "audience": share.audience or None,
        "created_at": utc_instant(share.created_at),
        "expires_at": utc_instant(share.expires_at),
    }


def _created(created: ShareCreated) -> dict:
    return {
        **_share(created.share, created.url),
        "presentation": created.share.presentation,
        "qr": {
            "payload": "presentation",
            "png": "data:image/png;base64," + base64.b64encode(created.qr_png).decode("ascii"),
            "svg": "data:image/svg+xml;base64," + base64.b64encode(created.qr_svg).decode("ascii"),
        },
    }


def _shared(shared: SharedDocument) -> dict:
    document, verified = shared.document, shared.verified
    credential_type = credential_types()[document.credential_type]
    return {
        "share_id": shared.share.share_id,
        "type": document.credential_type,
        "type_name_vi": credential_type.name_vi,
        "type_name_en": credential_type.name_en,
        "vct": document.vct,
        "issuer": _issuer(document),
        "claims": {name: verified.claims[name] for name in shared.share.disclose if name in verified.claims},
        "valid": verified.valid,
        "checks": dict(verified.checks),
        "status": STATUS_NAMES[verified.status] if verified.status is not None else "unknown",
        "issued_at": utc_instant(document.issued_at),
        "expires_at": utc_instant(document.expires_at) if document.expires_at is not None else None,
        "share_expires_at": utc_instant(shared.share.expires_at),
        "audience": shared.share.audience or None,
        "nonce": shared.share.nonce or None,
    }
