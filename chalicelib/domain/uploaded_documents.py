"""A citizen's own uploaded document: its record from request to ready (or rejected), and what it keeps."""

import secrets
from dataclasses import dataclass, replace

from chalicelib.domain.uploads import (
    FILE_ROLES,
    FULL_NAME,
    JPEG,
    PDF,
    PDF_NAME,
    REJECTION_REASONS,
    THUMBNAIL_NAME,
    ProcessedUpload,
    StoredFile,
    UploadStatus,
    derivative_key,
    raw_key,
)

# A pending upload the worker never reached stops counting (and showing) after this: the presigned POST lives
# 5 minutes, the worker takes seconds, SQS retries a few minutes. Its raw object expires after a day anyway.
PENDING_UPLOAD_SECONDS = 3600
UPLOAD_KIND = "upload"  # the wallet list's `kind` of an uploaded document (issued ones are "issued")
UPLOAD_NAME = {"vi": "Tệp tải lên", "en": "Uploaded file"}


@dataclass(frozen=True)
class UploadRequest:
    purpose: str
    content_type: str
    size: int
    dossier_id: str = ""


@dataclass(frozen=True)
class UploadedDocument:
    """A citizen's own scan or photo in their wallet (or for one of their dossiers). `kind` is "image" or
    "pdf" once processed; `reason` is a REJECTION_REASONS code when rejected."""

    document_id: str
    upload_id: str
    person_key: str
    citizen_id: str
    purpose: str
    dossier_id: str
    declared_type: str
    declared_size: int
    created_at: int
    status: UploadStatus = UploadStatus.PENDING
    reason: str = ""
    processed_at: int | None = None
    kind: str = ""
    content_type: str = ""
    width: int = 0
    height: int = 0
    page_count: int | None = None
    filed_in: tuple[str, ...] = ()  # dossiers it was filed with online (their agencies link its files)

    def is_visible(self, now: float) -> bool:
        """A pending upload whose file never came (or never got processed) is gone after PENDING_UPLOAD_SECONDS."""
        return self.status != UploadStatus.PENDING or now < self.created_at + PENDING_UPLOAD_SECONDS

    def reason_text(self, language: str) -> str:
        return REJECTION_REASONS[self.reason][language] if self.reason else ""

    def file_names(self) -> tuple[str, ...]:
        """The derivatives kept for a ready document: the clean JPEG (or the checked PDF), then the thumbnail."""
        if self.status != UploadStatus.READY:
            return ()
        return (PDF_NAME, THUMBNAIL_NAME) if self.kind == "pdf" else (FULL_NAME, THUMBNAIL_NAME)

    def stored_files(self) -> tuple[StoredFile, ...]:
        return tuple(
            StoredFile(FILE_ROLES[name], derivative_key(self.citizen_id, self.document_id, name))
            for name in self.file_names()
        )

    def filed_with(self) -> tuple[str, ...]:
        """The dossiers whose record holds this document's files: deleting it would break the agency's links."""
        landed = (self.dossier_id,) if self.purpose == "dossier" and self.status == UploadStatus.READY else ()
        return tuple(sorted(set(self.filed_in) | set(landed)))

    def storage_keys(self) -> tuple[str, ...]:
        """Every object this document may have: its raw upload and all its possible derivatives."""
        names = (FULL_NAME, THUMBNAIL_NAME, PDF_NAME)
        raw = raw_key(self.citizen_id, self.upload_id)
        return (raw, *(derivative_key(self.citizen_id, self.document_id, name) for name in names))


def ready_document(document: UploadedDocument, processed: ProcessedUpload, now: int) -> UploadedDocument:
    return replace(
        document,
        status=UploadStatus.READY,
        processed_at=now,
        kind=processed.kind,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        page_count=processed.page_count,
    )


def rejected_document(document: UploadedDocument, code: str, now: int) -> UploadedDocument:
    if code not in REJECTION_REASONS:
        raise ValueError(f"unknown rejection code {code!r}")
    return replace(document, status=UploadStatus.REJECTED, reason=code, processed_at=now)


def derivatives_of(document: UploadedDocument, processed: ProcessedUpload, raw: bytes) -> list[tuple[str, bytes, str]]:
    """(key, bytes, content type) of what a processed upload keeps: a PDF is kept as checked, never re-encoded."""
    first = (PDF_NAME, raw, PDF) if processed.kind == "pdf" else (FULL_NAME, processed.full_jpeg or b"", JPEG)
    files = [first, (THUMBNAIL_NAME, processed.thumbnail_jpeg, JPEG)]
    return [(derivative_key(document.citizen_id, document.document_id, name), data, t) for name, data, t in files]


def new_upload_id() -> str:
    """The raw key's last segment: 128 random bits, so nobody guesses where another citizen's upload lands."""
    return secrets.token_urlsafe(16)
