"""The upload worker, its own Lambda function (the only one that loads Pillow, pillow-heif, pypdf and PDFium,
built on first use): the UPLOADS queue carries the documents bucket's S3 event notifications for `raw/`.

Locally the embedded S3 sends the same notifications to the same queue, and the local poller calls this handler.
"""

import json
import time
from collections.abc import Iterator
from urllib.parse import unquote_plus

from chalice import Blueprint

from chalicelib import logs, wiring
from chalicelib.config import stage_at_import
from chalicelib.domain.uploads import parse_raw_key
from chalicelib.resources import UPLOADS_QUEUE, resource_name

STAGE = stage_at_import()
upload_events = Blueprint(__name__)


@upload_events.on_sqs_message(queue=resource_name(UPLOADS_QUEUE.logical_id, STAGE), batch_size=1)
def on_upload(event):
    """A failure (S3 or DynamoDB unavailable) fails the message: SQS redelivers it and the worker, finding the
    document still pending, does it again; a finished document is not processed twice."""
    from chalicelib.services.upload_worker import process_upload

    ports = wiring.upload_worker_ports()
    for record in event:
        for citizen_id, upload_id in raw_uploads(record.body):
            outcome = process_upload(citizen_id, upload_id, ports, int(time.time()))
            logs.log("upload_handled", upload_id=upload_id, outcome=outcome)


def raw_uploads(body: str) -> Iterator[tuple[str, str]]:
    """(citizen_id, upload_id) of each object created under raw/. S3's test event on configuration, other
    events and keys that are not ours are skipped (logged without the key, which names a citizen)."""
    for record in json.loads(body).get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        key = unquote_plus(str(record.get("s3", {}).get("object", {}).get("key", "")))
        try:
            yield parse_raw_key(key)
        except ValueError:
            logs.log("upload_key_ignored", level="WARNING", length=len(key))
