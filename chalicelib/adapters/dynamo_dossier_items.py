"""The DynamoDB item shapes of dossiers: dossier, timeline event, receipt index, agency row, receipt timer,
idempotency claim and access-log entry, to items and back (keys from dynamo.py)."""

import json
import secrets
from dataclasses import asdict, fields
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.domain.access_log import digest_month
from chalicelib.domain.dossiers import AccessEntry, AgencyDossierRow, Dossier, DossierEvent, IdempotencyClaim

_DOSSIER_FIELDS = {f.name for f in fields(Dossier)}
_EVENT_FIELDS = {f.name for f in fields(DossierEvent)}
NEW = "attribute_not_exists(pk)"
IDEMPOTENCY_TTL = 24 * 3600


def dossier_item(dossier: Dossier) -> dict[str, Any]:
    values = {
        **asdict(dossier),
        "form": json.dumps(dossier.form, ensure_ascii=False),
        "documents": json.dumps(list(dossier.documents), ensure_ascii=False),
    }
    return {
        **dynamo.dossier_key(dossier.person_key, dossier.dossier_id),
        **dynamo.person_dossiers_index(dossier.person_key, dossier.dossier_id),
        **values,
    }


def dossier(item: dict[str, Any]) -> Dossier:
    values = {k: v for k, v in item.items() if k in _DOSSIER_FIELDS}
    values["form"] = json.loads(values.get("form") or "{}")
    values["documents"] = tuple(json.loads(values.get("documents") or "[]"))
    for name in ("status_ms", "statutory_days", "version"):
        values[name] = int(values[name])
    if values.get("rating") is not None:
        values["rating"] = int(values["rating"])
    return Dossier(**values)


def event_item(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    values = {**asdict(event), "requested_documents": list(event.requested_documents)}
    return {**dynamo.dossier_event_key(dossier.person_key, dossier.dossier_id, event.event_id), **values}


def event(item: dict[str, Any]) -> DossierEvent:
    values = {k: v for k, v in item.items() if k in _EVENT_FIELDS}
    values.update(
        occurred_ms=int(values["occurred_ms"]),
        recorded_at=int(values.get("recorded_at", 0)),
        requested_documents=tuple(values.get("requested_documents", [])),
    )
    return DossierEvent(**values)


def receipt_item(dossier: Dossier, pin_hash: str) -> dict[str, Any]:
    return {
        **dynamo.receipt_key(dossier.receipt_code),
        "person_key": dossier.person_key,
        "dossier_id": dossier.dossier_id,
        "agency_id": dossier.agency_id,
        "pin_hash": pin_hash,
    }


def agency_item(dossier: Dossier) -> dict[str, Any]:
    return {
        **dynamo.agency_dossier_key(dossier.agency_id, dossier.dossier_id),
        "dossier_id": dossier.dossier_id,
        "person_key": dossier.person_key,
        "receipt_code": dossier.receipt_code,
        "procedure_code": dossier.procedure_code,
        "channel": dossier.channel,
        "status": dossier.status,
        "submitted_at": dossier.submitted_at,
        "due_date": dossier.due_date,
        "applicant_name": dossier.applicant_name,
        "form": json.dumps(dossier.form, ensure_ascii=False),
        "overdue_receipt": dossier.overdue_receipt,
        "documents": json.dumps(list(dossier.documents), ensure_ascii=False),
    }


def agency_row(item: dict[str, Any]) -> AgencyDossierRow:
    return AgencyDossierRow(
        dossier_id=item["dossier_id"],
        person_key=item["person_key"],
        receipt_code=item["receipt_code"],
        procedure_code=item["procedure_code"],
        channel=item["channel"],
        status=item["status"],
        submitted_at=item["submitted_at"],
        due_date=item["due_date"],
        applicant_name=item.get("applicant_name", ""),
        form=json.loads(item.get("form") or "{}"),
        overdue_receipt=bool(item.get("overdue_receipt", False)),
        documents=tuple(json.loads(item.get("documents") or "[]")),
    )


def timer_operation(dossier: Dossier, due_ms: int) -> dict[str, Any]:
    return dynamo_table.put_operation(
        {
            **dynamo_buckets.receipt_due_key(dossier.receipt_due_bucket, dossier.dossier_id),
            "person_key": dossier.person_key,
            "due_ms": due_ms,
        },
        NEW,
    )


def claim_operation(claim: IdempotencyClaim, now: int) -> dict[str, Any]:
    """The key is claimed in the same write as what it created; the answer is kept to replay it for 24 hours."""
    return dynamo_table.put_operation(
        {
            **dynamo.idempotency_key(claim.scope, claim.key),
            "fingerprint": claim.fingerprint,
            "answer": json.dumps(claim.answer, ensure_ascii=False),
            "expires_at": now + IDEMPOTENCY_TTL,
        },
        NEW,
    )


def agency_status(dossier: Dossier) -> dict[str, Any]:
    operation = dynamo_table.update_operation(
        dynamo.agency_dossier_key(dossier.agency_id, dossier.dossier_id), "SET #s = :s", {":s": dossier.status}
    )
    operation["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
    return operation


def access_operations(person_key: str, entry: AccessEntry) -> list[dict[str, Any]]:
    """The entry and the person's mark in the month's index (rewritten by each entry of the month)."""
    month = dynamo_buckets.access_month_key(digest_month(entry.at), person_key)
    return [dynamo_table.put_operation(access_item(person_key, entry)), dynamo_table.put_operation(month)]


def access_item(person_key: str, entry: AccessEntry) -> dict[str, Any]:
    return {**dynamo.access_log_key(person_key, entry.at, secrets.token_hex(4)), **asdict(entry)}


def pending_filing_operation(person_key: str, change: int, cap: int | None = None) -> dict[str, Any]:
    """The count of a person's online filings not yet received: +1 within the cap on filing, -1 when received
    (or any later status). Counted, not queried, so concurrent filings cannot pass the cap together."""
    key = dynamo.pending_filings_key(person_key)
    if cap is None:
        return dynamo_table.update_operation(key, "ADD pending :change", {":change": change})
    condition = "attribute_not_exists(pending) OR pending < :cap"
    return dynamo_table.update_operation(key, "ADD pending :change", {":change": change, ":cap": cap}, condition)
