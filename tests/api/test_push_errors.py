"""FCM's answers, through the real firebase-admin SDK and the local FCM endpoint: dead tokens delete the
device; quota and outages are retried with backoff (only the failed tokens); exhausted retries go to the DLQ."""

import json
import uuid

import pytest

from chalicelib import wiring
from tests.api.test_devices import device_ids, register
from tests.api.test_notifications import citizen_id, dossier_update, publish
from tests.conftest import eventually


@pytest.mark.parametrize("error", ["UNREGISTERED", "SENDER_ID_MISMATCH"])
def test_a_dead_token_deletes_its_device_and_the_others_still_get_their_push(api, an_phone, fcm, error):
    dead, alive = f"fcm-error-{error}-{uuid.uuid4().hex}", f"tok-{uuid.uuid4()}"
    dead_id = register(api, an_phone, dead)["device_id"]
    register(api, an_phone, alive)
    publish(dossier_update(citizen_id(api, an_phone)))
    eventually(lambda: dead_id not in device_ids(api, an_phone))
    assert len(eventually(lambda: fcm.delivered(alive))) == 1


@pytest.mark.parametrize("error, failures", [("QUOTA_EXCEEDED", 1), ("UNAVAILABLE", 5), ("INTERNAL", 5)])
def test_retryable_errors_are_retried_until_delivered_once(api, an_phone, fcm, error, failures):
    """The SDK itself retries 500/503 four times (5 requests); after that our worker re-enqueues."""
    flaky, steady = f"flaky-{uuid.uuid4().hex}", f"tok-{uuid.uuid4()}"
    fcm.fail(flaky, error, times=failures)
    flaky_id = register(api, an_phone, flaky)["device_id"]
    register(api, an_phone, steady)
    publish(dossier_update(citizen_id(api, an_phone)))
    assert len(eventually(lambda: fcm.delivered(flaky), timeout=60)) == 1
    attempts = [m for m in fcm.messages() if m["token"] == flaky]
    assert [m["outcome"] for m in attempts] == [error] * failures + ["ok"]
    assert len(fcm.delivered(steady)) == 1 and flaky_id in device_ids(api, an_phone)


def test_retries_exhausted_go_to_the_dead_letter_queue_with_only_the_failed_tokens(stack, fcm):
    from chalicelib.services.push import send_push_job
    from chalicelib.wiring import push_ports

    ports = push_ports()
    doomed, fine = f"fcm-error-QUOTA_EXCEEDED-{uuid.uuid4().hex}", f"tok-{uuid.uuid4()}"
    job = {
        "type": "push_job",
        "event_id": str(uuid.uuid4()),
        "citizen_id": "c",
        "title": "t",
        "body": "b",
        "data": {},
        "attempt": ports.policy.max_attempts - 1,
        "targets": [{"device_id": "d1", "token": doomed}, {"device_id": "d2", "token": fine}],
    }
    counts = send_push_job(job, ports, 0)
    assert counts["sent"] == 1 and counts["retry"] == 1
    sqs = stack.client("sqs")
    dlq = stack.env["PUSH_QUEUE_URL"] + "-dlq"

    def dead_letter():
        for message in sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", []):
            body = json.loads(message["Body"])
            if body["event_id"] == job["event_id"]:
                return body
        return None

    parked = eventually(dead_letter, timeout=10)
    assert parked["targets"] == [{"device_id": "d1", "token": doomed}] and parked["reason"] == "fcm_retries_exhausted"
    assert wiring.table().get({"pk": f"PUSHED#{job['event_id']}#d1", "sk": "PUSHED"}) is None
