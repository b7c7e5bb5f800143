"""The ports the upload use cases need, bundled: adapters implement them; unit tests pass fakes."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.dossiers import Dossier, DossierEvent, IdempotencyClaim
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.uploads import PresignedDownload, PresignedUpload, ProcessedUpload
from chalicelib.services.dossier_ports import Idempotency, PersonKeys, Publisher


class Uploads(Protocol):
    def create(self, document: UploadedDocument, claim: IdempotencyClaim, now: int) -> None: ...
    def find_upload(self, upload_id: str) -> tuple[str, str, str] | None: ...
    def load(self, person_key: str, document_id: str) -> UploadedDocument | None: ...
    def count_pending(self, person_key: str, now: int, at_most: int) -> int: ...
    def finish(self, document: UploadedDocument) -> bool: ...
    def delete(self, document: UploadedDocument) -> None: ...


class WalletEntries(Protocol):
    """Any document of the wallet by id, issued or uploaded (the wallet repository)."""

    def load(self, person_key: str, document_id: str) -> Any | None: ...


class DocumentStore(Protocol):
    def presigned_upload(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int = ...
    ) -> PresignedUpload: ...
    def read_raw(self, key: str, max_bytes: int) -> bytes: ...
    def put_derivative(self, key: str, data: bytes, content_type: str) -> None: ...
    def presigned_download(self, key: str, expires_seconds: int = ...) -> PresignedDownload: ...
    def delete(self, keys: Iterable[str]) -> None: ...


class Processor(Protocol):
    def process(self, data: bytes, declared_type: str) -> ProcessedUpload: ...


class OwnDossiers(Protocol):
    def load(self, person_key: str, dossier_id: str) -> tuple[Dossier, list[DossierEvent]] | None: ...


class DossierAttachments(Protocol):
    def attach_document(self, person_key: str, dossier_id: str, attached: dict[str, Any]) -> bool: ...


class IssuedDocuments(Protocol):
    """Issued documents whose signed PDF the worker checks (the wallet repository)."""

    def load(self, person_key: str, document_id: str) -> Any | None: ...

    def finish_pdf(self, document: Any) -> bool: ...


@dataclass(frozen=True)
class UploadSettings:
    max_pending: int  # pending uploads per citizen
    url_seconds: int  # life of a presigned POST or download link (at most 300)


@dataclass(frozen=True)
class UploadPorts:
    uploads: Uploads
    wallet: WalletEntries
    store: DocumentStore
    dossiers: OwnDossiers
    idempotency: Idempotency
    person_keys: PersonKeys
    publisher: Publisher
    settings: UploadSettings


@dataclass(frozen=True)
class WorkerPorts:
    """The worker's: the image and PDF processors are built only in the upload worker's function."""

    uploads: Uploads
    dossiers: DossierAttachments
    store: DocumentStore
    images: Processor
    pdfs: Processor
    publisher: Publisher
    issued: IssuedDocuments | None = None  # only an issuer's signed PDF needs it
