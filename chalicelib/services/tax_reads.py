"""Reads of the tax authority through the cache: fresh copies are served from DynamoDB, older ones are asked
again, and when the authority is down, slow or behind an open circuit the kept copy is served marked stale.
With no copy at all the authority's unavailability (503 with Retry-After) reaches the caller."""

from collections.abc import Callable
from typing import Any

from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import TaxAnswer
from chalicelib.errors import ServiceUnavailableError
from chalicelib.services.tax_ports import TaxReadPorts


def read_through(
    ports: TaxReadPorts, tax_code: str, topic: str, ask: Callable[[], Any], refresh: bool = False
) -> TaxAnswer:
    now = int(ports.clock())
    kept = ports.cache.read(tax_code, topic)
    if kept and now - kept.as_of < (ports.min_refresh_seconds if refresh else ports.fresh_seconds):
        return kept
    try:
        answer = TaxAnswer(ask(), now)
    except ServiceUnavailableError:
        if kept is None:
            raise
        return TaxAnswer(kept.value, kept.as_of, stale=True)
    ports.cache.keep(tax_code, topic, answer)
    return answer


def own_tax_code(principal: Principal) -> str:
    """Since mid-2025 an individual's tax code is their 12-digit personal ID number."""
    return principal.citizen.personal_id


def my_profile(ports: TaxReadPorts, principal: Principal, refresh: bool = False) -> TaxAnswer:
    tax_code = own_tax_code(principal)
    return read_through(ports, tax_code, "profile", lambda: ports.registry.get_profile(tax_code), refresh)
