"""A citizen takes their data home (eID level 2): an export is started with an Idempotency-Key, one running at a
time, built by the exports worker into a ZIP (every category of services/citizen_data.py and the stored files of
their documents) under exports/<citizen_id>/, downloadable through a day-long link for 7 days, and told when
ready."""

from collections.abc import Iterator
from dataclasses import dataclass

from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.events import ExportRequested
from chalicelib.domain.export_jobs import (
    LINK_SECONDS,
    ExportJob,
    ExportKeyClaimedError,
    ExportRunningError,
    ExportState,
    failed_export,
    new_export,
    ready_export,
    ready_notice,
)
from chalicelib.domain.exports import FILES_FOLDER
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.pages import Page
from chalicelib.domain.sessions import Principal
from chalicelib.domain.uploads import PresignedDownload
from chalicelib.errors import ConflictError, NotFoundError
from chalicelib.services.citizen_data import PAGE, Subject, every, export_archive
from chalicelib.services.export_ports import ExportPorts, ExportWorkerPorts
from chalicelib.services.filing import Idempotent

_SCOPE = "exports:"
ZIP = "application/zip"


@dataclass(frozen=True)
class ExportView:
    """An export as the citizen sees it now: its shown state and, while it is ready, a fresh download link."""

    job: ExportJob
    state: ExportState
    download: PresignedDownload | None = None


def start_export(ports: ExportPorts, principal: Principal, key: Idempotent) -> ExportView:
    """A replay of the same Idempotency-Key answers the same export (and queues it again while it is pending,
    in case the first attempt could not)."""
    scope = _SCOPE + principal.citizen_id
    replay = _replay(ports, principal, scope, key)
    if replay is not None:
        return replay
    now = ports.clock()
    job = new_export(principal.citizen_id, now)
    claim = IdempotencyClaim(scope, key.key, key.fingerprint, {"export_id": job.export_id})
    try:
        ports.jobs.start(job, claim, int(now))
    except ExportRunningError:
        raise ConflictError("export_running") from None
    except ExportKeyClaimedError:
        replay = _replay(ports, principal, scope, key)  # a twin request with this key won the race
        if replay is None:
            raise ConflictError("conflict") from None
        return replay
    ports.queue.publish(ExportRequested(job.citizen_id, job.export_id).to_message())
    return viewed(ports, job)


def _replay(ports: ExportPorts, principal: Principal, scope: str, key: Idempotent) -> ExportView | None:
    recorded = ports.idempotency.get(scope, key.key)
    if recorded is None:
        return None
    if recorded.fingerprint != key.fingerprint:
        raise ConflictError("idempotency_key_reused")
    view = my_export(ports, principal, recorded.answer["export_id"])
    if view.state == ExportState.PENDING:
        ports.queue.publish(ExportRequested(view.job.citizen_id, view.job.export_id).to_message())
    return view


def my_export(ports: ExportPorts, principal: Principal, export_id: str) -> ExportView:
    """Read from the caller's own partition: another citizen's export is not found."""
    job = ports.jobs.load(principal.citizen_id, export_id)
    if job is None:
        raise NotFoundError("export_not_found")
    return viewed(ports, job)


def my_exports(ports: ExportPorts, principal: Principal, after: str | None, limit: int) -> Page[ExportView]:
    page = ports.jobs.list(principal.citizen_id, after, limit)
    return Page([viewed(ports, job) for job in page.items], page.after)


def viewed(ports: ExportPorts, job: ExportJob) -> ExportView:
    """The link is signed afresh at each read (no network call) and never outlives the ZIP."""
    now = int(ports.clock())
    state = job.shown_state(now)
    if state != ExportState.READY:
        return ExportView(job, state)
    seconds = min(LINK_SECONDS, job.zip_expires_at - now)
    return ExportView(job, state, ports.links.presigned_archive_download(job.key, seconds))


def run_export(ports: ExportWorkerPorts, citizen_id: str, export_id: str) -> str:
    """What happened, for the log. A ready export is not built again (its notice is finished if a crash cut it
    short); a pending one is built from scratch, so a redelivery after a crash redoes it whole."""
    job = ports.jobs.load(citizen_id, export_id)
    if job is None:
        return "unknown"  # erased with the account, or forgotten
    if job.state == ExportState.READY:
        if not job.told:
            _tell(ports, job)
        return "duplicate"
    now = int(ports.clock())
    citizen = ports.data.citizens.get(citizen_id) if job.is_running(now) else None
    if citizen is None:  # failed, stale (over an hour pending: the citizen may have started another) or erased
        if job.state == ExportState.PENDING:
            ports.jobs.finish(job, failed_export(job, now))
        return "given_up"
    subject = Subject(citizen_id, ports.person_keys.key_of(citizen.personal_id))
    archive = export_archive(ports.data, subject, utc_instant(now), _document_files(ports, subject))
    ports.store.put_derivative(job.key, archive, ZIP)
    ready = ready_export(job, len(archive), int(ports.clock()))
    if ports.jobs.finish(job, ready):
        _tell(ports, ready)
    elif ports.jobs.load(citizen_id, export_id) is None:  # the account was erased while the ZIP was built
        ports.store.erase_prefix(job.key)
        return "erased"
    return "ready"


def give_up(ports: ExportWorkerPorts, citizen_id: str, export_id: str) -> None:
    """The last attempt failed too: the export is failed, so the citizen sees it and can start another."""
    job = ports.jobs.load(citizen_id, export_id)
    if job is not None and job.state == ExportState.PENDING:
        ports.jobs.finish(job, failed_export(job, int(ports.clock())))


def _document_files(ports: ExportWorkerPorts, subject: Subject) -> Iterator[tuple[str, bytes]]:
    """files/<document_id>/<name> for each stored file of each wallet document and upload, as the bucket has it."""
    documents = every(lambda after: ports.data.documents.list_for_person(subject.person_key, "", after, PAGE))
    for document in documents:
        for stored in document.stored_files():
            try:
                data = ports.store.read(stored.key)
            except NotFoundError:
                continue  # deleted since it was listed
            yield f"{FILES_FOLDER}{document.document_id}/{stored.key.rsplit('/', 1)[-1]}", data


def _tell(ports: ExportWorkerPorts, job: ExportJob) -> None:
    """Published, then remembered: a crash in between tells twice, which the notice's event id deduplicates."""
    ports.publisher.publish(ready_notice(job).to_message())
    ports.jobs.mark_told(job)
