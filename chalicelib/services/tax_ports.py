"""The ports the tax use cases need: the tax authority's registry and the payment gateway."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

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
from chalicelib.domain.tax_alerts import DueItem, TaxChanges
from chalicelib.domain.tax_payments import TaxPaymentRecord
from chalicelib.domain.wallet import DocumentIssue
from chalicelib.services.access_log import AccessLog
from chalicelib.services.dossier_ports import Idempotency, PersonKeys, Publisher
from chalicelib.services.filing import Idempotent
from chalicelib.services.wallet_ports import QrCodes


class TaxRegistry(Protocol):
    """The tax authority's system. Down, slow or refusing us: ServiceUnavailableError; unknown: NotFoundError."""

    def get_profile(self, tax_code: str) -> TaxProfile: ...
    def list_obligations(self, tax_code: str, year: int) -> list[TaxObligation]: ...
    def list_unpaid(self, tax_code: str) -> list[TaxObligation]:
        """Every obligation not fully paid, of any year: what is overdue and what falls due next."""
        ...

    def list_payments(self, tax_code: str) -> list[TaxPayment]: ...
    def get_business_status(self, tax_code: str) -> BusinessStatus: ...
    def businesses_represented_by(self, personal_id: str) -> list[BusinessStatus]: ...

    def report_payment(
        self, obligation_ids: tuple[str, ...], amount_vnd: int, reference: str, paid_at: datetime
    ) -> TaxPayment:
        """Idempotent by `reference`: reporting it again answers the same receipt."""
        ...

    def changes_since(self, cursor: str, limit: int) -> TaxChanges:
        """Obligations created or changed after `cursor` ("" = from the start), oldest change first."""
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


# --- tax alerts: the deadline index fed by the authority's change feed


class TaxDeadlineIndex(Protocol):
    """Unpaid obligations under their due date, the feed's cursor, and what each day's pass has sent."""

    def cursor(self) -> str: ...
    def save_cursor(self, cursor: str) -> None: ...
    def keep(self, item: DueItem, sequence: int) -> None:
        """Puts the item under its due date (moving it off an older one); an older sequence changes nothing."""
        ...

    def drop(self, taxpayer_key: str, obligation_id: str, sequence: int) -> None: ...
    def due_on(self, day: date) -> Iterator[DueItem]: ...
    def mark_sent(self, item: DueItem, kind: str) -> None: ...
    def pass_done(self, day: date) -> bool: ...
    def mark_pass_done(self, day: date) -> None: ...
    def citizens_of(self, person_keys: tuple[str, ...]) -> dict[str, str]:
        """person key -> citizen id, for the people who ever logged in (the others have no inbox)."""
        ...


class MessageQueue(Protocol):
    def publish_batch(self, messages: list[dict[str, Any]]) -> None: ...


@dataclass(frozen=True)
class TaxAlertPorts:
    registry: TaxRegistry
    index: TaxDeadlineIndex
    notifications: MessageQueue
    taxpayer_key: Callable[[str], str]  # the keyed hash of a tax code or personal ID (the person key)
    alert_hour: int = 8  # the day's pass runs from this hour in Vietnam: reminders at breakfast, not at midnight


# --- paying through the gateway (services/tax_payments.py, services/tax_payment_results.py) ----------------


class TaxPaymentRepository(Protocol):
    def create(self, record: TaxPaymentRecord, claim: IdempotencyClaim, now: int) -> None:
        """The payment, its reference and its Idempotency-Key in one write; StalePaymentError if the key was taken."""
        ...

    def load(self, person_key: str, payment_id: str) -> TaxPaymentRecord | None: ...
    def find_by_reference(self, reference: str) -> TaxPaymentRecord | None: ...

    def record_result(self, before: TaxPaymentRecord, after: TaxPaymentRecord) -> None:
        """The gateway's result, only from `before`'s status; StalePaymentError when another result came first."""
        ...

    def hold_locks(self, record: TaxPaymentRecord, until: int) -> None:
        """Its obligations stay in this payment until `until` (0: let go), unless another took them."""
        ...

    def record_progress(self, record: TaxPaymentRecord) -> None:
        """The receipt number, the e-receipt's id and whether all is settled (leaving the unsettled list)."""
        ...

    def unsettled(self, limit: int) -> list[TaxPaymentRecord]:
        """Completed payments whose follow-ups an outage interrupted, oldest first."""
        ...


@dataclass(frozen=True)
class PaymentSettings:
    bank_bin: str  # the collection account the VietQR transfers to
    account_number: str
    payment_seconds: int


@dataclass(frozen=True)
class TaxPaymentPorts:
    registry: TaxRegistry
    cache: TaxCache
    gateway: PaymentGateway
    payments: TaxPaymentRepository
    idempotency: Idempotency
    person_keys: PersonKeys
    publisher: Publisher  # the notifications queue
    qr_codes: QrCodes
    # (person key, document, its idempotency key, now) -> the wallet document's id (services/wallet_issuance.py)
    issue_document: Callable[[str, DocumentIssue, Idempotent, int], str]
    clock: Callable[[], float]
    settings: PaymentSettings


# --- businesses: delegations of a business's tax data, reads of it by its representative or a delegate ---


class Delegations(Protocol):
    """Grants of a business's tax data to other citizens; one per business and delegate."""

    def grant(self, delegation: Delegation, claim: IdempotencyClaim, replaces: Delegation | None = None) -> None:
        """KeyAlreadyClaimed when the Idempotency-Key was claimed meanwhile."""
        ...

    def claim_of(self, scope: str, key: str) -> IdempotencyClaim | None: ...
    def of_business(self, tax_code: str) -> list[Delegation]: ...
    def of_delegate(self, tax_code: str, delegate_key: str) -> Delegation | None: ...
    def live_for_delegate(self, delegate_key: str, now: float) -> list[Delegation]: ...
    def revoke(self, delegation: Delegation) -> bool: ...
    def ending_in(self, hour_bucket: str) -> list[Delegation]: ...
    def forget_ending(self, delegation: Delegation) -> None: ...
    def citizen_of(self, person_key: str) -> str | None: ...


@dataclass(frozen=True)
class BusinessPorts:
    reads: TaxReadPorts
    delegations: Delegations
    person_key: Callable[[str], str]  # personal ID -> person key (HMAC)
    access_log: AccessLog
    publisher: Publisher  # the notifications queue
