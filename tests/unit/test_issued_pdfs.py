"""The upload worker's branch for an issuer's signed PDF, with fakes of its ports: the PDF and its thumbnail are
stored before the document says ready, a refusal stores nothing, a redelivery changes nothing, a raw key nobody
declared is only deleted; and what the document then lists as its files."""

from dataclasses import replace

from chalicelib.domain.credentials import CredentialStatus
from chalicelib.domain.uploads import ProcessedUpload, UploadRejectedError, UploadStatus, raw_key
from chalicelib.domain.wallet import ISSUED_PDF_OWNER, WalletDocument
from chalicelib.services.upload_ports import WorkerPorts
from chalicelib.services.upload_worker import process_upload
from tests.unit.test_upload_worker import Dossiers, Publisher, Store, Uploads

PDF_BYTES = b"%PDF-1.7 signed"
RAW = raw_key(ISSUED_PDF_OWNER, "pdf1")
DOC = WalletDocument(
    "d9", "p9", "BIRTH_CERTIFICATE_EXTRACT", "urn:x", "iss", "issuer", "vi", "en", {}, CredentialStatus.VALID,
    issued_at=0, expires_at=None, status_list_id=0, status_index=1, sd_jwt="jwt~",
    pdf_upload_id="pdf1", pdf_status=UploadStatus.PENDING,
)  # fmt: skip


class Issued:
    def __init__(self):
        self.document = DOC

    def load(self, person_key, document_id):
        return self.document if (person_key, document_id) == ("p9", "d9") else None

    def finish_pdf(self, document):
        if self.document.pdf_status != UploadStatus.PENDING:
            return False
        self.document = document
        return True


class IssuedUploads(Uploads):
    def find_upload(self, upload_id):
        return ("p9", ISSUED_PDF_OWNER, "d9") if upload_id == "pdf1" else None


class Pdfs:
    def __init__(self, refuse=""):
        self.refuse = refuse

    def process(self, data, declared_type):
        assert declared_type == "application/pdf"  # whatever the issuer uploaded, it must be a PDF
        if self.refuse:
            raise UploadRejectedError(self.refuse)
        return ProcessedUpload("pdf", "application/pdf", None, b"thumb", 226, 320, page_count=3)


def ports(pdfs=None) -> WorkerPorts:
    store = Store()
    store.objects = {RAW: PDF_BYTES}
    return WorkerPorts(
        uploads=IssuedUploads(), dossiers=Dossiers(), store=store, images=Pdfs(), pdfs=pdfs or Pdfs(),
        publisher=Publisher(), issued=Issued(),
    )  # fmt: skip


def test_a_checked_pdf_is_stored_with_its_thumbnail_then_the_document_is_ready():
    worker = ports()
    assert process_upload(ISSUED_PDF_OWNER, "pdf1", worker, 5) == "processed_ready"
    document = worker.issued.document
    assert document.pdf_status == UploadStatus.READY and document.pdf_pages == 3
    assert worker.store.objects == {"documents/p9/d9/document.pdf": PDF_BYTES, "documents/p9/d9/thumb.jpg": b"thumb"}
    assert [(f.name, f.key) for f in document.stored_files()] == [
        ("document", "documents/p9/d9/document.pdf"),
        ("thumbnail", "documents/p9/d9/thumb.jpg"),
    ]


def test_a_refused_file_is_rejected_with_its_reason_and_nothing_is_kept():
    worker = ports(Pdfs(refuse="type_mismatch"))
    assert process_upload(ISSUED_PDF_OWNER, "pdf1", worker, 5) == "processed_rejected"
    document = worker.issued.document
    assert document.pdf_status == UploadStatus.REJECTED and document.pdf_reason == "type_mismatch"
    assert document.pdf_reason_text("en") and document.stored_files() == () and worker.store.objects == {}


def test_a_redelivery_changes_nothing():
    worker = ports()
    process_upload(ISSUED_PDF_OWNER, "pdf1", worker, 5)
    ready = worker.issued.document
    worker.store.objects[RAW] = b"not a pdf"
    assert process_upload(ISSUED_PDF_OWNER, "pdf1", worker, 9) == "duplicate"
    assert worker.issued.document == ready and RAW not in worker.store.objects


def test_a_raw_key_nobody_declared_is_only_deleted():
    worker = ports()
    worker.store.objects[raw_key(ISSUED_PDF_OWNER, "other")] = PDF_BYTES
    assert process_upload(ISSUED_PDF_OWNER, "other", worker, 5) == "unknown"
    assert raw_key(ISSUED_PDF_OWNER, "other") not in worker.store.objects
    assert worker.issued.document == DOC


def test_a_document_without_a_declared_pdf_lists_no_files():
    assert replace(DOC, pdf_upload_id="", pdf_status=None).stored_files() == ()
    assert DOC.stored_files() == ()  # pending
