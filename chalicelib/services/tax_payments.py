"""A citizen starts paying their own tax obligations (eID level 2): the obligations are read fresh from the tax
authority (their own, still outstanding), charged with late-payment interest to today in Vietnam, and a payment
is recorded with its Idempotency-Key before the citizen is sent to the gateway. The gateway's result is
services/tax_payment_results.py."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import TaxAnswer, TaxObligation, vietnam_today
from chalicelib.domain.tax_payments import (
    ObligationLockedError,
    PaymentLine,
    PaymentState,
    StalePaymentError,
    TaxPaymentRecord,
    charge_line,
    description_of,
    new_payment_id,
    new_reference,
    years_to_search,
)
from chalicelib.domain.vietqr import VietQr, build_payload
from chalicelib.errors import ConflictError, NotFoundError
from chalicelib.services.filing import Idempotent
from chalicelib.services.tax_ports import TaxPaymentPorts
from chalicelib.services.tax_reads import own_tax_code

_SCOPE = "tax-payments:"


@dataclass(frozen=True)
class PaymentView:
    """A payment as the citizen sees it; the VietQR drawn while it can still be paid."""

    record: TaxPaymentRecord
    qr_png: bytes = b""


def viewed(ports: TaxPaymentPorts, record: TaxPaymentRecord) -> PaymentView:
    if record.shown_status(ports.clock()) != PaymentState.PENDING:
        return PaymentView(record)
    return PaymentView(record, ports.qr_codes.png(record.vietqr))


def start_payment(
    ports: TaxPaymentPorts, principal: Principal, obligation_ids: tuple[str, ...], key: Idempotent
) -> PaymentView:
    """A replay of the same Idempotency-Key answers the same payment (and never asks the authority again)."""
    scope = _SCOPE + principal.citizen_id
    replay = _replay(ports, principal, scope, key)
    if replay is not None:
        return viewed(ports, replay)
    now = ports.clock()
    tax_code = own_tax_code(principal)
    lines = _charged(ports, tax_code, obligation_ids, vietnam_today(datetime.fromtimestamp(now, UTC)))
    record = _new_record(ports, principal, tax_code, lines, now)
    claim = IdempotencyClaim(scope, key.key, key.fingerprint, {"payment_id": record.payment_id})
    try:
        ports.payments.create(record, claim, int(now))
    except ObligationLockedError:
        raise ConflictError("payment_in_progress") from None
    except StalePaymentError:
        replay = _replay(ports, principal, scope, key)  # a twin request with this key won the race
        if replay is None:
            raise ConflictError("conflict") from None
        return viewed(ports, replay)
    return viewed(ports, record)


def get_my_payment(ports: TaxPaymentPorts, principal: Principal, payment_id: str) -> PaymentView:
    return viewed(ports, _my_record(ports, principal, payment_id))


def _my_record(ports: TaxPaymentPorts, principal: Principal, payment_id: str) -> TaxPaymentRecord:
    """Read from the caller's own partition: another citizen's payment is not found."""
    record = ports.payments.load(ports.person_keys.key_of(own_tax_code(principal)), payment_id)
    if record is None:
        raise NotFoundError("payment_not_found")
    return record


def _replay(ports: TaxPaymentPorts, principal: Principal, scope: str, key: Idempotent) -> TaxPaymentRecord | None:
    recorded = ports.idempotency.get(scope, key.key)
    if recorded is None:
        return None
    if recorded.fingerprint != key.fingerprint:
        raise ConflictError("idempotency_key_reused")
    return _my_record(ports, principal, recorded.answer["payment_id"])


def _charged(ports: TaxPaymentPorts, tax_code: str, wanted: tuple[str, ...], today: date) -> tuple[PaymentLine, ...]:
    """Each wanted obligation, found among the citizen's own (404 naming the first one that is not) and still
    outstanding (409 naming the first one that is paid)."""
    found = _find_obligations(ports, tax_code, set(wanted), today)
    for obligation_id in wanted:
        if obligation_id not in found:
            raise NotFoundError("obligation_not_found", params={"obligation_id": obligation_id})
        if found[obligation_id].outstanding_vnd <= 0:
            raise ConflictError("obligation_already_paid", params={"obligation_id": obligation_id})
    return tuple(charge_line(found[obligation_id], today) for obligation_id in wanted)


def _find_obligations(ports: TaxPaymentPorts, tax_code: str, wanted: set[str], today: date) -> dict[str, TaxObligation]:
    """Asked fresh (what is charged must be what the authority holds now), year by year until all are found;
    each answer is kept in the tax cache, so the citizen's next read shows the same."""
    found: dict[str, TaxObligation] = {}
    for year in years_to_search(today):
        obligations = ports.registry.list_obligations(tax_code, year)
        ports.cache.keep(tax_code, f"obligations:{year}", TaxAnswer(obligations, int(ports.clock())))
        found.update({o.obligation_id: o for o in obligations if o.obligation_id in wanted})
        if len(found) == len(wanted):
            break
    return found


def _new_record(
    ports: TaxPaymentPorts, principal: Principal, tax_code: str, lines: tuple[PaymentLine, ...], now: float
) -> TaxPaymentRecord:
    """The gateway's link is signed here (no call to the gateway): the payment is recorded with it."""
    reference, amount = new_reference(), sum(line.amount_vnd for line in lines)
    expires_at = int(now) + ports.settings.payment_seconds
    request = ports.gateway.create_payment(
        reference, amount, description_of(lines, reference), datetime.fromtimestamp(expires_at, UTC)
    )
    qr = VietQr(ports.settings.bank_bin, ports.settings.account_number, amount, reference)
    return TaxPaymentRecord(
        payment_id=new_payment_id(now),
        reference=reference,
        person_key=ports.person_keys.key_of(tax_code),
        citizen_id=principal.citizen_id,
        tax_code=tax_code,
        lines=lines,
        amount_vnd=amount,
        status=PaymentState.PENDING,
        created_at=int(now),
        expires_at=expires_at,
        gateway_url=request.gateway_url,
        vietqr=build_payload(qr),
        taxpayer_name=principal.citizen.full_name if principal.citizen else "",
    )
