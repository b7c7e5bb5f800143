"""Erasing one account from the table. Every item is found by a single-partition Query (the citizen's, the
person's, their GSI lists, the businesses they represent) or by a pointer one of those items holds; a pointer is
deleted before the item naming it, so a run cut short leaves nothing unreachable and the next run finishes.
What a law keeps (access log, paid tax payments, the issuer's handle on each credential it issued) is moved,
reduced, under a random person key in one transaction per record: kept or erased, never both and never neither."""

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters import dynamo, dynamo_buckets, dynamo_table
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.access_log import digest_month
from chalicelib.domain.erasure import kept_access_entry, kept_credential, kept_payment
from chalicelib.domain.instants import hour_bucket
from chalicelib.domain.notifications import token_key_for
from chalicelib.domain.tax_payments import PaymentState

_INDEX = "gsi1"
_LOG, _PAYMENT, _DOSSIER = "LOG#", "TAXPAY#", "D#"
_KEPT_CATEGORIES = {_LOG: "access_log", _PAYMENT: "tax_payments", dynamo.WALLET_PREFIX: "issued_credentials"}


class DynamoAccountEraser:
    def __init__(self, table: DynamoTable):
        self._table = table

    def unsettled_payments(self, person_key: str) -> int:
        """Paid payments the tax authority has not been told of yet: the erasure waits for them."""
        return sum(1 for item in self._items(dynamo.person_pk(person_key), _PAYMENT) if _paid_unsettled(item))

    def erase_citizen(self, citizen_id: str) -> None:
        """Sessions first (the account stops working at once), then the rest of the partition but its DELETION
        item, which marks the erasure's progress and goes last (finish)."""
        pk, progress_sk = dynamo.profile_key(citizen_id)["pk"], dynamo.deletion_request_key(citizen_id)["sk"]
        for item in self._items(pk, dynamo.SESSION_PREFIX):
            self._table.delete(_key(item))
        for item in self._items(pk):
            if item["sk"] != progress_sk:
                self._forget_pointers_of_citizen_item(citizen_id, item)
                self._table.delete(_key(item))

    def erase_person(self, person_key: str, kept_key: str, now: int) -> None:
        """The person's partition: kept records moved under `kept_key`, everything else erased with its pointers."""
        for item in self._items(dynamo.person_pk(person_key)):
            sk = item["sk"]
            if sk.startswith(_LOG):
                self._keep(item, {**kept_access_entry(item, now), "pk": dynamo.person_pk(kept_key)})
                self._table.delete(dynamo_buckets.access_month_key(digest_month(item["at"]), person_key))
            elif sk.startswith(dynamo.WALLET_PREFIX) and item.get("status_list_id") is not None:
                self._keep_credential(item, kept_key)
            elif sk.startswith(_PAYMENT) and item.get("status") == PaymentState.COMPLETED.value:
                self._release_locks(person_key, item)
                self._keep_payment(item, kept_key)
            else:
                self._forget_pointers_of_person_item(person_key, item)
                self._table.delete(_key(item))

    def erase_shares(self, person_key: str) -> None:
        for item in self._indexed(dynamo.person_shares_index(person_key, 0, "")["gsi1pk"]):
            self._table.delete(_key(item))

    def erase_delegations(self, person_key: str, represents: list[str]) -> None:
        """Grants the person received, and grants they made for the businesses they represent."""
        received = self._indexed(dynamo.delegate_grants_index(person_key, 0, "")["gsi1pk"])
        made = [
            item
            for tax_code in represents
            for item in self._items(dynamo.business_pk(tax_code), dynamo.DELEGATE_PREFIX)
            if item.get("granted_by_key") == person_key
        ]
        for item in received + made:
            ends = hour_bucket(datetime.fromtimestamp(int(item["expires_at"]), UTC))
            self._table.delete(dynamo_buckets.delegation_end_key(ends, item["tax_code"], item["delegate_key"]))
            self._table.delete(_key(item))

    def erase_tax(self, taxpayer_key: str) -> None:
        """The cached answers and the deadline index of the person as a taxpayer (their key is their person key)."""
        for item in self._items(dynamo.tax_answer_key(taxpayer_key, "")["pk"]):
            self._table.delete(_key(item))
        for pointer in self._items(dynamo.tax_obligation_pointer_key(taxpayer_key, "")["pk"]):
            obligation_id = pointer["sk"]
            if pointer.get("due_date"):
                self._table.delete(dynamo_buckets.tax_due_key(pointer["due_date"], taxpayer_key, obligation_id))
            self._table.delete(dynamo.tax_payment_lock_key(taxpayer_key, obligation_id))
            self._table.delete(_key(pointer))

    def count_exports(self, citizen_id: str) -> int:
        return len(self._items(dynamo.profile_key(citizen_id)["pk"], dynamo.EXPORT_PREFIX))

    def kept_count(self, kept_key: str) -> dict[str, int]:
        counts = dict.fromkeys(_KEPT_CATEGORIES.values(), 0)
        for item in self._items(dynamo.person_pk(kept_key)):
            counts[next(name for prefix, name in _KEPT_CATEGORIES.items() if item["sk"].startswith(prefix))] += 1
        return counts

    def _forget_pointers_of_citizen_item(self, citizen_id: str, item: dict[str, Any]) -> None:
        sk = item["sk"]
        if sk == "PROFILE" and item.get("eid_subject"):
            self._table.delete(dynamo.identity_key(item["eid_subject"]))  # a new login starts a fresh account
        elif sk.startswith(dynamo.DEVICE_PREFIX) and item.get("token"):
            owner = {":c": citizen_id}
            self._table.delete_if(dynamo.push_token_key(token_key_for(item["token"])), "citizen_id = :c", owner)
        elif sk == dynamo.citizen_calendar_feed_key(citizen_id)["sk"] and item.get("token_hash"):
            self._table.delete(dynamo.tax_calendar_feed_key(item["token_hash"]))

    def _forget_pointers_of_person_item(self, person_key: str, item: dict[str, Any]) -> None:
        sk = item["sk"]
        if sk.startswith(dynamo.WALLET_PREFIX):
            self._table.delete(dynamo.document_pointer_key(item["document_id"]))
            for upload_id in (item.get("upload_id"), item.get("pdf_upload_id")):
                if upload_id:
                    self._table.delete(dynamo.upload_key(upload_id))
        elif sk.startswith(_DOSSIER) and "#E#" not in sk:
            self._table.delete(dynamo.receipt_key(item["receipt_code"]))
            self._table.delete(dynamo.agency_dossier_key(item["agency_id"], item["dossier_id"]))
            if item.get("receipt_due_bucket"):
                self._table.delete(dynamo_buckets.receipt_due_key(item["receipt_due_bucket"], item["dossier_id"]))
        elif sk.startswith(_PAYMENT):
            self._release_locks(person_key, item)
            self._table.delete(dynamo.tax_payment_reference_key(item["reference"]))

    def _release_locks(self, person_key: str, payment: dict[str, Any]) -> None:
        """The obligations a payment held (one payment at a time per obligation): named by the person's key."""
        for line in json.loads(payment.get("lines") or "[]"):
            self._table.delete(dynamo.tax_payment_lock_key(person_key, line["obligation_id"]))

    def _keep(self, item: dict[str, Any], kept: dict[str, Any]) -> None:
        self._table.transact([dynamo_table.put_operation(kept), dynamo_table.delete_operation(_key(item))])

    def _keep_credential(self, item: dict[str, Any], kept_key: str) -> None:
        """The issuer's handle on a credential it issued (revoking it still works), under the kept key."""
        if item.get("pdf_upload_id"):
            self._table.delete(dynamo.upload_key(item["pdf_upload_id"]))
        kept = {**kept_credential(item), **dynamo.wallet_document_key(kept_key, item["document_id"])}
        pointer = {
            **dynamo.document_pointer_key(item["document_id"]),
            "person_key": kept_key,
            "issuer_agency_id": item["issuer_agency_id"],
        }
        operations = [dynamo_table.put_operation({**kept, "person_key": kept_key}), dynamo_table.put_operation(pointer)]
        self._table.transact([*operations, dynamo_table.delete_operation(_key(item))])

    def _keep_payment(self, item: dict[str, Any], kept_key: str) -> None:
        """The record, reduced, under the kept key; its gateway reference now points there (a late callback
        still finds it)."""
        kept = {**kept_payment(item), **dynamo.tax_payment_key(kept_key, item["payment_id"]), "person_key": kept_key}
        pointer = {
            **dynamo.tax_payment_reference_key(item["reference"]),
            "person_key": kept_key,
            "payment_id": item["payment_id"],
        }
        operations = [dynamo_table.put_operation(kept), dynamo_table.put_operation(pointer)]
        self._table.transact([*operations, dynamo_table.delete_operation(_key(item))])

    def _items(self, pk: str, sk_prefix: str = "") -> list[dict[str, Any]]:
        """Every item of a partition, all pages read before any item is changed (so no page skips one)."""
        return self._table.query_all(pk, sk_prefix, consistent=True)

    def _indexed(self, gsi1pk: str) -> list[dict[str, Any]]:
        return self._table.query_all(gsi1pk, index=_INDEX)


def _key(item: dict[str, Any]) -> dict[str, str]:
    return {"pk": item["pk"], "sk": item["sk"]}


def _paid_unsettled(item: dict[str, Any]) -> bool:
    return item.get("status") == PaymentState.COMPLETED.value and not item.get("settled")
