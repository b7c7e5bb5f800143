"""DynamoDB store of data export jobs: each in the citizen's partition (CITIZEN#<id> / EXPORT#<id>, another
citizen's is simply not there), started with its Idempotency-Key and the citizen's one running-export lock in one
transaction, moved pending -> ready | failed by conditional writes. `expires_at` is the table's TTL."""

from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import NEW, claim_operation
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.export_jobs import (
    PENDING_SECONDS,
    ExportJob,
    ExportKeyClaimedError,
    ExportRunningError,
    ExportState,
)
from chalicelib.domain.pages import Page

_NAMES = {"#s": "state", "#z": "size"}  # both reserved words in DynamoDB expressions


class DynamoExportJobs:
    def __init__(self, table: DynamoTable):
        self._table = table

    def start(self, job: ExportJob, claim: IdempotencyClaim, now: int) -> None:
        """The lock is taken when free or when the export holding it can no longer be running (stale)."""
        lock = dynamo_table.lease_operation(
            {
                **dynamo.export_lock_key(job.citizen_id),
                "export_id": job.export_id,
                "until": job.requested_at + PENDING_SECONDS,
                "expires_at": job.forget_at,
            },
            now,
        )
        try:
            self._table.transact([dynamo_table.put_operation(_item(job), NEW), lock, claim_operation(claim, now)])
        except ConditionFailed as lost:
            if len(lost.reasons) > 2 and lost.reasons[2] == "ConditionalCheckFailed":
                raise ExportKeyClaimedError() from lost
            raise ExportRunningError() from lost

    def load(self, citizen_id: str, export_id: str) -> ExportJob | None:
        item = self._table.get(dynamo.export_key(citizen_id, export_id), consistent=True)
        return _job(item) if item else None

    def list(self, citizen_id: str, after: str | None, limit: int) -> Page[ExportJob]:
        pk = dynamo.export_key(citizen_id, "")["pk"]
        items, position = self._table.query_page(
            pk, dynamo.EXPORT_PREFIX, newest_first=True, limit=limit, after=after, consistent=True
        )
        return Page([_job(item) for item in items], position)

    def finish(self, before: ExportJob, after: ExportJob) -> bool:
        """Pending -> ready or failed, once (False when another run got there first); the lock is let go."""
        values = {":s": after.state.value, ":pending": ExportState.PENDING.value, ":forget": after.forget_at}
        values.update({":ready": after.ready_at or 0, ":failed": after.failed_at or 0, ":size": after.size})
        try:
            self._table.update(
                dynamo.export_key(before.citizen_id, before.export_id),
                "SET #s = :s, ready_at = :ready, failed_at = :failed, #z = :size, expires_at = :forget",
                values,
                condition="#s = :pending",
                names=_NAMES,
            )
        except ConditionFailed:
            return False
        self._table.delete_if(dynamo.export_lock_key(before.citizen_id), "export_id = :me", {":me": before.export_id})
        return True

    def mark_told(self, job: ExportJob) -> None:
        """Never recreates a record the account's erasure removed meanwhile."""
        try:
            self._table.update(
                dynamo.export_key(job.citizen_id, job.export_id), "SET told = :t", {":t": True}, "attribute_exists(pk)"
            )
        except ConditionFailed:
            return


def _item(job: ExportJob) -> dict[str, Any]:
    return {
        **dynamo.export_key(job.citizen_id, job.export_id),
        "export_id": job.export_id,
        "citizen_id": job.citizen_id,
        "requested_at": job.requested_at,
        "state": job.state.value,
        "expires_at": job.forget_at,
    }


def _job(item: dict[str, Any]) -> ExportJob:
    return ExportJob(
        export_id=item["export_id"],
        citizen_id=item["citizen_id"],
        requested_at=int(item["requested_at"]),
        state=ExportState(item["state"]),
        ready_at=int(item["ready_at"]) if item.get("ready_at") else None,
        failed_at=int(item["failed_at"]) if item.get("failed_at") else None,
        size=int(item.get("size", 0)),
        told=bool(item.get("told", False)),
    )
