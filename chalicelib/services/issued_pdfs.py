"""An issuer's signed PDF, announced by S3 under raw/issued/: checked as a citizen's PDF is (magic bytes, parse,
page limit, no active content), stored with its first page's thumbnail under the document's keys, and recorded
on the wallet document as ready, or as rejected with its reason. A redelivery changes nothing."""

from dataclasses import replace

from chalicelib.domain.uploads import (
    JPEG,
    MAX_UPLOAD_BYTES,
    PDF,
    PDF_NAME,
    THUMBNAIL_NAME,
    UploadRejectedError,
    UploadStatus,
    derivative_key,
    raw_key,
)
from chalicelib.domain.wallet import ISSUED_PDF_OWNER, WalletDocument
from chalicelib.errors import NotFoundError
from chalicelib.services.upload_ports import WorkerPorts


def process_issued_pdf(upload_id: str, ports: WorkerPorts, now: int) -> str:
    """What happened, for the log: processed_ready | processed_rejected | duplicate | unknown | missing."""
    raw = raw_key(ISSUED_PDF_OWNER, upload_id)
    document = _document_of(upload_id, ports)
    if document is None:  # nobody declared this PDF, or its declaration expired
        ports.store.delete([raw])
        return "unknown"
    if document.pdf_status != UploadStatus.PENDING:
        ports.store.delete([raw])
        return "duplicate"
    try:
        finished = _processed(document, raw, ports)
    except NotFoundError:
        return "missing"
    if not ports.issued.finish_pdf(finished):
        return "duplicate"  # another delivery finished first: its files are the same
    ports.store.delete([raw])
    return "processed_" + finished.pdf_status.value


def _document_of(upload_id: str, ports: WorkerPorts) -> WalletDocument | None:
    found = ports.uploads.find_upload(upload_id)
    if found is None or found[1] != ISSUED_PDF_OWNER:
        return None
    document = ports.issued.load(found[0], found[2])
    return document if isinstance(document, WalletDocument) and document.pdf_upload_id == upload_id else None


def _processed(document: WalletDocument, raw: str, ports: WorkerPorts) -> WalletDocument:
    """The PDF and its thumbnail are stored before the document says ready; a refusal keeps nothing."""
    try:
        data = ports.store.read_raw(raw, MAX_UPLOAD_BYTES)
        processed = ports.pdfs.process(data, PDF)
    except UploadRejectedError as refused:
        return replace(document, pdf_status=UploadStatus.REJECTED, pdf_reason=refused.code)
    for name, content, content_type in ((PDF_NAME, data, PDF), (THUMBNAIL_NAME, processed.thumbnail_jpeg, JPEG)):
        ports.store.put_derivative(
            derivative_key(document.person_key, document.document_id, name), content, content_type
        )
    return replace(document, pdf_status=UploadStatus.READY, pdf_pages=processed.page_count)
