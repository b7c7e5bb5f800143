"""DynamoDB repository of tax payments: in the person's partition (another citizen's payment is simply not
there), found by the gateway's reference through a pointer item, created with its Idempotency-Key in one
transaction, moved by the gateway's result with one conditional write, and listed while unsettled (a sparse
index the sweep queries)."""

import json
from dataclasses import asdict, replace
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import NEW, claim_operation
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.tax_payments import (
    SETTLING_LOCK_SECONDS,
    ObligationLockedError,
    PaymentLine,
    PaymentState,
    StalePaymentError,
    TaxPaymentRecord,
)

# A payment nobody paid is forgotten a month after its expiry (the table's TTL attribute is `expires_at`, so
# the payment's own expiry is kept as `pay_until`); a completed one is kept.
UNPAID_KEPT_SECONDS = 30 * 86400
_STATUS = {"#s": "status"}


class DynamoTaxPayments:
    def __init__(self, table: DynamoTable):
        self._table = table

    def create(self, record: TaxPaymentRecord, claim: IdempotencyClaim, now: int) -> None:
        forget_at = record.expires_at + UNPAID_KEPT_SECONDS
        pointer = {
            **dynamo.tax_payment_reference_key(record.reference),
            "person_key": record.person_key,
            "payment_id": record.payment_id,
        }
        operations = [
            dynamo_table.put_operation({**payment_item(record), "expires_at": forget_at}, NEW),
            dynamo_table.put_operation(pointer, NEW),
            claim_operation(claim, now),
            *(
                _lock_operation(record, obligation_id, record.expires_at, now)
                for obligation_id in record.obligation_ids
            ),
        ]
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            # The claim (third) taken: a twin request with this key; otherwise a lock: another live payment.
            if len(lost.reasons) > 2 and lost.reasons[2] == "ConditionalCheckFailed":
                raise StalePaymentError() from lost
            raise ObligationLockedError() from lost

    def load(self, person_key: str, payment_id: str) -> TaxPaymentRecord | None:
        item = self._table.get(dynamo.tax_payment_key(person_key, payment_id), consistent=True)
        return payment_of(item) if item else None

    def find_by_reference(self, reference: str) -> TaxPaymentRecord | None:
        pointer = self._table.get(dynamo.tax_payment_reference_key(reference), consistent=True)
        return self.load(pointer["person_key"], pointer["payment_id"]) if pointer else None

    def record_result(self, before: TaxPaymentRecord, after: TaxPaymentRecord) -> None:
        """A completed payment is kept (no TTL) and joins the unsettled index until its follow-ups are done."""
        values: dict[str, Any] = {
            ":s": after.status.value,
            ":before": before.status.value,
            ":paid": after.paid_at,
            ":txn": after.gateway_txn_id,
        }
        expression = "SET #s = :s, paid_at = :paid, gateway_txn_id = :txn"
        if after.status == PaymentState.COMPLETED:
            values.update({":gpk": dynamo_buckets.UNSETTLED_TAX_PAYMENTS, ":gsk": _unsettled_sk(after)})
            expression += ", gsi1pk = :gpk, gsi1sk = :gsk REMOVE expires_at"
        try:
            self._table.update(
                dynamo.tax_payment_key(after.person_key, after.payment_id),
                expression,
                values,
                condition="#s = :before",
                names=_STATUS,
            )
        except ConditionFailed as lost:
            raise StalePaymentError() from lost

    def hold_locks(self, record: TaxPaymentRecord, until: int) -> None:
        """A paid obligation stays locked until settled; a failed payment's are let go. Only this payment's."""
        for obligation_id in record.obligation_ids:
            try:
                self._table.update(
                    dynamo.tax_payment_lock_key(record.person_key, obligation_id),
                    "SET #until = :until",
                    {":until": until, ":me": record.payment_id},
                    condition="payment_id = :me",
                    names={"#until": "until"},
                )
            except ConditionFailed:
                continue  # already another payment's (this one had expired)

    def record_progress(self, record: TaxPaymentRecord) -> None:
        expression = "SET receipt_number = :r, receipt_document_id = :d, settled = :settled"
        if record.settled:
            expression += " REMOVE gsi1pk, gsi1sk"
        values = {":r": record.receipt_number, ":d": record.receipt_document_id, ":settled": record.settled}
        self._table.update(dynamo.tax_payment_key(record.person_key, record.payment_id), expression, values)

    def unsettled(self, limit: int) -> list[TaxPaymentRecord]:
        items, _ = self._table.query_page(dynamo_buckets.UNSETTLED_TAX_PAYMENTS, index="gsi1", limit=limit)
        found = [self.load(item["person_key"], item["payment_id"]) for item in items]
        return [record for record in found if record is not None and not record.settled]


def _lock_operation(record: TaxPaymentRecord, obligation_id: str, until: int, now: int) -> dict[str, Any]:
    """Taken when free, or when the payment holding it can no longer be paid (its `until` passed)."""
    item = {
        **dynamo.tax_payment_lock_key(record.person_key, obligation_id),
        "payment_id": record.payment_id,
        "until": until,
        "expires_at": until + SETTLING_LOCK_SECONDS,
    }
    return dynamo_table.lease_operation(item, now)


def _unsettled_sk(record: TaxPaymentRecord) -> str:
    return dynamo_buckets.unsettled_tax_payment_index(record.paid_at, record.payment_id)["gsi1sk"]


def payment_item(record: TaxPaymentRecord) -> dict[str, Any]:
    values = asdict(record)
    values.update(
        status=record.status.value,
        lines=json.dumps([asdict(line) for line in record.lines], ensure_ascii=False),
        pay_until=record.expires_at,
    )
    del values["expires_at"]
    return {**dynamo.tax_payment_key(record.person_key, record.payment_id), **values}


def payment_of(item: dict[str, Any]) -> TaxPaymentRecord:
    lines = tuple(PaymentLine(**line) for line in json.loads(item["lines"]))
    record = TaxPaymentRecord(
        payment_id=item["payment_id"],
        reference=item["reference"],
        person_key=item["person_key"],
        citizen_id=item["citizen_id"],
        tax_code=item["tax_code"],
        lines=lines,
        amount_vnd=int(item["amount_vnd"]),
        status=PaymentState(item["status"]),
        created_at=int(item["created_at"]),
        expires_at=int(item["pay_until"]),
        gateway_url=item["gateway_url"],
        vietqr=item["vietqr"],
    )
    return replace(
        record,
        taxpayer_name=item.get("taxpayer_name", ""),
        paid_at=int(item.get("paid_at", 0)),
        gateway_txn_id=item.get("gateway_txn_id", ""),
        receipt_number=item.get("receipt_number", ""),
        receipt_document_id=item.get("receipt_document_id", ""),
        settled=bool(item.get("settled", False)),
    )
