"""The local SQS poller hands batches to handlers as Lambda would, and leaves failed batches for redrive."""

import json

import pytest
from chalice import Blueprint, Chalice

from devstack.poller import SqsPoller, sqs_handlers


@pytest.fixture
def queue(stack):
    sqs = stack.client("sqs")
    url = sqs.create_queue(QueueName="poller-test", Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    yield sqs, url
    sqs.delete_queue(QueueUrl=url)


def test_batch_is_delivered_as_a_lambda_event_and_deleted(queue):
    sqs, url = queue
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": 1}))
    seen = []
    poller = SqsPoller(sqs, {url: lambda event, context: seen.extend(event["Records"])}, wait_seconds=0)
    assert poller.drain_once(url) == 1
    assert json.loads(seen[0]["body"]) == {"n": 1} and seen[0]["eventSource"] == "aws:sqs"
    assert poller.drain_once(url) == 0


def test_failed_batch_stays_on_the_queue(queue):
    sqs, url = queue
    sqs.send_message(QueueUrl=url, MessageBody="boom")

    def failing(event, context):
        raise RuntimeError("worker crashed")

    assert SqsPoller(sqs, {url: failing}, wait_seconds=0).drain_once(url) == 0
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
    assert attributes["Attributes"]["ApproximateNumberOfMessagesNotVisible"] == "1"


probe_events = Blueprint(__name__)


@probe_events.on_sqs_message(queue="citizen-app-local-Probe")
def on_probe(event):
    return None


def test_handlers_are_found_from_the_apps_sqs_event_sources():
    app = Chalice(app_name="probe")
    app.register_blueprint(probe_events)
    assert sqs_handlers(app) == {"citizen-app-local-Probe": on_probe}
