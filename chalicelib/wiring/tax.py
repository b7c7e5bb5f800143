"""E-tax: the tax authority's registry over HTTP, the cache of its answers, and the payment gateway."""

from typing import Any

from chalicelib.wiring import (
    _once,
    access_log,
    clock,
    idempotency,
    notifications_publisher,
    person_keys,
    secrets,
    settings,
    table,
)

# ?refresh=true asks the authority again, but not more than once per this many seconds per topic: a
# citizen pulling to refresh cannot turn the app into a load generator against the authority.
MIN_REFRESH_SECONDS = 30


def tax_registry() -> Any:
    return _once("tax_registry", _new_registry)


def _new_registry() -> Any:
    """Each registry has its own circuit breaker."""
    from chalicelib.adapters.tax_authority_http import HttpTaxRegistry

    current = settings()
    return HttpTaxRegistry(
        current.tax_authority_url,
        current.tax_client_id,
        lambda: secrets().get(current.tax_client_key_secret_id),
        timeout=current.tax_timeout_seconds,
    )


def calendar_feeds() -> Any:
    from chalicelib.adapters.dynamo_tax_feeds import DynamoCalendarFeeds

    return _once("calendar_feeds", lambda: DynamoCalendarFeeds(table()))


def tax_cache() -> Any:
    from chalicelib.adapters.dynamo_tax_cache import DynamoTaxCache

    return _once("tax_cache", lambda: DynamoTaxCache(table(), person_keys().key_of, settings().tax_stale_seconds))


def tax_read_ports() -> Any:
    from chalicelib.services.tax_ports import TaxReadPorts

    return _once(
        "tax_read_ports",
        lambda: TaxReadPorts(
            tax_registry(), tax_cache(), lambda: clock()(), settings().tax_fresh_seconds, MIN_REFRESH_SECONDS
        ),
    )


def payment_gateway() -> Any:
    from chalicelib.adapters.payment_gateway_http import HmacPaymentGateway

    def build() -> Any:
        current = settings()
        # The secret is read once per container; rotating it means a deploy (the gateway switches keys on a date).
        return HmacPaymentGateway(
            current.payment_gateway_url,
            current.payment_merchant_code,
            secrets().get(current.payment_gateway_secret_id),
            current.payment_return_url,
        )

    return _once("payment_gateway", build)


# --- tax alerts


def tax_feed_registry() -> Any:
    """The registry the alert schedule reads the feed with: its own circuit breaker, so a batch job's
    failures never open the circuit the citizens' reads go through (they share a process locally)."""
    return _once("tax_feed_registry", _new_registry)


def tax_deadline_index() -> Any:
    from chalicelib.adapters.dynamo_tax_deadlines import DynamoTaxDeadlineIndex

    return _once("tax_deadline_index", lambda: DynamoTaxDeadlineIndex(table(), lambda: clock()()))


def tax_alert_ports() -> Any:
    from chalicelib.services.tax_ports import TaxAlertPorts

    return TaxAlertPorts(tax_feed_registry(), tax_deadline_index(), notifications_publisher(), person_keys().key_of)


# --- paying through the gateway -----------------------------------------------------------------------------


def tax_payment_ports() -> Any:
    from chalicelib.adapters.dynamo_tax_payments import DynamoTaxPayments
    from chalicelib.adapters.qr_codes import SegnoQrCodeRenderer
    from chalicelib.domain.tax_payments import PAYMENT_SECONDS
    from chalicelib.services.tax_ports import PaymentSettings, TaxPaymentPorts
    from chalicelib.wiring import wallet_ports

    def issue_document(person_key: str, data: Any, key: Any, now: int) -> str:
        from chalicelib.services.wallet_issuance import issue_platform_document

        return issue_platform_document(person_key, data, key, wallet_ports(), now)

    def build() -> Any:
        current = settings()
        return TaxPaymentPorts(
            registry=tax_registry(),
            cache=tax_cache(),
            gateway=payment_gateway(),
            payments=DynamoTaxPayments(table()),
            idempotency=idempotency(),
            person_keys=person_keys(),
            publisher=notifications_publisher(),
            qr_codes=_once("qr_codes", SegnoQrCodeRenderer),
            issue_document=issue_document,
            clock=lambda: clock()(),
            settings=PaymentSettings(
                current.payment_collection_bank_bin, current.payment_collection_account, PAYMENT_SECONDS
            ),
        )

    return _once("tax_payment_ports", build)


# --- businesses: delegations and the reads of a business's taxes ---


def business_ports() -> Any:
    from chalicelib.adapters.dynamo_delegations import DynamoDelegations
    from chalicelib.services.tax_ports import BusinessPorts

    # Assembled per call from parts built once: the read ports are swapped alone (a fresh circuit in tests).
    return BusinessPorts(
        reads=tax_read_ports(),
        delegations=_once("delegations", lambda: DynamoDelegations(table())),
        person_key=person_keys().key_of,
        access_log=access_log(),
        publisher=notifications_publisher(),
    )
