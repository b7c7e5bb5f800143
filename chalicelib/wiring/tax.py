"""E-tax: the tax authority's registry over HTTP, the cache of its answers, and the payment gateway."""

from typing import Any

from chalicelib.wiring import _once, clock, notifications_publisher, person_keys, secrets, settings, table

# ?refresh=true asks the authority again, but not more than once per this many seconds per topic: a
# citizen pulling to refresh cannot turn the app into a load generator against the authority.
MIN_REFRESH_SECONDS = 30


def tax_registry() -> Any:
    from chalicelib.adapters.tax_authority_http import HttpTaxRegistry

    def build() -> Any:
        current = settings()
        return HttpTaxRegistry(
            current.tax_authority_url,
            current.tax_client_id,
            lambda: secrets().get(current.tax_client_key_secret_id),
            timeout=current.tax_timeout_seconds,
        )

    return _once("tax_registry", build)


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


# --- businesses: delegations and the reads of a business's taxes ---


def business_ports() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoAccessLog
    from chalicelib.adapters.dynamo_delegations import DynamoDelegations
    from chalicelib.services.tax_ports import BusinessPorts

    # Assembled per call from parts built once: the read ports are swapped alone (a fresh circuit in tests).
    return BusinessPorts(
        reads=tax_read_ports(),
        delegations=_once("delegations", lambda: DynamoDelegations(table())),
        person_key=person_keys().key_of,
        access_log=_once("access_log", lambda: DynamoAccessLog(table())),
        publisher=notifications_publisher(),
    )
