"""Delegations of a business's tax data: the legal representative lets another citizen (an accountant) read it
until an expiry of at most a year. One grant per business and delegate: granting again replaces it. Pure rules."""

import secrets
from dataclasses import dataclass

from chalicelib.domain.tax import BusinessStatus

MAX_DELEGATION_SECONDS = 365 * 86400
GRANTED, REVOKED, EXPIRED = "granted", "revoked", "expired"


@dataclass(frozen=True)
class Delegation:
    delegation_id: str
    tax_code: str
    business_name: str
    delegate_key: str  # the delegate's person key (HMAC of the personal ID), never the ID itself
    delegate_masked: str  # what the representative sees of whom they chose: 001******001
    granted_by_key: str  # the legal representative who granted it: their access log gets the delegate's reads
    created_at: int
    expires_at: int

    def is_live(self, now: float) -> bool:
        """Checked at every read: TTL deletion lags, an expired grant must stop working at once."""
        return now < self.expires_at


@dataclass(frozen=True)
class RepresentedBusiness:
    """A business the citizen may read the taxes of: as its legal representative, or as a delegate until `until`."""

    business: BusinessStatus
    role: str  # legal_representative | delegate
    delegation: Delegation | None = None


def expiry_refusal(expires_at: int, now: float) -> str | None:
    """The field problem of a requested expiry, or None: in the future, and within a year."""
    if expires_at <= now:
        return "must_be_future"
    if expires_at - now > MAX_DELEGATION_SECONDS:
        return "too_far"
    return None


def new_delegation_id() -> str:
    return "dlg_" + secrets.token_hex(10)


class KeyAlreadyClaimed(Exception):
    """A twin request with the same Idempotency-Key granted between our check and our write."""
