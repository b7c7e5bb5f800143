"""Issuers push documents into a person's wallet (Idempotency-Key, the type within their scope, claims checked
against its schema) and revoke, suspend or reinstate their own; the citizen is told and the access log kept."""

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from chalicelib.domain.agencies import Agency, AgencyPrincipal
from chalicelib.domain.credentials import CredentialStatus, CredentialType, credential_types
from chalicelib.domain.dossiers import Dossier, DossierEvent, IdempotencyClaim, body_fingerprint
from chalicelib.domain.events import WalletDocumentChanged
from chalicelib.domain.uploaded_documents import new_upload_id
from chalicelib.domain.uploads import MAX_UPLOAD_BYTES, PDF, PresignedUpload, UploadStatus, raw_key
from chalicelib.domain.wallet import (
    CHANGE_OF_ACTION,
    ISSUED_PDF_OWNER,
    DocumentIssue,
    StaleDocument,
    WalletDocument,
    change_event_id,
    issue_scope_for,
    new_document_id,
    next_status,
)
from chalicelib.errors import ConflictError, FieldProblem, ForbiddenError, NotFoundError, ValidationError
from chalicelib.services import access_log
from chalicelib.services.filing import Idempotent
from chalicelib.services.wallet_ports import WalletPorts

_ATTEMPTS = 4


@dataclass(frozen=True)
class IssuedDocument:
    document: WalletDocument
    pdf_upload: PresignedUpload | None  # where the issuer posts the signed PDF it declared, while still pending


def issue_document(
    principal: AgencyPrincipal, data: DocumentIssue, request: Idempotent, purpose: str, ports: WalletPorts, now: int
) -> IssuedDocument:
    """A replay answers the same document and, while its PDF is pending, a fresh link to the same key."""
    person_key = ports.person_keys.key_of(data.personal_id)
    document = _issue(principal, "issuer:" + principal.agency_id, person_key, data, request, purpose, ports, now)
    return IssuedDocument(document, _pdf_upload(document, ports))


def _pdf_upload(document: WalletDocument, ports: WalletPorts) -> PresignedUpload | None:
    if document.pdf_status != UploadStatus.PENDING or ports.store is None:
        return None
    key = raw_key(ISSUED_PDF_OWNER, document.pdf_upload_id)
    return ports.store.presigned_upload(key, PDF, MAX_UPLOAD_BYTES, ports.settings.url_seconds)


def issuer_document(principal: AgencyPrincipal, document_id: str, ports: WalletPorts) -> WalletDocument:
    """The issuing agency's own document (its status, its PDF's); any other, or none, is the same 404."""
    return _issuer_document(ports, document_id, principal.agency_id)


def issue_dossier_result(
    principal: AgencyPrincipal,
    dossier: Dossier,
    event_id: str,
    data: DocumentIssue,
    purpose: str,
    ports: WalletPorts,
    now: int,
) -> WalletDocument:
    """The result of a completed dossier, issued as the issuer route does, to the dossier's person. Keyed by the
    dossier and its event, so a retry after a lost race answers the same document; in a scope of its own, so an
    issuer's Idempotency-Key never meets it."""
    request = Idempotent(f"{dossier.dossier_id}:{event_id}", _result_fingerprint(data))
    scope = "dossier-result:" + principal.agency_id
    return _issue(principal, scope, dossier.person_key, data, request, purpose, ports, now)


def result_deliverer(
    principal: AgencyPrincipal, data: DocumentIssue, purpose: str, ports: WalletPorts, now: int
) -> Callable[[Dossier, DossierEvent], str]:
    """What services.dossier_events calls once it knows the event completes the dossier."""

    def deliver(dossier: Dossier, event: DossierEvent) -> str:
        return issue_dossier_result(principal, dossier, event.event_id, data, purpose, ports, now).document_id

    return deliver


def _result_fingerprint(data: DocumentIssue) -> str:
    canonical = json.dumps([data.credential_type, data.claims, data.expires_at], sort_keys=True, ensure_ascii=False)
    return body_fingerprint(canonical)


def _issue(
    principal: AgencyPrincipal,
    scope: str,
    person_key: str,
    data: DocumentIssue,
    request: Idempotent,
    purpose: str,
    ports: WalletPorts,
    now: int,
) -> WalletDocument:
    replay = _replay(ports, scope, request)
    if replay is not None:
        return replay
    credential_type = _issuable_type(principal, data.credential_type)
    document = _issued(principal, credential_type, person_key, data, ports, now)
    entry = _entry(principal, document, "document.issue", purpose, now)
    claim = IdempotencyClaim(scope, request.key, request.fingerprint, {"document_id": document.document_id})
    try:
        ports.documents.create(document, claim, entry, now)
    except StaleDocument:
        replay = _replay(ports, scope, request)
        if replay is None:
            raise ConflictError("conflict") from None
        return replay
    publish_change(ports, document, "issued", f"{document.document_id}-issued")
    return document


def _issuable_type(principal: AgencyPrincipal, code: str) -> CredentialType:
    """An unknown type is a bad request; a known one outside the token's scope is forbidden."""
    credential_type = credential_types().get(code)
    if credential_type is None:
        raise ValidationError(errors=(FieldProblem("type", "not_allowed"),))
    if not principal.may(issue_scope_for(code)):
        raise ForbiddenError("document_type_not_in_scope", params={"type": code})
    return credential_type


def _issued(
    principal: AgencyPrincipal,
    credential_type: CredentialType,
    person_key: str,
    data: DocumentIssue,
    ports: WalletPorts,
    now: int,
) -> WalletDocument:
    """Signed with a status list position of its own, bound to the person's device key when there is one; the
    claims were checked by the edge."""
    agency = (
        PLATFORM_ISSUER if principal.client_id == PLATFORM_ISSUER.client_id else ports.agencies.get(principal.client_id)
    )
    holder = ports.holder_keys.get(person_key)
    slot = ports.status_lists.allocate()
    issued = ports.credentials.issue(
        credential_type,
        data.claims,
        issued_at=now,
        expires_at=data.expires_at,
        status_uri=ports.settings.status_list_uri(slot.list_id),
        status_index=slot.index,
        holder_jwk=holder.jwk if holder else None,
    )
    return WalletDocument(
        document_id=new_document_id(now),
        person_key=person_key,
        credential_type=credential_type.code,
        vct=credential_type.vct,
        issuer=issued.issuer,
        issuer_agency_id=principal.agency_id,
        issuer_name_vi=agency.name_vi if agency else principal.agency_id,
        issuer_name_en=agency.name_en if agency else principal.agency_id,
        claims=data.claims,
        status=CredentialStatus.VALID,
        issued_at=now,
        expires_at=data.expires_at,
        status_list_id=slot.list_id,
        status_index=slot.index,
        sd_jwt=issued.sd_jwt,
        holder_bound=issued.holder_bound,
        pdf_upload_id=new_upload_id() if data.pdf_size else "",
        pdf_status=UploadStatus.PENDING if data.pdf_size else None,
    )


def _replay(ports: WalletPorts, scope: str, request: Idempotent) -> WalletDocument | None:
    """What this key already issued, told again (consumers dedupe); 409 when the key came with another body."""
    recorded = ports.idempotency.get(scope, request.key)
    if recorded is None:
        return None
    if recorded.fingerprint != request.fingerprint:
        raise ConflictError("idempotency_key_reused")
    document = _issuer_document(ports, recorded.answer["document_id"], None)
    publish_change(ports, document, "issued", f"{document.document_id}-issued")
    return document


def _issuer_document(ports: WalletPorts, document_id: str, agency_id: str | None) -> WalletDocument:
    """Another issuer's document, or none, is the same 404: document ids are not an oracle."""
    found = ports.documents.find(document_id)
    if found is None or (agency_id is not None and found[1] != agency_id):
        raise NotFoundError("document_not_found")
    document = ports.documents.load(found[0], document_id)
    if not isinstance(document, WalletDocument):  # none, or the citizen's own upload: nothing an issuer changes
        raise NotFoundError("document_not_found")
    return document


def change_document_status(
    principal: AgencyPrincipal, document_id: str, action: str, purpose: str, ports: WalletPorts, now: int
) -> WalletDocument:
    """Idempotent: asking for the status a document already has changes nothing (and tells again)."""
    change = CHANGE_OF_ACTION[action]
    for _ in range(_ATTEMPTS):
        before = _issuer_document(ports, document_id, principal.agency_id)
        status = next_status(before.status, action)
        if status == before.status:
            publish_change(ports, before, change, change_event_id(document_id, change, before.version))
            return before
        after = replace(before, status=status, version=before.version + 1)
        try:
            ports.documents.change_status(before, after, _entry(principal, after, f"document.{action}", purpose, now))
        except StaleDocument:
            continue  # a rival changed this document or another entry of its status list: re-read
        publish_change(ports, after, change, change_event_id(document_id, change, after.version))
        return after
    raise ConflictError("conflict")


def _entry(principal: AgencyPrincipal, document: WalletDocument, action: str, purpose: str, now: int):
    names = (document.issuer_name_vi, document.issuer_name_en)
    target = f"document:{document.document_id}"
    return access_log.access_entry(
        principal, names, action, target, purpose, now, category="wallet_document", channel="issuer_api"
    )


def publish_change(ports: WalletPorts, document: WalletDocument, change: str, event_id: str) -> None:
    """Nobody to tell until the person first logs in: the wallet shows the document then."""
    citizen_id = ports.documents.citizen_of(document.person_key)
    if not citizen_id:
        return
    credential_type = credential_types()[document.credential_type]
    message = WalletDocumentChanged(
        event_id=event_id,
        citizen_id=citizen_id,
        document_id=document.document_id,
        credential_type=document.credential_type,
        type_name_vi=credential_type.name_vi,
        type_name_en=credential_type.name_en,
        issuer_name_vi=document.issuer_name_vi,
        issuer_name_en=document.issuer_name_en,
        change=change,
    )
    ports.publisher.publish(message.to_message())


# --- documents the platform itself issues (the tax e-receipt of a payment through the app's gateway) ----------

# Not a registered agency (none is registered under this client id): no agency token speaks for it.
PLATFORM_ISSUER = Agency(
    agency_id="citizen-app",
    client_id="platform:citizen-app",
    name_vi="Ứng dụng Công dân",
    name_en="Citizen app",
    public_jwks=(),
    procedure_codes=(),
)


def issue_platform_document(
    person_key: str, data: DocumentIssue, request: Idempotent, ports: WalletPorts, now: int
) -> str:
    """Issued as an issuer would, keyed by what it is for (`request.key`) in a scope of its own: a retry after an
    outage answers the same document."""
    principal = AgencyPrincipal(
        PLATFORM_ISSUER.client_id, PLATFORM_ISSUER.agency_id, frozenset({issue_scope_for(data.credential_type)})
    )
    scope = "platform:" + data.credential_type
    return _issue(principal, scope, person_key, data, request, "platform.issue", ports, now).document_id
