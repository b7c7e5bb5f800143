"""The local tax authority's books: obligations by year and payments reported to it, deduplicated by
the reporter's reference (the same report again answers the same receipt; a different one is a 409)."""

import threading
from datetime import datetime
from typing import Any

from devstack.tax_data import VIETNAM, TaxLedger


class Refusal(Exception):
    """What the local tax authority answers instead: a status and a JSON {error, error_description}."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.body = status, {"error": error, "error_description": description}


class PaymentBook:
    def __init__(self, ledger: TaxLedger) -> None:
        self._ledger = ledger
        self._lock = threading.Lock()
        self._by_reference: dict[str, dict[str, Any]] = {}
        self._owner = {item["obligation_id"]: code for code, items in ledger.obligations.items() for item in items}

    def know(self, obligation_id: str, code: str) -> None:
        """An obligation added after the start can be paid too."""
        with self._lock:
            self._owner[obligation_id] = code

    def obligations_of(self, code: str, year: int) -> list[dict[str, Any]]:
        """The obligations falling due in `year`."""
        with self._lock:
            return [
                dict(item)
                for item in self._ledger.obligations.get(code, [])
                if item["due_date"].startswith(f"{year:04d}-")
            ]

    def unpaid_of(self, code: str) -> list[dict[str, Any]]:
        """Every obligation not fully paid, whatever year it fell due: debts and deadlines ahead."""
        with self._lock:
            return [dict(item) for item in self._ledger.obligations.get(code, []) if item["outstanding_vnd"] > 0]

    def payments_of(self, code: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._ledger.payments.get(code, []))

    def reported(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._by_reference.values())

    def report(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        reference, ids, amount = body.get("reference"), body.get("obligation_ids"), body.get("amount_vnd")
        if not (
            isinstance(reference, str)
            and 0 < len(reference) <= 64
            and isinstance(ids, list)
            and ids
            and isinstance(amount, int)
            and not isinstance(amount, bool)
            and amount > 0
            and isinstance(body.get("paid_at"), str)
        ):
            raise Refusal(400, "invalid_request", "reference, obligation_ids, amount_vnd > 0 and paid_at are required")
        with self._lock:
            known = self._by_reference.get(reference)
            if known is not None:
                if known["obligation_ids"] != ids or known["amount_vnd"] != amount:
                    raise Refusal(409, "reference_conflict", "this reference was reported with other content")
                return 200, known
            if any(item not in self._owner for item in ids):
                raise Refusal(404, "not_found", "no such obligation")
            return 201, self._record(reference, ids, amount, body["paid_at"])

    def _record(self, reference: str, ids: list[str], amount: int, paid_at: str) -> dict[str, Any]:
        left = amount
        for item in self._items(ids):
            applied = min(left, item["outstanding_vnd"])
            item["paid_vnd"] += applied
            item["outstanding_vnd"] -= applied
            left -= applied
        receipt = {
            "receipt_number": f"CT-{datetime.now(VIETNAM):%Y%m%d}-{len(self._by_reference) + 1:06d}",
            "paid_at": paid_at,
            "amount_vnd": amount,
            "obligation_ids": ids,
            "reference": reference,
            "late_interest_vnd": left,
        }  # what exceeds the principal settles late-payment interest
        self._by_reference[reference] = receipt
        self._ledger.payments[self._owner[ids[0]]].append(receipt)
        return receipt

    def _items(self, ids: list[str]) -> list[dict[str, Any]]:
        return [
            item
            for code in {self._owner[i] for i in ids}
            for item in self._ledger.obligations[code]
            if item["obligation_id"] in ids
        ]
