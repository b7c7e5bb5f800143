"""A citizen's export job: its record from request to ready (or failed), what it reads as at a moment (expired
7 days after it was ready; a pending one given up after an hour), where its ZIP lives, and the notice that it is
ready (vi/en)."""

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from chalicelib.domain.events import ExportReady
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.working_days import VIETNAM

KEPT_SECONDS = 7 * 86400  # the ZIP's life: the bucket's lifecycle deletes exports/ after as many days
LINK_SECONDS = 86400  # a download link's life
# A pending export older than this no longer counts as running: its worker died or its messages went to the DLQ,
# and the citizen must be able to start another. The worker refuses it too, so it never turns ready late.
PENDING_SECONDS = 3600
EXPORTS_PREFIX = "exports/"
_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class ExportRunningError(Exception):
    """The citizen already has an export that is still running."""


class ExportKeyClaimedError(Exception):
    """A twin request with the same Idempotency-Key started an export between our check and our write."""


class ExportState(str, Enum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ExportJob:
    export_id: str
    citizen_id: str
    requested_at: int  # epoch seconds
    state: ExportState = ExportState.PENDING
    ready_at: int | None = None
    failed_at: int | None = None
    size: int = 0  # the ZIP's bytes
    told: bool = False  # the "ready" notice was handed to the notifications queue

    def shown_state(self, now: float) -> ExportState:
        """The state as the citizen sees it now (no TTL deletion to rely on: moto keeps expired items)."""
        if self.state == ExportState.READY and now >= self.zip_expires_at:
            return ExportState.EXPIRED
        if self.state == ExportState.PENDING and now >= self.requested_at + PENDING_SECONDS:
            return ExportState.FAILED
        return self.state

    def is_running(self, now: float) -> bool:
        return self.shown_state(now) == ExportState.PENDING

    @property
    def zip_expires_at(self) -> int:
        return (self.ready_at or 0) + KEPT_SECONDS

    @property
    def forget_at(self) -> int:
        """The record's TTL: with its ZIP; a pending or failed one a week after it could last have run."""
        if self.state == ExportState.READY:
            return self.zip_expires_at
        return max(self.requested_at + PENDING_SECONDS, self.failed_at or 0) + KEPT_SECONDS

    @property
    def key(self) -> str:
        return export_key(self.citizen_id, self.export_id)


def new_export(citizen_id: str, now: float) -> ExportJob:
    """Time-ordered ids (ms prefix): the citizen's exports list newest first by id."""
    return ExportJob(f"{int(now * 1000):013x}{secrets.token_hex(6)}", citizen_id, int(now))


def ready_export(job: ExportJob, size: int, now: int) -> ExportJob:
    return replace(job, state=ExportState.READY, ready_at=now, size=size)


def failed_export(job: ExportJob, now: int) -> ExportJob:
    return replace(job, state=ExportState.FAILED, failed_at=now)


def export_key(citizen_id: str, export_id: str) -> str:
    """Where the ZIP lives: under the citizen's own prefix, which the account erasure deletes whole."""
    for segment in (citizen_id, export_id):
        if not _SEGMENT.match(segment):
            raise ValueError("not a storage key segment")
    return f"{exports_prefix(citizen_id)}{export_id}.zip"


def exports_prefix(citizen_id: str) -> str:
    return f"{EXPORTS_PREFIX}{citizen_id}/"


def ready_event_id(job: ExportJob) -> str:
    return f"export-{job.export_id}-ready"


_READY = {
    "vi": (
        "Dữ liệu của bạn đã sẵn sàng",
        "Tệp dữ liệu bạn yêu cầu đã sẵn sàng; hãy tải về trước {when} (giờ Việt Nam).",
    ),
    "en": ("Your data is ready", "The export of your data is ready; download it before {when} (Vietnam time)."),
}


def ready_notice(job: ExportJob) -> ExportReady:
    return ExportReady(ready_event_id(job), job.citizen_id, job.export_id, utc_instant(job.zip_expires_at))


def render_export_ready(event: ExportReady, language: str) -> tuple[str, str]:
    title, body = _READY[language]
    when = datetime.fromisoformat(event.expires_at.replace("Z", "+00:00")).astimezone(VIETNAM)
    shown = when.strftime("%H:%M %d/%m/%Y") if language == "vi" else when.strftime("%Y-%m-%d %H:%M")
    return title, body.format(when=shown)


def export_ready_data(event: ExportReady) -> dict[str, str]:
    return {"export_id": event.export_id, "expires_at": event.expires_at}
