"""The erasure of an account at the end of its grace period: scheduled, idempotent, resumable after a crash (each
step erases what it still finds; the request, erased last, marks the run's progress), then the final statement in
the export's format, fetched with the secret link the citizen was given."""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib import logs
from chalicelib.domain import erasure, exports
from chalicelib.domain.deletion import DeletionRequest, ErasureProgress
from chalicelib.domain.export_jobs import exports_prefix
from chalicelib.domain.instants import day_buckets_back, utc_instant
from chalicelib.domain.uploads import derivatives_prefix, raw_prefix
from chalicelib.errors import NotFoundError
from chalicelib.services import citizen_data
from chalicelib.services.citizen_data import CitizenDataPorts, Subject

LOOKBACK_DAYS = erasure.BACKUP_WINDOW_DAYS  # a schedule down for days, or a restored table, still erases
STATEMENT_CATEGORY = "deletion_statement"


class ErasureRequests(Protocol):
    def get(self, citizen_id: str) -> DeletionRequest | None: ...
    def due_on(self, day: str) -> list[DeletionRequest]: ...
    def start_erasure(self, request: DeletionRequest, progress: ErasureProgress) -> bool: ...
    def finish(self, request: DeletionRequest) -> None: ...


class AccountEraser(Protocol):
    def unsettled_payments(self, person_key: str) -> int: ...
    def count_exports(self, citizen_id: str) -> int: ...
    def erase_citizen(self, citizen_id: str) -> None: ...
    def erase_person(self, person_key: str, kept_key: str, now: int) -> None: ...
    def erase_shares(self, person_key: str) -> None: ...
    def erase_delegations(self, person_key: str, represents: list[str]) -> None: ...
    def erase_tax(self, taxpayer_key: str) -> None: ...
    def kept_count(self, kept_key: str) -> dict[str, int]: ...


class FileEraser(Protocol):
    def erase_prefix(self, prefix: str) -> int: ...


class Statements(Protocol):
    def put(self, statement_hash: str, document: bytes, expires_at: int) -> None: ...
    def get(self, statement_hash: str, now: int) -> bytes | None: ...


@dataclass(frozen=True)
class ErasurePorts:
    requests: ErasureRequests
    eraser: AccountEraser
    files: FileEraser
    statements: Statements
    citizen_data: Callable[[], CitizenDataPorts]  # built only when an erasure starts (it counts what there is)


def erase_due_accounts(ports: ErasurePorts, now: datetime) -> int:
    """How many accounts were erased by this run. One account failing (an outage mid-way) does not hold up the
    others: each is tried, then the run fails, so the schedule's error alarm sees it and the next run resumes."""
    erased, failure = 0, None
    for day in day_buckets_back(now, LOOKBACK_DAYS):
        for due in ports.requests.due_on(day):
            if due.erase_at > now.timestamp():
                continue
            try:
                erased += erase_account(ports, due.citizen_id, int(now.timestamp()))
            except Exception as error:  # noqa: BLE001 (re-raised once the others were tried)
                logs.log("erasure_failed", level="ERROR", error=type(error).__name__)
                failure = error
    if failure is not None:
        raise failure
    return erased


def erase_account(ports: ErasurePorts, citizen_id: str, now: int) -> bool:
    """False when there is nothing to erase (cancelled, or finished by an earlier run) or it must wait."""
    request = ports.requests.get(citizen_id)
    if request is None:
        return False
    if ports.eraser.unsettled_payments(request.person_key):
        logs.log("erasure_postponed", reason="payment_not_settled")  # the tax authority must have it first
        return False
    progress = request.progress or _start(ports, request, now)
    if progress is None:
        return False
    _erase_everything(ports, request, progress, now)
    counts = {**progress.counts, **ports.eraser.kept_count(progress.kept_key)}
    expires_at = now + erasure.STATEMENT_DAYS * 86400
    ports.statements.put(statement_hash(request.statement_id), final_statement(request, counts, now), expires_at)
    ports.requests.finish(request)
    logs.log("account_erased", kept=sum(counts.get(r.category, 0) for r in erasure.RULES if r.outcome == erasure.KEPT))
    return True


def final_statement_of(ports: ErasurePorts, statement_id: str, now: int) -> bytes:
    document = ports.statements.get(statement_hash(statement_id), now) if statement_id else None
    if document is None:
        raise NotFoundError("statement_not_found")
    return document


def statement_hash(statement_id: str) -> str:
    return hashlib.sha256(statement_id.encode()).hexdigest()


def final_statement(request: DeletionRequest, counts: dict[str, int], now: int) -> bytes:
    items = erasure.statement_items(counts)
    return exports.category_file(STATEMENT_CATEGORY, request.citizen_id, utc_instant(now), items)


def file_prefixes(request: DeletionRequest) -> tuple[str, ...]:
    """The citizen's objects in the documents bucket: raw uploads and derivatives, issued PDFs (filed under the
    person key) and exports."""
    return (
        raw_prefix(request.citizen_id),
        derivatives_prefix(request.citizen_id),
        derivatives_prefix(request.person_key),
        exports_prefix(request.citizen_id),
    )


def _start(ports: ErasurePorts, request: DeletionRequest, now: int) -> ErasureProgress | None:
    """What there is, counted before anything goes, saved with the start: a resumed run states the same."""
    data = ports.citizen_data()
    collected = citizen_data.collect(data, Subject(request.citizen_id, request.person_key))
    citizen = data.citizens.get(request.citizen_id)
    counts = {name: len(items) for name, items in collected.items()}
    counts["exports"] = ports.eraser.count_exports(request.citizen_id)
    progress = ErasureProgress(now, secrets.token_hex(32), counts, tuple(citizen.represents if citizen else ()))
    if ports.requests.start_erasure(request, progress):
        return progress
    started = ports.requests.get(request.citizen_id)  # a twin run started it a moment ago, or it was cancelled
    return started.progress if started else None


def _erase_everything(ports: ErasurePorts, request: DeletionRequest, progress: ErasureProgress, now: int) -> None:
    ports.eraser.erase_citizen(request.citizen_id)  # sessions first: the account stops working at once
    ports.eraser.erase_person(request.person_key, progress.kept_key, now)
    ports.eraser.erase_shares(request.person_key)
    ports.eraser.erase_delegations(request.person_key, list(progress.represents))
    ports.eraser.erase_tax(request.person_key)
    for prefix in file_prefixes(request):
        ports.files.erase_prefix(prefix)
