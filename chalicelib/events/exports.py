"""The exports worker, its own Lambda function (more memory and time than the API's: it reads every store of one
citizen and zips their files): the EXPORTS queue carries one requested export per message.

Locally the poller calls this handler with the same Lambda-shaped event.
"""

import json

from chalice import Blueprint

from chalicelib import logs
from chalicelib.config import stage_at_import
from chalicelib.domain.events import ExportRequested
from chalicelib.resources import EXPORTS_QUEUE, resource_name
from chalicelib.wiring.exports import export_worker_ports

STAGE = stage_at_import()
export_events = Blueprint(__name__)


@export_events.on_sqs_message(queue=resource_name(EXPORTS_QUEUE.logical_id, STAGE), batch_size=1)
def on_export(event):
    """A failure fails the message: SQS redelivers it and the export, still pending, is built again. The last
    attempt's failure marks the export failed instead, so the citizen sees it and may start another."""
    from chalicelib.services.exports import give_up, run_export

    ports = export_worker_ports()
    for record in event:
        requested = ExportRequested.from_message(json.loads(record.body))
        try:
            outcome = run_export(ports, requested.citizen_id, requested.export_id)
        except Exception as error:
            if _receive_count(record.to_dict()) < EXPORTS_QUEUE.max_receive_count:
                raise
            give_up(ports, requested.citizen_id, requested.export_id)
            outcome = "failed:" + type(error).__name__
        logs.log("export_handled", export_id=requested.export_id, outcome=outcome)


def _receive_count(record: dict) -> int:
    """How many times SQS handed this message out (1 on the first attempt)."""
    raw = str((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
    return int(raw) if raw.isdigit() else 1
