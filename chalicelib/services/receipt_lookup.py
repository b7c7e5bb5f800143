"""The public status lookup by receipt code and pin (the paper receipt's QR): status only, no personal data.

A wrong pin and an unknown receipt look the same, and both count towards the same limits. Wrong pins count
per receipt and client, so a stranger's guesses lock out only the stranger; a higher ceiling per receipt
from everywhere stops a guess spread over many addresses (docs/limits.md has the arithmetic).
"""

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.domain.rate_limits import CounterClaim, RateRule, claim_of
from chalicelib.errors import NotFoundError
from chalicelib.services.dossier_ports import DossierPorts
from chalicelib.services.rate_limits import take_or_refuse

DAY = 86400


@dataclass(frozen=True)
class PinPolicy:
    per_client: int  # wrong pins per receipt and client within lock_seconds
    per_receipt: int  # wrong pins per receipt from every client within a day
    lock_seconds: int


@dataclass(frozen=True)
class ReceiptStatus:
    receipt_code: str
    status: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    updated_at: str


def look_up(
    receipt_code: str, pin: str, client: str, policy: PinPolicy, ports: DossierPorts, now: int
) -> ReceiptStatus:
    """`client` names the caller (its IP): the per-client lock is its own."""
    receipt = ports.dossiers.find_receipt(receipt_code)
    claims = pin_claims(receipt_code, client, policy, now)
    take_or_refuse(claims, ports.counters, now, code="lookup_locked")
    expected = ports.person_keys.pin_hash(receipt_code, pin)
    if receipt is None or not hmac.compare_digest(receipt.pin_hash, expected):
        raise NotFoundError("lookup_failed")
    ports.counters.give_back(claims)  # only wrong guesses count
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


def pin_claims(receipt_code: str, client: str, policy: PinPolicy, now: int) -> list[CounterClaim]:
    return [
        claim_of(RateRule("pin_failures", policy.per_client, policy.lock_seconds), f"{receipt_code}#{client}", now),
        claim_of(RateRule("pin_failures_receipt", policy.per_receipt, DAY), receipt_code, now),
    ]
