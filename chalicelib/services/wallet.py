"""The citizen's wallet (documents, shares of chosen claims) and what anyone may read without logging in: a
share's checked facts, the status lists and the issuer's metadata.

Documents and shares are read from the person's own partition or checked against it, so another citizen's
id is simply not found.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.credentials import OK, VerifiedPresentation, credential_type_by_vct, credential_types
from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.pages import Page
from chalicelib.domain.sessions import Principal
from chalicelib.domain.type_metadata import type_metadata
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.wallet import HolderKey, Share, ShareRequest, WalletDocument, new_share_id
from chalicelib.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.me import get_profile
from chalicelib.services.wallet_ports import WalletPorts

STATUS_LIST_LIFETIME = 86400  # an offline verifier may rely on a fetched list for a day; online ones re-fetch after ttl
KB_FRESHNESS = 300  # how old a Key Binding JWT may be when its share is made
SHARE_VIEWER = ("Người xem giấy tờ được chia sẻ", "Viewer of a shared document")


@dataclass(frozen=True)
class ShareCreated:
    share: Share
    url: str
    qr_png: bytes
    qr_svg: bytes


@dataclass(frozen=True)
class SharedDocument:
    """A share as its viewer sees it: the document's type and issuer, and what the verification established."""

    share: Share
    document: WalletDocument
    verified: VerifiedPresentation


def person_key_of(principal: Principal, citizens: Citizens, ports: WalletPorts) -> str:
    return ports.person_keys.key_of(get_profile(principal, citizens).personal_id)


def list_my_documents(
    principal: Principal,
    credential_type: str,
    after: str | None,
    limit: int,
    citizens: Citizens,
    ports: WalletPorts,
    now: float,
) -> Page[WalletDocument | UploadedDocument]:
    """Issued documents and the citizen's uploads, newest first; an upload whose file never came is not shown."""
    page = ports.documents.list_for_person(person_key_of(principal, citizens, ports), credential_type, after, limit)
    return Page([d for d in page.items if _visible(d, now)], page.after)


def get_my_document(
    principal: Principal, document_id: str, citizens: Citizens, ports: WalletPorts, now: float
) -> WalletDocument | UploadedDocument:
    document = ports.documents.load(person_key_of(principal, citizens, ports), document_id)
    if document is None or not _visible(document, now):
        raise NotFoundError("document_not_found")
    return document


def register_holder_key(principal: Principal, jwk: Any, citizens: Citizens, ports: WalletPorts, now: int) -> HolderKey:
    """The person's one device key: a new phone's key replaces the old one for credentials issued from now on."""
    key = ports.credentials.holder_key(jwk, now)
    ports.holder_keys.put(person_key_of(principal, citizens, ports), key)
    return key


def list_holder_keys(principal: Principal, citizens: Citizens, ports: WalletPorts) -> list[HolderKey]:
    key = ports.holder_keys.get(person_key_of(principal, citizens, ports))
    return [key] if key else []


def delete_holder_key(principal: Principal, key_id: str, citizens: Citizens, ports: WalletPorts) -> None:
    """Documents already bound to the key stay as issued; later ones are issued unbound until a new key."""
    if not ports.holder_keys.delete(person_key_of(principal, citizens, ports), key_id):
        raise NotFoundError("holder_key_not_found")


def _visible(document: WalletDocument | UploadedDocument, now: float) -> bool:
    return not isinstance(document, UploadedDocument) or document.is_visible(now)


def create_share(
    principal: Principal, document_id: str, request: ShareRequest, citizens: Citizens, ports: WalletPorts, now: int
) -> ShareCreated:
    document = get_my_document(principal, document_id, citizens, ports, now)
    if isinstance(document, UploadedDocument):  # a scan carries no credential to present
        raise ConflictError("document_not_shareable")
    if document.status_name == "revoked":
        raise ConflictError("document_revoked")
    _check_disclosed(document, request.disclose)
    if (
        ports.shares.count_live(document.person_key, now, ports.settings.max_live_shares)
        >= ports.settings.max_live_shares
    ):
        raise ConflictError("share_limit_reached", params={"limit": ports.settings.max_live_shares})
    presentation = _bound(document, ports.credentials.present(document.sd_jwt, request.disclose), request, ports, now)
    share = Share(
        share_id=new_share_id(),
        person_key=document.person_key,
        document_id=document.document_id,
        credential_type=document.credential_type,
        disclose=request.disclose,
        audience=request.audience,
        presentation=presentation,
        created_at=now,
        expires_at=now + request.ttl_seconds,
        nonce=request.nonce if document.holder_bound else "",
    )
    png, svg = ports.qr_codes.png(presentation), ports.qr_codes.svg(presentation)
    ports.shares.create(share)
    return ShareCreated(share, ports.settings.share_url(share.share_id), png, svg)


def _bound(document: WalletDocument, presentation: str, request: ShareRequest, ports: WalletPorts, now: int) -> str:
    """A holder-bound credential is shared only with the device's Key Binding JWT over this very presentation,
    for the share's audience and nonce (RFC 9901 4.3): what a stolen credential without the phone cannot make."""
    if not document.holder_bound:
        if request.key_binding_jwt:
            raise ValidationError(
                "credential_not_holder_bound", errors=(FieldProblem("key_binding_jwt", "not_allowed"),)
            )
        return presentation
    missing = [name for name in ("key_binding_jwt", "audience", "nonce") if not getattr(request, name)]
    if missing:
        raise ValidationError("key_binding_required", errors=tuple(FieldProblem(name, "required") for name in missing))
    bound = presentation + request.key_binding_jwt
    outcome = ports.credentials.verify(bound, None, now, audience=request.audience, nonce=request.nonce)
    reason = outcome.checks["key_binding"]
    if reason != OK:
        raise ValidationError(
            "key_binding_invalid", params={"reason": reason}, errors=(FieldProblem("key_binding_jwt", reason),)
        )
    return bound


def _check_disclosed(document: WalletDocument, disclose: tuple[str, ...]) -> None:
    missing = [i for i, name in enumerate(disclose) if name not in document.claims]
    if missing:
        problems = tuple(FieldProblem(f"disclose[{i}]", "not_allowed") for i in missing)
        raise ValidationError("claim_not_in_credential", errors=problems)


def list_my_shares(
    principal: Principal, after: str | None, limit: int, citizens: Citizens, ports: WalletPorts, now: int
) -> Page[Share]:
    """Live shares only: an expired one lingers until TTL removes it, but is no longer anything."""
    page = ports.shares.list_for_person(person_key_of(principal, citizens, ports), after, limit)
    return Page([share for share in page.items if share.is_live(now)], page.after)


def withdraw_share(principal: Principal, share_id: str, citizens: Citizens, ports: WalletPorts) -> None:
    if not ports.shares.delete(person_key_of(principal, citizens, ports), share_id):
        raise NotFoundError("share_not_found")


def view_share(share_id: str, ports: WalletPorts, now: int) -> SharedDocument:
    """Verified afresh on every view, with our published keys and the current status list; logged for the owner."""
    share = ports.shares.get(share_id)
    document = ports.documents.load(share.person_key, share.document_id) if share and share.is_live(now) else None
    if share is None or document is None:
        raise NotFoundError("share_not_found")
    verified = _verified_share(share, ports, now)
    entry = AccessEntry(
        agency_id="",
        agency_name_vi=SHARE_VIEWER[0],
        agency_name_en=SHARE_VIEWER[1],
        client_id=f"share:{share.share_id}",
        action="document.share_view",
        target=f"document:{document.document_id}",
        purpose=share.audience,
        at=utc_instant(now),
        category="share",
        channel="share_link",
        related=(f"share:{share.share_id}",),
    )
    ports.access_log.record([share.person_key], entry)
    return SharedDocument(share, document, verified)


def _verified_share(share: Share, ports: WalletPorts, now: int) -> VerifiedPresentation:
    """A bound share's KB-JWT was fresh when the share was made: it stays good for the share's whole life."""
    if not share.nonce:
        return ports.credentials.verify(share.presentation, _status_lookup(ports), now)
    return ports.credentials.verify(
        share.presentation,
        _status_lookup(ports),
        now,
        audience=share.audience,
        nonce=share.nonce,
        kb_max_age=now - share.created_at + KB_FRESHNESS,
    )


def _status_lookup(ports: WalletPorts) -> Callable[[str, int], int | None]:
    def status_of(uri: str, index: int) -> int | None:
        list_id = ports.settings.list_id_of(uri)
        return ports.status_lists.status_of(list_id, index) if list_id is not None else None

    return status_of


def status_list_token(list_id: int, ports: WalletPorts, now: int) -> str:
    """The signed list, signed again only when its bits changed or the kept token is older than its ttl."""
    stored = ports.status_lists.read(list_id)
    if stored is None:
        raise NotFoundError("status_list_not_found")
    ttl = ports.settings.status_list_ttl
    if stored.token and now - stored.token_issued_at < ttl:
        return stored.token
    token = ports.credentials.sign_status_list(
        stored.status_list, ports.settings.status_list_uri(list_id), now, ttl, now + STATUS_LIST_LIFETIME
    )
    ports.status_lists.keep_token(stored, token, now)
    return token


def issuer_metadata(ports: WalletPorts) -> dict[str, Any]:
    """Keys inline: one fetch gives a verifier all it needs; and where each vct's type metadata is (our vct
    values are URNs, which nobody can fetch)."""
    types = {t.vct: ports.settings.type_metadata_uri(t.code) for t in credential_types().values()}
    return {**ports.credentials.metadata(), "type_metadata": types}


def document_type_metadata(code_or_vct: str) -> dict[str, Any]:
    """A type's metadata, by its code (BIRTH_CERTIFICATE_EXTRACT) or its vct; an unknown one is 404."""
    credential_type = credential_types().get(code_or_vct) or credential_type_by_vct(code_or_vct)
    if credential_type is None:
        raise NotFoundError("document_type_not_found")
    return type_metadata(credential_type)


def issuer_jwks(ports: WalletPorts) -> dict[str, Any]:
    return ports.credentials.jwks()
