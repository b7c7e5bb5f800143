"""DynamoDB repository of uploaded documents: in the person's wallet partition beside issued documents (kind
"upload"), found by upload id (the worker) and by document id (the pointer issued documents use), created with
their Idempotency-Key in one transaction, and moved out of `pending` by one conditional write."""

from decimal import Decimal
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import NEW, claim_operation
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.uploaded_documents import PENDING_UPLOAD_SECONDS, UPLOAD_KIND, UploadedDocument
from chalicelib.domain.uploads import UploadStatus
from chalicelib.domain.wallet import StaleDocument

_PENDING = "#s = :pending"
_STATUS = {"#s": "status"}
FILED_IN = "filed_in"  # a string set of dossier ids


class DynamoUploadRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def create(self, document: UploadedDocument, claim: IdempotencyClaim, now: int) -> None:
        """StaleDocument when the Idempotency-Key was claimed meanwhile (a concurrent twin request). Pending
        items carry the table's TTL: what was never uploaded goes away by itself."""
        until = document.created_at + PENDING_UPLOAD_SECONDS
        pointer = {**dynamo.document_pointer_key(document.document_id), "person_key": document.person_key}
        upload = {
            **dynamo.upload_key(document.upload_id),
            "person_key": document.person_key,
            "citizen_id": document.citizen_id,
            "document_id": document.document_id,
        }
        operations = [
            dynamo_table.put_operation({**upload_item(document), "expires_at": until}, NEW),
            dynamo_table.put_operation({**pointer, "issuer_agency_id": "", "expires_at": until}, NEW),
            dynamo_table.put_operation({**upload, "expires_at": until}, NEW),
            claim_operation(claim, now),
        ]
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise StaleDocument() from lost

    def find_upload(self, upload_id: str) -> tuple[str, str, str] | None:
        """(person_key, citizen_id, document_id) of an upload, as the worker knows it from the raw key."""
        item = self._table.get(dynamo.upload_key(upload_id), consistent=True)
        return (item["person_key"], item["citizen_id"], item["document_id"]) if item else None

    def load(self, person_key: str, document_id: str) -> UploadedDocument | None:
        item = self._table.get(dynamo.wallet_document_key(person_key, document_id), consistent=True)
        return upload_of(item) if item and item.get("kind") == UPLOAD_KIND else None

    def count_pending(self, person_key: str, now: int, at_most: int) -> int:
        """Pending uploads not yet stale, up to `at_most` (the index is eventually consistent: a burst of
        parallel requests may pass the cap by a few, which the rate limit bounds)."""
        pending, after = 0, None
        pk = dynamo.pending_uploads_index(person_key, "")["gsi1pk"]
        while pending < at_most:
            items, after = self._table.query_page(pk, index="gsi1", newest_first=True, after=after, limit=100)
            pending += sum(1 for item in items if int(item["created_at"]) + PENDING_UPLOAD_SECONDS > now)
            if not after:
                break
        return pending

    def finish(self, document: UploadedDocument) -> bool:
        """pending -> ready/rejected, only from pending: False when another delivery (or a delete) came first.
        Leaves the pending index and drops the TTL, with the id pointer's, in the same transaction."""
        update = dynamo_table.update_operation(
            dynamo.wallet_document_key(document.person_key, document.document_id),
            "SET #s = :s, reason = :reason, processed_at = :at, processed_kind = :kind, content_type = :type, "
            "width = :w, height = :h, page_count = :pages REMOVE gsi1pk, gsi1sk, expires_at",
            {":pending": UploadStatus.PENDING.value, **_finished_values(document)},
            condition=_PENDING,
        )
        update["Update"]["ExpressionAttributeNames"] = _STATUS
        pointer = {**dynamo.document_pointer_key(document.document_id), "person_key": document.person_key}
        try:
            self._table.transact([update, dynamo_table.put_operation({**pointer, "issuer_agency_id": ""})])
        except ConditionFailed:
            return False
        return True

    def delete(self, document: UploadedDocument) -> None:
        self._table.transact(
            [
                dynamo_table.delete_operation(dynamo.wallet_document_key(document.person_key, document.document_id)),
                dynamo_table.delete_operation(dynamo.document_pointer_key(document.document_id)),
                dynamo_table.delete_operation(dynamo.upload_key(document.upload_id)),
            ]
        )


def _finished_values(document: UploadedDocument) -> dict[str, Any]:
    return {
        ":s": document.status.value,
        ":reason": document.reason,
        ":at": document.processed_at,
        ":kind": document.kind,
        ":type": document.content_type,
        ":w": document.width,
        ":h": document.height,
        ":pages": document.page_count or 0,  # 0: not a PDF (an attribute cannot be null here)
    }


def upload_item(document: UploadedDocument) -> dict[str, Any]:
    return {
        **dynamo.wallet_document_key(document.person_key, document.document_id),
        **dynamo.pending_uploads_index(document.person_key, document.document_id),
        "kind": UPLOAD_KIND,
        "document_id": document.document_id,
        "upload_id": document.upload_id,
        "person_key": document.person_key,
        "citizen_id": document.citizen_id,
        "purpose": document.purpose,
        "dossier_id": document.dossier_id,
        "declared_type": document.declared_type,
        "declared_size": document.declared_size,
        "created_at": document.created_at,
        "status": document.status.value,
    }


def upload_of(item: dict[str, Any]) -> UploadedDocument:
    pages = item.get("page_count")
    processed_at = item.get("processed_at")
    return UploadedDocument(
        document_id=item["document_id"],
        upload_id=item["upload_id"],
        person_key=item["person_key"],
        citizen_id=item["citizen_id"],
        purpose=item["purpose"],
        dossier_id=item.get("dossier_id", ""),
        declared_type=item["declared_type"],
        declared_size=int(item["declared_size"]),
        created_at=int(item["created_at"]),
        status=UploadStatus(item["status"]),
        reason=item.get("reason", ""),
        processed_at=int(processed_at) if isinstance(processed_at, Decimal | int) else None,
        kind=item.get("processed_kind", ""),
        content_type=item.get("content_type", ""),
        width=int(item.get("width", 0)),
        height=int(item.get("height", 0)),
        page_count=int(pages) if isinstance(pages, Decimal | int) and pages else None,
        filed_in=tuple(sorted(item.get(FILED_IN) or ())),
    )


def filed_operation(person_key: str, document_id: str, dossier_id: str) -> dict[str, Any]:
    """Marks a ready upload as filed with a dossier, in the filing's transaction: it fails the filing when the
    upload was deleted meanwhile, and from then on the citizen cannot delete what the agency's record links."""
    update = dynamo_table.update_operation(
        dynamo.wallet_document_key(person_key, document_id),
        "ADD #f :dossier",
        {":dossier": {dossier_id}, ":ready": UploadStatus.READY.value},
        condition="#s = :ready",
    )
    update["Update"]["ExpressionAttributeNames"] = {"#f": FILED_IN, **_STATUS}
    return update
