"""The ports the tax use cases need: the tax authority's registry and the payment gateway."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.delegations import Delegation
from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.tax import (
    BusinessStatus,
    CallbackResult,
    PaymentRequest,
    TaxAnswer,
    TaxObligation,
    TaxPayment,
    TaxProfile,
)
from chalicelib.services.access_log import AccessLog
from chalicelib.services.dossier_ports import Publisher


class TaxRegistry(Protocol):
    """The tax authority's system. Down, slow or refusing us: ServiceUnavailableError; unknown: NotFoundError."""

    def get_profile(self, tax_code: str) -> TaxProfile: ...
    def list_obligations(self, tax_code: str, year: int) -> list[TaxObligation]: ...
    def list_payments(self, tax_code: str) -> list[TaxPayment]: ...
    def get_business_status(self, tax_code: str) -> BusinessStatus: ...
    def businesses_represented_by(self, personal_id: str) -> list[BusinessStatus]: ...

    def report_payment(
        self, obligation_ids: tuple[str, ...], amount_vnd: int, reference: str, paid_at: datetime
    ) -> TaxPayment:
        """Idempotent by `reference`: reporting it again answers the same receipt."""
        ...


class PaymentGateway(Protocol):
    def create_payment(
        self, reference: str, amount_vnd: int, description: str, expires_at: datetime
    ) -> PaymentRequest: ...

    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        """The gateway's signed result (server callback or browser return); AuthenticationError if unsigned
        or forged. Whether the amount matches the payment is the caller's check."""
        ...


class TaxCache(Protocol):
    """The authority's last answers per taxpayer and topic ("profile", "obligations:2026", "payments", ...)."""

    def read(self, tax_code: str, topic: str) -> TaxAnswer | None: ...
    def keep(self, tax_code: str, topic: str, answer: TaxAnswer) -> None: ...


@dataclass(frozen=True)
class TaxReadPorts:
    registry: TaxRegistry
    cache: TaxCache
    clock: Callable[[], float]
    fresh_seconds: int  # younger cached answers are served without asking the authority
    min_refresh_seconds: int  # ?refresh=true within this of the last answer is served from the cache


# --- businesses: delegations of a business's tax data, reads of it by its representative or a delegate ---


class Delegations(Protocol):
    """Grants of a business's tax data to other citizens; one per business and delegate."""

    def grant(self, delegation: Delegation, claim: IdempotencyClaim) -> None:
        """KeyAlreadyClaimed when the Idempotency-Key was claimed meanwhile."""
        ...

    def claim_of(self, scope: str, key: str) -> IdempotencyClaim | None: ...
    def of_business(self, tax_code: str) -> list[Delegation]: ...
    def of_delegate(self, tax_code: str, delegate_key: str) -> Delegation | None: ...
    def live_for_delegate(self, delegate_key: str, now: float) -> list[Delegation]: ...
    def revoke(self, delegation: Delegation) -> bool: ...
    def citizen_of(self, person_key: str) -> str | None: ...


@dataclass(frozen=True)
class BusinessPorts:
    reads: TaxReadPorts
    delegations: Delegations
    person_key: Callable[[str], str]  # personal ID -> person key (HMAC)
    access_log: AccessLog
    publisher: Publisher  # the notifications queue
