"""S3 buckets: citizens' documents (SSE-KMS, versioned, TLS-only; raw uploads expiring after a day) and the
access-log bucket. The raw uploads' notification to the uploads queue is not deployed yet (docs/uploads.md)."""

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from chalicelib.resources import DOCUMENTS_BUCKET

# Uploads land under raw/ (presigned POST); the worker deletes each once processed, and leftovers expire.
RAW_PREFIX = DOCUMENTS_BUCKET.expiring_prefix
DOCUMENTS_BUCKET_ENV = DOCUMENTS_BUCKET.env_var


@dataclass
class Buckets:
    documents: s3.Bucket
    access_logs: s3.Bucket


def _access_log_bucket(scope: Construct, prod: bool) -> s3.Bucket:
    # S3 server access logging can only deliver to SSE-S3 buckets, hence not the data key here.
    return s3.Bucket(
        scope,
        "AccessLogBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=[
            s3.LifecycleRule(
                id="expire-access-logs",
                expiration=Duration.days(365 if prod else 90),
                noncurrent_version_expiration=Duration.days(30),
            )
        ],
        removal_policy=RemovalPolicy.RETAIN,
    )


def _documents_bucket(scope: Construct, key: kms.IKey, logs: s3.Bucket, prod: bool) -> s3.Bucket:
    return s3.Bucket(
        scope,
        "DocumentsBucket",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,  # one KMS call per bucket key, not per object: cost and KMS quota
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        server_access_logs_bucket=logs,
        server_access_logs_prefix="documents/",
        lifecycle_rules=[
            s3.LifecycleRule(
                id="expire-raw-uploads",
                prefix=RAW_PREFIX,
                expiration=Duration.days(DOCUMENTS_BUCKET.expiring_days),
                noncurrent_version_expiration=Duration.days(1),
            ),
            s3.LifecycleRule(id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(1)),
            s3.LifecycleRule(id="expire-old-versions", noncurrent_version_expiration=Duration.days(90 if prod else 7)),
        ],
        removal_policy=RemovalPolicy.RETAIN if prod else RemovalPolicy.DESTROY,
    )


def build_buckets(scope: Construct, key: kms.IKey, prod: bool) -> Buckets:
    logs = _access_log_bucket(scope, prod)
    return Buckets(documents=_documents_bucket(scope, key, logs, prod), access_logs=logs)
