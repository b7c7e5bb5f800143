"""Buckets: private, encrypted, versioned, TLS-only; temporary uploads expire; access is logged."""

from tests.infra.cfn import resources

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
