"""The public status lookup by receipt code and pin (the paper receipt's QR): status only, no personal data.

A wrong pin and an unknown receipt look the same, and both count towards the same lock.
"""

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.errors import NotFoundError, TooManyRequestsError
from chalicelib.services.dossier_ports import DossierPorts


@dataclass(frozen=True)
class ReceiptStatus:
    receipt_code: str
    status: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    updated_at: str


def look_up(receipt_code: str, pin: str, ports: DossierPorts, now: int) -> ReceiptStatus:
    receipt = ports.dossiers.find_receipt(receipt_code)
    locked_for = ports.dossiers.claim_pin_attempt(receipt_code, receipt is not None, now)
    if locked_for:
        raise TooManyRequestsError("lookup_locked", retry_after=locked_for)
    expected = ports.person_keys.pin_hash(receipt_code, pin)
    if receipt is None or not hmac.compare_digest(receipt.pin_hash, expected):
        raise NotFoundError("lookup_failed")
    ports.dossiers.release_pin_attempt(receipt_code)
    loaded = ports.dossiers.load(receipt.person_key, receipt.dossier_id)
    if loaded is None:
        raise NotFoundError("lookup_failed")
    dossier, events = loaded
    last_ms = max([dossier.status_ms] + [e.occurred_ms for e in events])
    updated = datetime.fromtimestamp(last_ms / 1000, UTC).isoformat(timespec="seconds")
    return ReceiptStatus(
        dossier.receipt_code,
        dossier.status,
        dossier.procedure_code,
        dossier.procedure_name_vi,
        dossier.procedure_name_en,
        updated,
    )
