"""Alarms: API 5xx, each function's errors and throttles, DynamoDB throttles; all notify the topic."""

from tests.infra.cfn import one, resources


def _alarms(template: dict) -> list[dict]:
    return [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()]


def test_every_alarm_notifies_the_encrypted_topic(synth, stage):
    template = synth.raw(stage)
    topic_id, topic = one(template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic["Properties"]
    for alarm in _alarms(template):
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]


def test_api_5xx_alarm_watches_this_stages_api(synth, stage):
    template = synth.raw(stage)
    api_name = template["Resources"]["RestAPI"]["Properties"]["Name"]
    alarm = [a for a in _alarms(template) if a.get("MetricName") == "5XXError"]
    assert len(alarm) == 1
    dimensions = {d["Name"]: d["Value"] for d in alarm[0]["Dimensions"]}
    assert dimensions == {"ApiName": api_name, "Stage": "v1"}


def test_each_function_has_error_and_throttle_alarms(synth, stage):
    template = synth.raw(stage)
    functions = resources(template, "AWS::Serverless::Function").values()
    for function in functions:
        name = function["Properties"]["FunctionName"]
        watched = {
            a["MetricName"]
            for a in _alarms(template)
            if a.get("Namespace") == "AWS/Lambda" and a["Dimensions"][0]["Value"] == name
        }
        assert watched == {"Errors", "Throttles"}


def test_dynamodb_throttling_is_alarmed(synth, stage):
    alarms = [a for a in _alarms(synth.raw(stage)) if "Metrics" in a]
    watched = {m["MetricStat"]["Metric"]["MetricName"] for a in alarms for m in a["Metrics"] if "MetricStat" in m}
    assert watched == {"ThrottledRequests"}
