"""Every queue in chalicelib/resources.py gets a DLQ with redrive, encryption, its resource_name(), a
depth alarm on the DLQ, a grant for the functions and its env var."""

import pytest
from aws_cdk.assertions import Match

from chalicelib.resources import RESOURCES, resource_name
from tests.infra.cfn import function_role_statements, grants, logical_id_of, resources


@pytest.mark.parametrize("spec", RESOURCES.queues, ids=lambda q: q.logical_id)
def test_queue_has_a_dlq_with_redrive(synth, stage, spec):
    template = synth.raw(stage)
    name = resource_name(spec.logical_id, stage)
    queue_id = logical_id_of(template, "AWS::SQS::Queue", QueueName=name)
    dlq_id = logical_id_of(template, "AWS::SQS::Queue", QueueName=f"{name}-dlq")
    synth.templates[stage].has_resource_properties(
        "AWS::SQS::Queue",
        {
            "QueueName": name,
            "VisibilityTimeout": spec.visibility_timeout_seconds,
            "KmsMasterKeyId": Match.any_value(),
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
                "maxReceiveCount": spec.max_receive_count,
            },
        },
    )
    assert "KmsMasterKeyId" in template["Resources"][dlq_id]["Properties"]
    assert queue_id != dlq_id


@pytest.mark.parametrize("spec", RESOURCES.queues, ids=lambda q: q.logical_id)
def test_dlq_depth_above_zero_raises_an_alarm(synth, stage, spec):
    template = synth.raw(stage)
    dlq_id = logical_id_of(template, "AWS::SQS::Queue", QueueName=f"{resource_name(spec.logical_id, stage)}-dlq")
    synth.templates[stage].has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Namespace": "AWS/SQS",
            "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq_id, "QueueName"]}}],
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    )


@pytest.mark.parametrize("spec", RESOURCES.queues, ids=lambda q: q.logical_id)
def test_functions_may_use_the_queue_and_know_its_url(synth, stage, spec):
    template = synth.raw(stage)
    queue_id = logical_id_of(template, "AWS::SQS::Queue", QueueName=resource_name(spec.logical_id, stage))
    allowed = grants(function_role_statements(template))
    for action in ("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"):
        assert {"Fn::GetAtt": [queue_id, "Arn"]} in allowed[action]
    for function in resources(template, "AWS::Serverless::Function").values():
        assert function["Properties"]["Environment"]["Variables"][spec.env_var] == {"Ref": queue_id}


def test_only_work_queues_and_their_dlqs_exist(synth, stage):
    queues = resources(synth.raw(stage), "AWS::SQS::Queue")
    assert len(queues) == 2 * len(RESOURCES.queues)


def test_sqs_event_sources_consume_this_stages_queues(synth, stage):
    """Chalice names the queue of an event source at import time: it must be this stage's queue,
    created before the function and its event source mapping (the function's env refers to it)."""
    template = synth.raw(stage)
    names = {q["Properties"]["QueueName"]: k for k, q in resources(template, "AWS::SQS::Queue").items()}
    consumed = 0
    for function in resources(template, "AWS::Serverless::Function").values():
        for event in (function["Properties"].get("Events") or {}).values():
            if event["Type"] != "SQS":
                continue
            queue_name = event["Properties"]["Queue"]["Fn::Sub"].rsplit(":", 1)[1]
            assert queue_name in names, f"{queue_name} is not a queue of stage {stage}"
            variables = function["Properties"]["Environment"]["Variables"]
            assert {"Ref": names[queue_name]} in variables.values()
            consumed += 1
    assert consumed == len(RESOURCES.queues)


@pytest.mark.parametrize("spec", RESOURCES.queues, ids=lambda q: q.logical_id)
def test_workers_may_park_messages_in_the_dlq_but_not_read_it(synth, stage, spec):
    template = synth.raw(stage)
    dlq_id = logical_id_of(template, "AWS::SQS::Queue", QueueName=f"{resource_name(spec.logical_id, stage)}-dlq")
    allowed = grants(function_role_statements(template))
    dlq_arn = {"Fn::GetAtt": [dlq_id, "Arn"]}
    assert dlq_arn in allowed["sqs:SendMessage"]
    assert dlq_arn not in allowed["sqs:ReceiveMessage"]


def test_each_consumer_gives_up_before_its_queue_hands_the_message_out_again(synth, stage):
    """A message is handed to a second worker only once the visibility timeout passed: the function consuming it must
    have timed out by then (the exports and upload workers run long; Lambda refuses a mapping otherwise too)."""
    template = synth.raw(stage)
    queues = {q["Properties"]["QueueName"]: q["Properties"] for q in resources(template, "AWS::SQS::Queue").values()}
    for function in resources(template, "AWS::Serverless::Function").values():
        for event in (function["Properties"].get("Events") or {}).values():
            if event["Type"] == "SQS":
                queue = queues[event["Properties"]["Queue"]["Fn::Sub"].rsplit(":", 1)[1]]
                assert function["Properties"]["Timeout"] < queue["VisibilityTimeout"], queue["QueueName"]
