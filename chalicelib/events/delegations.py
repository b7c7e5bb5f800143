"""The end of delegations: every 15 minutes, the delegates whose grant of a business's tax data expired are
told so (push and inbox), as they were told of the grant."""

from chalice import Blueprint, Rate

from chalicelib import logs
from chalicelib.events.deadlines import scheduled_time
from chalicelib.wiring import tax as tax_wiring

delegation_events = Blueprint(__name__)


@delegation_events.schedule(Rate(15, unit=Rate.MINUTES))
def tell_ended_delegations(event):
    from chalicelib.services.delegations import tell_ended_delegations as tell

    told = tell(tax_wiring.business_ports(), scheduled_time(event))
    if told:
        logs.log("delegations_ended", count=told)
