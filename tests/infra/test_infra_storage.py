"""Buckets: private, encrypted, versioned, TLS-only; temporary uploads and export ZIPs expire; access is logged."""

import json

from chalicelib.domain.export_jobs import EXPORTS_PREFIX, KEPT_SECONDS
from chalicelib.resources import UPLOADS_QUEUE, resource_name
from tests.infra.cfn import logical_id_of, resources

TLS_ONLY = {"Bool": {"aws:SecureTransport": "false"}}


def _buckets(template):
    found = resources(template, "AWS::S3::Bucket")
    documents = next(k for k, b in found.items() if "LoggingConfiguration" in b["Properties"])
    logs = next(k for k in found if k != documents)
    assert len(found) == 2
    return found, documents, logs


def test_every_bucket_is_private_encrypted_versioned_and_tls_only(synth, stage):
    template = synth.raw(stage)
    found, _, _ = _buckets(template)
    policies = resources(template, "AWS::S3::BucketPolicy")
    for logical_id, bucket in found.items():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        policy = next(p for p in policies.values() if p["Properties"]["Bucket"] == {"Ref": logical_id})
        denies = [
            s
            for s in policy["Properties"]["PolicyDocument"]["Statement"]
            if s["Effect"] == "Deny" and s.get("Condition") == TLS_ONLY
        ]
        assert denies, f"{logical_id} accepts plain HTTP"


def test_documents_bucket_uses_the_data_key_and_logs_to_the_log_bucket(synth, stage):
    template = synth.raw(stage)
    found, documents, logs = _buckets(template)
    props = found[documents]["Properties"]
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    key_id = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0]
    assert template["Resources"][key_id]["Properties"]["KeySpec"] == "SYMMETRIC_DEFAULT"
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs}


def test_raw_uploads_expire_after_one_day(synth, stage):
    """raw/ is where the presigned POST puts an upload (domain/uploads.raw_key)."""
    found, documents, _ = _buckets(synth.raw(stage))
    rules = found[documents]["Properties"]["LifecycleConfiguration"]["Rules"]
    raw = [r for r in rules if r.get("Prefix") == "raw/"]
    assert len(raw) == 1 and raw[0]["ExpirationInDays"] == 1 and raw[0]["Status"] == "Enabled"
    assert any(r.get("AbortIncompleteMultipartUpload") for r in rules)


def test_export_zips_expire_after_seven_days_and_their_old_versions_a_day_later(synth, stage):
    """exports/<citizen_id>/<export_id>.zip (domain/export_jobs.export_key) lives as long as its record says."""
    found, documents, _ = _buckets(synth.raw(stage))
    rules = found[documents]["Properties"]["LifecycleConfiguration"]["Rules"]
    exports = [r for r in rules if r.get("Prefix") == EXPORTS_PREFIX]
    assert len(exports) == 1 and exports[0]["Status"] == "Enabled"
    assert exports[0]["ExpirationInDays"] == KEPT_SECONDS // 86400 == 7
    assert exports[0]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}


def _from_the_documents_bucket(template: dict, statement: dict, documents: str, account: str) -> None:
    """S3 may act only for this account's documents bucket, named by a plain ARN (a Ref would be a cycle)."""
    bucket_name = template["Resources"][documents]["Properties"]["BucketName"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": account}
    source_arn = json.dumps(statement["Condition"]["ArnEquals"]["aws:SourceArn"])
    assert f":s3:::{bucket_name}" in source_arn and documents not in source_arn


def _uploads_queue(template: dict, stage: str) -> str:
    return logical_id_of(template, "AWS::SQS::Queue", QueueName=resource_name(UPLOADS_QUEUE.logical_id, stage))


def test_raw_uploads_are_announced_to_the_uploads_queue(synth, stage):
    template = synth.raw(stage)
    found, documents, _ = _buckets(template)
    configurations = found[documents]["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert configurations == [
        {
            "Event": "s3:ObjectCreated:*",
            "Queue": {"Fn::GetAtt": [_uploads_queue(template, stage), "Arn"]},
            "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "raw/"}]}},
        }
    ]
    assert not resources(template, "Custom::S3BucketNotifications"), "no notification custom resource (Lambda)"


def test_only_the_documents_bucket_may_send_to_the_uploads_queue_and_it_waits_for_that_policy(synth, stage):
    template = synth.raw(stage)
    _, documents, _ = _buckets(template)
    queue = _uploads_queue(template, stage)
    policy_id, policy = next(
        (k, p)
        for k, p in resources(template, "AWS::SQS::QueuePolicy").items()
        if {"Ref": queue} in p["Properties"]["Queues"]
    )
    (send,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert send["Action"] == "sqs:SendMessage" and send["Resource"] == {"Fn::GetAtt": [queue, "Arn"]}
    _from_the_documents_bucket(template, send, documents, synth.stacks[stage].account)
    assert policy_id in template["Resources"][documents]["DependsOn"]


def test_s3_may_use_the_queues_key_for_the_documents_bucket_only(synth, stage):
    template = synth.raw(stage)
    _, documents, _ = _buckets(template)
    key_id = template["Resources"][_uploads_queue(template, stage)]["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    statements = template["Resources"][key_id]["Properties"]["KeyPolicy"]["Statement"]
    (s3_use,) = [s for s in statements if s.get("Principal") == {"Service": "s3.amazonaws.com"}]
    assert sorted(s3_use["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    _from_the_documents_bucket(template, s3_use, documents, synth.stacks[stage].account)
