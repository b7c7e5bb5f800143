"""The upload worker's use case: one raw upload, announced by S3, becomes a ready document (clean derivatives
stored first, then one conditional status write) or a rejected one with its reason; a ready upload for a dossier
is attached to it; the raw object is deleted and the citizen told. A redelivered announcement finds the document
no longer pending and only finishes what the first delivery may not have: the attachment and the message."""

from chalicelib.domain.events import WalletDocumentChanged
from chalicelib.domain.uploaded_documents import (
    UPLOAD_KIND,
    UPLOAD_NAME,
    UploadedDocument,
    derivatives_of,
    ready_document,
    rejected_document,
)
from chalicelib.domain.uploads import IMAGE_TYPES, MAX_UPLOAD_BYTES, UploadRejectedError, UploadStatus, raw_key
from chalicelib.domain.wallet import ISSUED_PDF_OWNER, attachment
from chalicelib.errors import NotFoundError
from chalicelib.services.issued_pdfs import process_issued_pdf
from chalicelib.services.upload_ports import WorkerPorts

CHANGE = {UploadStatus.READY: "upload_ready", UploadStatus.REJECTED: "upload_rejected"}


def process_upload(citizen_id: str, upload_id: str, ports: WorkerPorts, now: int) -> str:
    """What happened, for the log: processed_ready | processed_rejected | duplicate | unknown | missing."""
    if citizen_id == ISSUED_PDF_OWNER:
        return process_issued_pdf(upload_id, ports, now)
    raw = raw_key(citizen_id, upload_id)
    document = _pending_document(citizen_id, upload_id, ports)
    if document is None:  # nobody asked for this key, or its document was deleted or expired
        ports.store.delete([raw])
        return "unknown"
    if document.status != UploadStatus.PENDING:
        attach_to_dossier(document, ports)  # the first delivery may have stopped before: both are idempotent
        notify(document, ports)  # the inbox dedupes
        ports.store.delete([raw])
        return "duplicate"
    try:
        finished = _processed(document, raw, ports, now)
    except NotFoundError:
        return "missing"  # announced but gone: deleted with its document meanwhile
    if not ports.uploads.finish(finished):
        return _lost_race(finished, ports)
    attach_to_dossier(finished, ports)
    ports.store.delete([raw])
    notify(finished, ports)
    return "processed_" + finished.status.value


def _pending_document(citizen_id: str, upload_id: str, ports: WorkerPorts) -> UploadedDocument | None:
    found = ports.uploads.find_upload(upload_id)
    if found is None or found[1] != citizen_id:  # the key names its citizen: it must be the upload's
        return None
    return ports.uploads.load(found[0], found[2])


def _processed(document: UploadedDocument, raw: str, ports: WorkerPorts, now: int) -> UploadedDocument:
    """The size is re-checked from S3's length before reading, the type by the bytes (the processor re-checks
    size, type and content again); derivatives are stored before the status says ready."""
    processor = ports.images if document.declared_type in IMAGE_TYPES else ports.pdfs
    try:
        data = ports.store.read_raw(raw, MAX_UPLOAD_BYTES)
        processed = processor.process(data, document.declared_type)
    except UploadRejectedError as refused:
        return rejected_document(document, refused.code, now)
    for key, content, content_type in derivatives_of(document, processed, data):
        ports.store.put_derivative(key, content, content_type)
    return ready_document(document, processed, now)


def _lost_race(finished: UploadedDocument, ports: WorkerPorts) -> str:
    """Another delivery finished first (its derivatives are the same), or the citizen deleted the document
    while we processed it: then what we stored must go too."""
    if ports.uploads.load(finished.person_key, finished.document_id) is None:
        ports.store.delete(finished.storage_keys())
    return "duplicate"


def attach_to_dossier(document: UploadedDocument, ports: WorkerPorts) -> None:
    """An upload made for a dossier lands on it once ready, as a document filed with it: the agency's view
    shows it with links to its files. Never a rejected one, and never twice."""
    if document.purpose == "dossier" and document.status == UploadStatus.READY:
        ports.dossiers.attach_document(document.person_key, document.dossier_id, attachment(document))


def notify(document: UploadedDocument, ports: WorkerPorts) -> None:
    message = WalletDocumentChanged(
        event_id=f"{document.document_id}-{CHANGE[document.status]}",
        citizen_id=document.citizen_id,
        document_id=document.document_id,
        credential_type=UPLOAD_KIND,
        type_name_vi=UPLOAD_NAME["vi"],
        type_name_en=UPLOAD_NAME["en"],
        issuer_name_vi="",
        issuer_name_en="",
        change=CHANGE[document.status],
    )
    ports.publisher.publish(message.to_message())
