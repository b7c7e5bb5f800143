"""S3 buckets: citizens' documents (SSE-KMS, versioned, TLS-only; raw uploads expiring after a day, and
announced to the uploads queue; export ZIPs expiring after 7 days) and the access-log bucket."""

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib.resources import DOCUMENTS_BUCKET, resource_name

# Uploads land under raw/ (presigned POST); the worker deletes each once processed, and leftovers expire.
RAW_PREFIX = DOCUMENTS_BUCKET.notify_prefix
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


def documents_bucket_name(stack: Stack, stage: str) -> str:
    """A fixed name (bucket names are global, hence account and region): the queue's and the key's policies
    name the bucket by its ARN as a plain string, since a Ref to the bucket would close a dependency cycle
    (the bucket refers to the key, and waits for the queue policy before S3 accepts its notification)."""
    return f"{resource_name(DOCUMENTS_BUCKET.logical_id, stage)}-{stack.account}-{stack.region}".lower()


def _documents_bucket(scope: Construct, key: kms.IKey, logs: s3.Bucket, stage: str, prod: bool) -> s3.Bucket:
    return s3.Bucket(
        scope,
        "DocumentsBucket",
        bucket_name=documents_bucket_name(Stack.of(scope), stage),
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
            *_expiring_prefixes(),
            s3.LifecycleRule(id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(1)),
            s3.LifecycleRule(id="expire-old-versions", noncurrent_version_expiration=Duration.days(90 if prod else 7)),
        ],
        removal_policy=RemovalPolicy.RETAIN if prod else RemovalPolicy.DESTROY,
    )


def _expiring_prefixes() -> list[s3.LifecycleRule]:
    """Raw uploads after a day, export ZIPs after 7 (chalicelib/resources.py); their old versions a day later, as
    the bucket is versioned and a deleted object would otherwise linger as a noncurrent version."""
    return [
        s3.LifecycleRule(
            id=f"expire-{prefix.strip('/')}",
            prefix=prefix,
            expiration=Duration.days(days),
            noncurrent_version_expiration=Duration.days(1),
        )
        for prefix, days in DOCUMENTS_BUCKET.expiring
    ]


def build_buckets(scope: Construct, key: kms.IKey, stage: str, prod: bool) -> Buckets:
    logs = _access_log_bucket(scope, prod)
    return Buckets(documents=_documents_bucket(scope, key, logs, stage, prod), access_logs=logs)


def notify_raw_uploads(bucket: s3.Bucket, queue: sqs.Queue, key: kms.IKey, stage: str) -> None:
    """raw/ ObjectCreated events go to the uploads queue, set on the CfnBucket itself: the CDK's
    add_event_notification deploys a custom-resource Lambda (with an AWS-managed policy) and, with the
    bucket's key encrypting the queue too, a key/bucket dependency cycle."""
    stack = Stack.of(bucket)
    from_this_bucket = {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnEquals": {"aws:SourceArn": f"arn:{stack.partition}:s3:::{documents_bucket_name(stack, stage)}"},
    }
    s3_service = iam.ServicePrincipal("s3.amazonaws.com")
    queue.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[s3_service],
            actions=["sqs:SendMessage"],
            resources=[queue.queue_arn],
            conditions=from_this_bucket,
        )
    )
    # The queue is encrypted with the data key: S3 must make and use a data key to enqueue.
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[s3_service],
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"],  # in a key policy "*" means this key
            conditions=from_this_bucket,
        )
    )
    cfn_bucket: s3.CfnBucket = bucket.node.default_child
    cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
        queue_configurations=[
            s3.CfnBucket.QueueConfigurationProperty(
                event="s3:ObjectCreated:*",
                queue=queue.queue_arn,
                filter=s3.CfnBucket.NotificationFilterProperty(
                    s3_key=s3.CfnBucket.S3KeyFilterProperty(
                        rules=[s3.CfnBucket.FilterRuleProperty(name="prefix", value=RAW_PREFIX)]
                    )
                ),
            )
        ]
    )
    # S3 checks it may send (a test event) when the configuration is set: the policy must exist first.
    # (add_to_resource_policy made the queue's policy as its child "Policy")
    cfn_bucket.add_dependency(queue.node.find_child("Policy").node.default_child)
