"""Businesses' taxes: which businesses a citizen may read (as legal representative per the tax authority's
registry, or as a delegate with a live grant), the reads of a business's tax data by them (a delegate's written
to the representative's access log), and the public status anyone may check."""

from collections.abc import Callable
from typing import Any

from chalicelib.domain.delegations import Delegation, RepresentedBusiness
from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import BusinessStatus, TaxAnswer
from chalicelib.domain.tax_codes import TaxCodeKind, validate_tax_code
from chalicelib.errors import NotFoundError
from chalicelib.services import tax_reads
from chalicelib.services.tax_ports import BusinessPorts, TaxReadPorts
from chalicelib.services.tax_reads import own_tax_code, read_through

LEGAL_REPRESENTATIVE, DELEGATE = "legal_representative", "delegate"


def business_tax_code(text: str) -> str:
    """A path's tax code: 400 naming what is wrong with it; a person's code is no business (404)."""
    code = validate_tax_code(text)
    if code.kind is TaxCodeKind.PERSONAL:
        raise NotFoundError("business_not_found")
    return code.value


def represented(ports: TaxReadPorts, principal: Principal, refresh: bool = False) -> list[BusinessStatus]:
    """The businesses the registry names the citizen legal representative of (cached like any tax answer)."""
    personal_id = own_tax_code(principal)
    return read_through(
        ports, personal_id, "represented", lambda: ports.registry.businesses_represented_by(personal_id), refresh
    ).value


def represented_business(ports: TaxReadPorts, principal: Principal, tax_code: str) -> BusinessStatus:
    """The business if the citizen is its legal representative; anyone else: 404, as if it did not exist."""
    for business in represented(ports, principal):
        if business.tax_code == tax_code:
            return business
    raise NotFoundError("business_not_found")


def person_key_of(ports: BusinessPorts, principal: Principal) -> str:
    return ports.person_key(own_tax_code(principal))


def my_businesses(ports: BusinessPorts, principal: Principal, refresh: bool = False) -> list[RepresentedBusiness]:
    """Represented ones first (the registry's order), then live delegations by latest expiry."""
    own = [RepresentedBusiness(b, LEGAL_REPRESENTATIVE) for b in represented(ports.reads, principal, refresh)]
    codes = {item.business.tax_code for item in own}
    now = ports.reads.clock()
    delegated = [
        RepresentedBusiness(business_status(ports.reads, grant.tax_code), DELEGATE, grant)
        for grant in ports.delegations.live_for_delegate(person_key_of(ports, principal), now)
        if grant.tax_code not in codes
    ]
    return own + delegated


def business_status(ports: TaxReadPorts, tax_code: str) -> BusinessStatus:
    return public_status(ports, tax_code).value


def public_status(ports: TaxReadPorts, tax_code: str, refresh: bool = False) -> TaxAnswer:
    """What anyone may see of a business (no amounts), through the cache."""
    return read_through(ports, tax_code, "business", lambda: ports.registry.get_business_status(tax_code), refresh)


def read_business(
    ports: BusinessPorts, principal: Principal, tax_code: str, topic: str, ask: Callable[[], Any], refresh: bool
) -> TaxAnswer:
    """A business's tax data for its representative or a live delegate (anyone else: 404). A delegate's read is
    written to the access log of the representative who granted it; the representative's own reads are not
    logged (the log tells a citizen who else touched their data)."""
    return guarded_read(
        ports, principal, tax_code, topic, lambda: read_through(ports.reads, tax_code, topic, ask, refresh)
    )


def guarded_read(
    ports: BusinessPorts, principal: Principal, tax_code: str, topic: str, read: Callable[[], TaxAnswer]
) -> TaxAnswer:
    """`read` (one of services/tax_reads' reads of the business) for its representative or a live delegate."""
    grant = _reader_grant(ports, principal, tax_code)
    answer = read()
    if grant is not None:
        ports.access_log.record([grant.granted_by_key], _delegate_read(principal, grant, topic, ports.reads.clock()))
    return answer


def _reader_grant(ports: BusinessPorts, principal: Principal, tax_code: str) -> Delegation | None:
    """None for the representative; the live grant for a delegate (expiry checked now, not left to TTL)."""
    grant = ports.delegations.of_delegate(tax_code, person_key_of(ports, principal))
    if grant is not None and grant.is_live(ports.reads.clock()):
        return grant
    represented_business(ports.reads, principal, tax_code)
    return None


# Who read, as the representative's access log names them: the delegate by name, and the grant.
_DELEGATE_READER = ("{name} (người được ủy quyền)", "{name} (delegate)")


def _delegate_read(principal: Principal, grant: Delegation, topic: str, now: float) -> AccessEntry:
    name = principal.citizen.full_name if principal.citizen else ""
    return AccessEntry(
        agency_id="",
        agency_name_vi=_DELEGATE_READER[0].format(name=name),
        agency_name_en=_DELEGATE_READER[1].format(name=name),
        client_id=f"delegation:{grant.delegation_id}",
        action=f"business_tax.{topic.partition(':')[0]}.read",
        target=f"business:{grant.tax_code}",
        purpose="",
        at=utc_instant(now),
        category="tax",
        channel="delegate",
        actor=name,
    )


def business_profile(ports: BusinessPorts, principal: Principal, tax_code: str, refresh: bool = False) -> TaxAnswer:
    registry = ports.reads.registry
    return read_business(ports, principal, tax_code, "profile", lambda: registry.get_profile(tax_code), refresh)


def business_obligations(
    ports: BusinessPorts, principal: Principal, tax_code: str, year: int, refresh: bool
) -> TaxAnswer:
    def read() -> TaxAnswer:
        return tax_reads.obligations(ports.reads, tax_code, year, refresh)

    return guarded_read(ports, principal, tax_code, f"obligations:{year}", read)


def business_debts(ports: BusinessPorts, principal: Principal, tax_code: str, refresh: bool) -> TaxAnswer:
    return guarded_read(ports, principal, tax_code, "debts", lambda: tax_reads.debts(ports.reads, tax_code, refresh))


def business_payments(ports: BusinessPorts, principal: Principal, tax_code: str, refresh: bool) -> TaxAnswer:
    def read() -> TaxAnswer:
        return tax_reads.payments(ports.reads, tax_code, refresh)

    return guarded_read(ports, principal, tax_code, "payments", read)
