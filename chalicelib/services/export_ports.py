"""The ports the data export needs, bundled: the API's (start, read) and the worker's (build, store, tell)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.export_jobs import ExportJob
from chalicelib.domain.pages import Page
from chalicelib.domain.uploads import PresignedDownload
from chalicelib.services.citizen_data import CitizenDataPorts
from chalicelib.services.dossier_ports import Idempotency, PersonKeys, Publisher


class ExportJobs(Protocol):
    def start(self, job: ExportJob, claim: IdempotencyClaim, now: int) -> None: ...
    def load(self, citizen_id: str, export_id: str) -> ExportJob | None: ...
    def list(self, citizen_id: str, after: str | None, limit: int) -> Page[ExportJob]: ...
    def finish(self, before: ExportJob, after: ExportJob) -> bool: ...
    def mark_told(self, job: ExportJob) -> None: ...


class ArchiveLinks(Protocol):
    def presigned_archive_download(self, key: str, expires_seconds: int = ...) -> PresignedDownload: ...


class ArchiveStore(Protocol):
    def read(self, key: str) -> bytes: ...
    def put_derivative(self, key: str, data: bytes, content_type: str) -> None: ...
    def erase_prefix(self, prefix: str) -> int: ...


@dataclass(frozen=True)
class ExportPorts:
    jobs: ExportJobs
    idempotency: Idempotency
    links: ArchiveLinks
    queue: Publisher  # the exports queue: the worker's work
    clock: Callable[[], float]


@dataclass(frozen=True)
class ExportWorkerPorts:
    jobs: ExportJobs
    data: CitizenDataPorts
    person_keys: PersonKeys
    store: ArchiveStore
    publisher: Publisher  # the notifications queue: "your export is ready"
    clock: Callable[[], float]
