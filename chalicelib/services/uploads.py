"""The citizen's side of uploads: a presigned POST for one file (bound to them, its type and size), links to a
ready document's files, and deleting an uploaded document with its files. The worker is services/upload_worker.py.

Another citizen's document or dossier is simply not found: both are read from the caller's own partition.
"""

from dataclasses import dataclass

from chalicelib.domain.dossiers import FINISHED, IdempotencyClaim
from chalicelib.domain.sessions import Principal
from chalicelib.domain.uploaded_documents import UploadedDocument, UploadRequest, new_upload_id
from chalicelib.domain.uploads import (
    MAX_UPLOAD_BYTES,
    PresignedDownload,
    PresignedUpload,
    raw_key,
    validate_upload_request,
)
from chalicelib.domain.wallet import MAX_ATTACHED, StaleDocument, WalletDocument, new_document_id
from chalicelib.errors import ConflictError, NotFoundError, ValidationError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.filing import Idempotent
from chalicelib.services.me import get_profile
from chalicelib.services.upload_ports import UploadPorts

_SCOPE = "uploads:"


@dataclass(frozen=True)
class UploadGranted:
    upload_id: str
    document_id: str
    upload: PresignedUpload


def request_upload(
    principal: Principal, request: UploadRequest, key: Idempotent, citizens: Citizens, ports: UploadPorts, now: float
) -> UploadGranted:
    """A replay of the same Idempotency-Key answers the same upload with a fresh POST (the old one may have expired)."""
    problems = validate_upload_request(request.purpose, request.content_type, request.size, request.dossier_id)
    if problems:
        raise ValidationError(errors=problems)
    person_key = ports.person_keys.key_of(get_profile(principal, citizens).personal_id)
    scope = _SCOPE + principal.citizen_id
    replay = _replay(ports, scope, key)
    if replay:
        return replay
    if request.purpose == "dossier":
        _check_open_dossier(ports, person_key, request.dossier_id)
    cap = ports.settings.max_pending
    if ports.uploads.count_pending(person_key, int(now), cap) >= cap:
        raise ConflictError("too_many_pending_uploads", params={"limit": cap})
    document = _new_document(principal, person_key, request, now)
    answer = {
        "upload_id": document.upload_id,
        "document_id": document.document_id,
        "content_type": request.content_type,
    }
    try:
        ports.uploads.create(document, IdempotencyClaim(scope, key.key, key.fingerprint, answer), int(now))
    except StaleDocument:
        replay = _replay(ports, scope, key)
        if replay is None:
            raise ConflictError("conflict") from None
        return replay
    return _granted(ports, principal.citizen_id, answer)


def _check_open_dossier(ports: UploadPorts, person_key: str, dossier_id: str) -> None:
    """A file for a dossier must have somewhere to land: the agency still working on it, and room left."""
    found = ports.dossiers.load(person_key, dossier_id)
    if found is None:
        raise NotFoundError("dossier_not_found")
    dossier = found[0]
    if dossier.status in FINISHED:
        raise ConflictError("dossier_closed")
    if len(dossier.documents) >= MAX_ATTACHED:
        raise ConflictError("dossier_documents_full", params={"limit": MAX_ATTACHED})


def _new_document(principal: Principal, person_key: str, request: UploadRequest, now: float) -> UploadedDocument:
    return UploadedDocument(
        document_id=new_document_id(now),
        upload_id=new_upload_id(),
        person_key=person_key,
        citizen_id=principal.citizen_id,
        purpose=request.purpose,
        dossier_id=request.dossier_id,
        declared_type=request.content_type,
        declared_size=request.size,
        created_at=int(now),
    )


def _replay(ports: UploadPorts, scope: str, key: Idempotent) -> UploadGranted | None:
    recorded = ports.idempotency.get(scope, key.key)
    if recorded is None:
        return None
    if recorded.fingerprint != key.fingerprint:
        raise ConflictError("idempotency_key_reused")
    return _granted(ports, scope.removeprefix(_SCOPE), recorded.answer)


def _granted(ports: UploadPorts, citizen_id: str, answer: dict) -> UploadGranted:
    """The POST's policy allows exactly this key, this type and 1 byte to 10 MB, for url_seconds (≤ 5 minutes)."""
    key = raw_key(citizen_id, answer["upload_id"])
    upload = ports.store.presigned_upload(key, answer["content_type"], MAX_UPLOAD_BYTES, ports.settings.url_seconds)
    return UploadGranted(answer["upload_id"], answer["document_id"], upload)


def download_links(
    document: UploadedDocument | WalletDocument, ports: UploadPorts
) -> list[tuple[str, PresignedDownload]]:
    """(role, short-lived link) of a ready document's files (an upload's, or an issued one's signed PDF); none
    before it is ready."""
    return [
        (stored.name, ports.store.presigned_download(stored.key, ports.settings.url_seconds))
        for stored in document.stored_files()
    ]


def delete_my_document(principal: Principal, document_id: str, citizens: Citizens, ports: UploadPorts) -> None:
    """Files first, then the items: a failure half-way leaves a document the citizen can delete again, never
    files nobody can reach. Issued documents are the issuer's to revoke, not the citizen's to delete (409); an
    upload filed with a dossier is part of the agency's record, whose links to its files must keep working (409)."""
    person_key = ports.person_keys.key_of(get_profile(principal, citizens).personal_id)
    document = ports.wallet.load(person_key, document_id)
    if document is None:
        raise NotFoundError("document_not_found")
    if not isinstance(document, UploadedDocument):
        raise ConflictError("document_not_deletable")
    if document.filed_with():
        raise ConflictError("document_filed", params={"dossier_id": document.filed_with()[0]})
    ports.store.delete(document.storage_keys())
    ports.uploads.delete(document)
