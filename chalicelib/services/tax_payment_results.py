"""The gateway's signed result of a tax payment, and what follows a completed one: the authority is told (by
our reference, which it dedupes), the citizen's cached tax data is refreshed, the e-receipt is issued into the
wallet and the citizen is notified. Each step is idempotent and recorded, so a replayed callback or the sweep
(`settle_unsettled`, on a schedule) finishes what an outage of the authority interrupted, and never twice."""

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from chalicelib import logs
from chalicelib.domain.dossiers import body_fingerprint
from chalicelib.domain.events import TaxPaymentChanged
from chalicelib.domain.tax import TaxAnswer, vietnam_today
from chalicelib.domain.tax_payments import (
    SETTLING_LOCK_SECONDS,
    PaymentState,
    StalePaymentError,
    TaxPaymentRecord,
    result_changes,
)
from chalicelib.domain.wallet import DocumentIssue
from chalicelib.errors import AppError, AuthenticationError, ConflictError, NotFoundError, ValidationError
from chalicelib.services.filing import Idempotent
from chalicelib.services.tax_ports import TaxPaymentPorts

RECEIPT_TYPE = "TAX_RECEIPT"
_ATTEMPTS = 3
_FALLBACK_AUTHORITY = "Cơ quan thuế"


def handle_callback(ports: TaxPaymentPorts, params: Mapping[str, str]) -> TaxPaymentRecord:
    """Forged, unknown or amount-tampered results change nothing and are logged (never the parameters: they
    carry the signature); a replay answers the payment as it is, finishing its follow-ups if they are due."""
    record, status, txn = _checked_result(ports, params)
    for _ in range(_ATTEMPTS):
        change = result_changes(record.status, status)
        if change is None:
            logs.log("payment_callback_contradicts", level="WARNING", payment_id=record.payment_id, status=status.value)
            raise ConflictError("payment_already_completed")
        if not change:
            break
        after = replace(record, status=status, gateway_txn_id=txn, paid_at=_paid_at(ports, status))
        try:
            ports.payments.record_result(record, after)
        except StalePaymentError:
            record = _by_reference(ports, record.reference)  # a twin callback came first: judge again
            continue
        record = after
        _hold_or_release(ports, record)
        break
    else:
        raise ConflictError("conflict")
    _notify(ports, record)
    return settle(ports, record) if record.status == PaymentState.COMPLETED and not record.settled else record


def _hold_or_release(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> None:
    """A paid obligation stays in this payment until the authority has it (then nothing is outstanding); a failed
    payment lets its obligations be paid again at once."""
    completed = record.status == PaymentState.COMPLETED
    ports.payments.hold_locks(record, int(ports.clock()) + SETTLING_LOCK_SECONDS if completed else 0)


def _checked_result(ports: TaxPaymentPorts, params: Mapping[str, str]) -> tuple[TaxPaymentRecord, PaymentState, str]:
    try:
        result = ports.gateway.verify_callback(params)
    except (AuthenticationError, ValidationError) as refused:
        logs.log("payment_callback_refused", level="WARNING", reason=refused.code)
        raise
    record = ports.payments.find_by_reference(result.reference)
    if record is None:
        logs.log("payment_callback_refused", level="WARNING", reason="payment_not_found")
        raise NotFoundError("payment_not_found")
    if result.amount_vnd != record.amount_vnd:
        # A valid signature over another amount: the gateway or its key is not what it should be.
        logs.log(
            "payment_callback_refused", level="ERROR", reason="payment_amount_mismatch", payment_id=record.payment_id
        )
        raise ConflictError("payment_amount_mismatch")
    return record, PaymentState(result.status.value), result.gateway_txn_id


def _paid_at(ports: TaxPaymentPorts, status: PaymentState) -> int:
    return int(ports.clock()) if status == PaymentState.COMPLETED else 0


def _by_reference(ports: TaxPaymentPorts, reference: str) -> TaxPaymentRecord:
    record = ports.payments.find_by_reference(reference)
    if record is None:
        raise NotFoundError("payment_not_found")
    return record


def settle(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> TaxPaymentRecord:
    """Report to the authority, refresh the cache, issue the e-receipt; stops (to be resumed) at the first
    step that cannot be done now."""
    try:
        if not record.receipt_number:
            record = _reported(ports, record)
        if not record.receipt_document_id:
            record = replace(record, receipt_document_id=_issue_receipt(ports, record))
    except AppError as later:
        logs.log("tax_payment_settle_deferred", level="WARNING", payment_id=record.payment_id, reason=later.code)
        return record
    record = replace(record, settled=True)
    ports.payments.record_progress(record)
    ports.payments.hold_locks(record, 0)  # the authority shows the obligations paid now
    return record


def settle_unsettled(ports: TaxPaymentPorts, limit: int = 25) -> int:
    """The sweep: completed payments still unsettled, oldest first; stops at the first it cannot finish (the
    authority is likely still down: the next run tries again)."""
    settled = 0
    for record in ports.payments.unsettled(limit):
        if not settle(ports, record).settled:
            break
        settled += 1
    return settled


def _reported(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> TaxPaymentRecord:
    paid_at = datetime.fromtimestamp(record.paid_at, UTC)
    receipt = ports.registry.report_payment(record.obligation_ids, record.amount_vnd, record.reference, paid_at)
    record = replace(record, receipt_number=receipt.receipt_number)
    ports.payments.record_progress(record)
    _refresh_cache(ports, record)
    logs.log("tax_payment_reported", payment_id=record.payment_id)
    return record


def _refresh_cache(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> None:
    """The citizen's next read shows the obligations paid and the new receipt; if the authority cannot say so
    now, the copies kept say what it said before until they age out."""
    now = int(ports.clock())
    try:
        for year in sorted({int(line.due_date[:4]) for line in record.lines}):
            obligations = ports.registry.list_obligations(record.tax_code, year)
            ports.cache.keep(record.tax_code, f"obligations:{year}", TaxAnswer(obligations, now))
        ports.cache.keep(record.tax_code, "payments", TaxAnswer(ports.registry.list_payments(record.tax_code), now))
    except AppError as error:
        logs.log("tax_cache_refresh_skipped", level="WARNING", reason=error.code)


def _issue_receipt(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> str:
    claims = receipt_claims(record, _tax_office_name(ports, record.tax_code))
    data = DocumentIssue(record.tax_code, RECEIPT_TYPE, claims, None)
    fingerprint = body_fingerprint(json.dumps(claims, sort_keys=True, ensure_ascii=False))
    return ports.issue_document(record.person_key, data, Idempotent(record.payment_id, fingerprint), int(ports.clock()))


def receipt_claims(record: TaxPaymentRecord, authority: str) -> dict:
    """One e-receipt per payment: its taxes and periods joined (within the type's lengths)."""
    names = "; ".join(dict.fromkeys(line.tax_name_vi for line in record.lines))
    periods = ", ".join(dict.fromkeys(line.period for line in record.lines))
    return {
        "taxpayer_name": record.taxpayer_name[:200] or record.tax_code,
        "tax_code": record.tax_code,
        "tax_type": names[:100],
        "tax_period": periods[:20],
        "amount_vnd": record.amount_vnd,
        "payment_date": vietnam_today(datetime.fromtimestamp(record.paid_at, UTC)).isoformat(),
        "receipt_number": record.receipt_number,
        "issuing_authority": authority[:200],
    }


def _tax_office_name(ports: TaxPaymentPorts, tax_code: str) -> str:
    kept = ports.cache.read(tax_code, "profile")
    if kept is not None:
        return kept.value.tax_office.name
    try:
        return ports.registry.get_profile(tax_code).tax_office.name
    except AppError:
        return _FALLBACK_AUTHORITY


def _notify(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> None:
    """Told again on a replay (the notification worker dedupes by event id): a crash after the write loses nothing."""
    message = TaxPaymentChanged(
        event_id=f"{record.payment_id}-{record.status.value}",
        citizen_id=record.citizen_id,
        payment_id=record.payment_id,
        reference=record.reference,
        status=record.status.value,
        tax_names_vi="; ".join(dict.fromkeys(line.tax_name_vi for line in record.lines)),
        tax_names_en="; ".join(dict.fromkeys(line.tax_name_en for line in record.lines)),
    )
    ports.publisher.publish(message.to_message())
