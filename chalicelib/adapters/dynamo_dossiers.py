"""DynamoDB repository of dossiers: the dossier and its timeline in the person's partition, the receipt-code
index, the agency's list, deadline timers, documents landing on a dossier, and transactions that keep them in
step."""

import json

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.adapters import dynamo_dossier_items as shapes
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.adapters.dynamo_uploads import filed_operation
from chalicelib.domain.dossiers import (
    ONLINE,
    AccessEntry,
    AgencyDossierRow,
    Dossier,
    DossierEvent,
    IdempotencyClaim,
    ReceiptRecord,
    ReceiptTimer,
    StaleDossier,
    TooManyPendingFilings,
)
from chalicelib.domain.pages import Page
from chalicelib.domain.uploaded_documents import UPLOAD_KIND
from chalicelib.domain.wallet import MAX_ATTACHED


class DynamoDossierRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def create(
        self,
        dossier: Dossier,
        first_event: DossierEvent,
        pin_hash: str,
        access: AccessEntry | None,
        claim: IdempotencyClaim,
        receipt_due_ms: int | None = None,
        max_pending: int | None = None,
    ) -> None:
        """Everything about a new dossier in one transaction, with the Idempotency-Key that created it and, for
        an online dossier, its receipt timer and a place among the person's `max_pending` filings not yet
        received. StaleDossier when any of it already exists (a concurrent request with the same
        Idempotency-Key); TooManyPendingFilings when there is no place."""
        operations = [
            dynamo_table.put_operation(shapes.dossier_item(dossier), shapes.NEW),
            dynamo_table.put_operation(shapes.event_item(dossier, first_event), shapes.NEW),
            dynamo_table.put_operation(shapes.receipt_item(dossier, pin_hash), shapes.NEW),
            dynamo_table.put_operation(shapes.agency_item(dossier), shapes.NEW),
            shapes.claim_operation(claim, int(first_event.recorded_at)),
            *_filed_uploads(dossier),
        ]
        if receipt_due_ms is not None:
            operations.append(shapes.timer_operation(dossier, receipt_due_ms))
        if access is not None:
            operations.extend(shapes.access_operations(dossier.person_key, access))
        if max_pending is not None:
            operations.append(shapes.pending_filing_operation(dossier.person_key, +1, max_pending))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            if max_pending is not None and lost.reasons[-1:] == ["ConditionalCheckFailed"]:
                raise TooManyPendingFilings() from lost
            raise StaleDossier() from lost

    def load(self, person_key: str, dossier_id: str) -> tuple[Dossier, list[DossierEvent]] | None:
        """The dossier and its whole timeline in one Query of the person's partition."""
        items, start, pk = [], None, dynamo.person_pk(person_key)
        while True:
            page, start = self._table.query_page(pk, f"D#{dossier_id}", after=start, consistent=True, limit=200)
            items += page
            if not start:
                break
        head = next((i for i in items if i["sk"] == f"D#{dossier_id}"), None)
        if head is None:
            return None
        return shapes.dossier(head), [shapes.event(i) for i in items if i["sk"] != head["sk"]]

    def record_event(self, before: Dossier, after: Dossier, event: DossierEvent, access: AccessEntry) -> None:
        """Event, new state and access-log entry, or nothing: a duplicate event or a concurrent writer loses."""
        state = dynamo_table.update_operation(
            dynamo.dossier_key(after.person_key, after.dossier_id),
            "SET #s = :s, status_ms = :ms, version = :v, result_document_id = :r",
            {
                ":s": after.status,
                ":ms": after.status_ms,
                ":v": after.version,
                ":r": after.result_document_id,
                ":old": before.version,
            },
            condition="version = :old",
        )
        state["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
        operations = [
            dynamo_table.put_operation(shapes.event_item(after, event), shapes.NEW),
            state,
            *shapes.access_operations(after.person_key, access),
            shapes.agency_status(after),
        ]
        if before.channel == ONLINE and before.status == "submitted" and after.status != "submitted":
            operations.append(shapes.pending_filing_operation(after.person_key, -1))
        if after.receipt_due_bucket and event.status != "submitted":
            operations.append(
                {
                    "Delete": {
                        "Key": dynamo_table.to_item(
                            dynamo_buckets.receipt_due_key(after.receipt_due_bucket, after.dossier_id)
                        )
                    }
                }
            )
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise StaleDossier() from lost

    def mark_published(self, person_key: str, dossier_id: str, event_id: str) -> None:
        self._table.update(
            dynamo.dossier_event_key(person_key, dossier_id, event_id),
            "SET published = :t",
            {":t": True},
            condition="attribute_exists(pk)",
        )

    def find_receipt(self, receipt_code: str) -> ReceiptRecord | None:
        item = self._table.get(dynamo.receipt_key(receipt_code), consistent=True)
        if item is None:
            return None
        return ReceiptRecord(
            receipt_code=receipt_code,
            person_key=item["person_key"],
            dossier_id=item["dossier_id"],
            agency_id=item["agency_id"],
            pin_hash=str(item.get("pin_hash", "")),
        )

    def citizen_of(self, person_key: str) -> str | None:
        """The citizen who logged in with this person's eID, if they ever did."""
        item = self._table.get(dynamo.person_link_key(person_key))
        return item["citizen_id"] if item else None

    def due_timers(self, hour_bucket: str) -> list[ReceiptTimer]:
        items, start = [], None
        while True:
            page, start = self._table.query_page(dynamo_buckets.receipt_due_pk(hour_bucket), after=start, limit=200)
            items += page
            if not start:
                return [
                    ReceiptTimer(
                        dossier_id=i["sk"],
                        person_key=i["person_key"],
                        due_ms=int(i["due_ms"]),
                        flagged=bool(i.get("flagged")),
                    )
                    for i in items
                ]

    def flag_overdue_receipt(self, dossier: Dossier) -> bool:
        """Dossier and agency row flagged, the timer marked: once, and only while still submitted."""
        timer = dynamo_buckets.receipt_due_key(dossier.receipt_due_bucket, dossier.dossier_id)
        flag = dynamo_table.update_operation(
            dynamo.dossier_key(dossier.person_key, dossier.dossier_id),
            "SET overdue_receipt = :t",
            {":t": True, ":s": "submitted"},
            condition="#s = :s",
        )
        flag["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
        operations = [
            flag,
            dynamo_table.update_operation(
                dynamo.agency_dossier_key(dossier.agency_id, dossier.dossier_id),
                "SET overdue_receipt = :t",
                {":t": True},
            ),
            dynamo_table.update_operation(
                timer,
                "SET flagged = :t",
                {":t": True},
                condition="attribute_exists(pk) AND attribute_not_exists(flagged)",
            ),
        ]
        try:
            self._table.transact(operations)
            return True
        except ConditionFailed:
            return False

    def delete_timer(self, hour_bucket: str, dossier_id: str) -> None:
        self._table.delete(dynamo_buckets.receipt_due_key(hour_bucket, dossier_id))

    def rate(self, person_key: str, dossier_id: str, score: int, comment: str) -> bool:
        """Only a completed dossier, and only once: a second rating (even a concurrent one) loses."""
        try:
            self._table.update(
                dynamo.dossier_key(person_key, dossier_id),
                "SET rating = :r, rating_comment = :c",
                {":r": score, ":c": comment, ":done": "completed"},
                condition="attribute_exists(pk) AND attribute_not_exists(rating) AND #s = :done",
                names={"#s": "status"},
            )
            return True
        except ConditionFailed:
            return False

    def list_for_person(self, person_key: str, status: str, after: str | None, limit: int) -> Page[Dossier]:
        index_pk = dynamo.person_dossiers_index(person_key, "")["gsi1pk"]
        items, last = self._table.query_page(index_pk, index="gsi1", newest_first=True, after=after, limit=limit)
        return Page([shapes.dossier(i) for i in items if not status or i["status"] == status], last)

    def list_for_agency(self, agency_id: str, status: str, after: str | None, limit: int) -> Page[AgencyDossierRow]:
        items, last = self._table.query_page(
            dynamo.agency_dossiers_pk(agency_id), newest_first=True, after=after, limit=limit
        )
        return Page([shapes.agency_row(i) for i in items if not status or i["status"] == status], last)

    def attach_document(self, person_key: str, dossier_id: str, attached: dict) -> bool:
        """Adds a document to the dossier and to the agency's row in one transaction, conditional on the list read,
        so two uploads landing at once both stay. True when it is there (already, or now); False when the dossier
        is gone or holds MAX_ATTACHED."""
        for _ in range(_ATTACH_ATTEMPTS):
            item = self._table.get(dynamo.dossier_key(person_key, dossier_id), consistent=True)
            if item is None:
                return False
            before = item.get("documents") or "[]"
            documents = json.loads(before)
            if any(document["document_id"] == attached["document_id"] for document in documents):
                return True
            if len(documents) >= MAX_ATTACHED:
                return False
            after = json.dumps([*documents, attached], ensure_ascii=False)
            try:
                self._table.transact(_attach_operations(item, before, after))
                return True
            except ConditionFailed:
                continue  # another document landed meanwhile: read again
        raise StaleDossier()


_ATTACH_ATTEMPTS = 5


def _filed_uploads(dossier: Dossier) -> list[dict]:
    return [
        filed_operation(dossier.person_key, document["document_id"], dossier.dossier_id)
        for document in dossier.documents
        if document.get("kind") == UPLOAD_KIND
    ]


def _attach_operations(item: dict, before: str, after: str) -> list[dict]:
    mine = dynamo_table.update_operation(
        {"pk": item["pk"], "sk": item["sk"]},
        "SET #d = :after",
        {":after": after, ":before": before},
        condition="#d = :before OR attribute_not_exists(#d)",
    )
    agencys = dynamo_table.update_operation(
        dynamo.agency_dossier_key(item["agency_id"], item["dossier_id"]), "SET #d = :after", {":after": after}
    )
    for operation in (mine, agencys):
        operation["Update"]["ExpressionAttributeNames"] = {"#d": "documents"}
    return [mine, agencys]
