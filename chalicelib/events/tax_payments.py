"""The sweep of tax payments: completed payments whose report to the tax authority (or e-receipt) an outage
interrupted are finished on a schedule, so none is lost while the authority is down."""

from chalice import Blueprint, Rate

from chalicelib import logs
from chalicelib.wiring import tax as tax_wiring

tax_payment_events = Blueprint(__name__)


@tax_payment_events.schedule(Rate(5, unit=Rate.MINUTES))
def settle_tax_payments(event):
    from chalicelib.services.tax_payment_results import settle_unsettled

    settled = settle_unsettled(tax_wiring.tax_payment_ports())
    if settled:
        logs.log("tax_payments_settled", count=settled)
