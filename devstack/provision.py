"""Creates the backend's resources in the embedded AWS from chalicelib/resources.py: the same shapes as deployed."""

from typing import Any

from chalicelib.resources import RESOURCES, Bucket, Key, Queue, Resources, Secret, Table, resource_name


def provision(session: Any, endpoint_url: str, resources: Resources = RESOURCES) -> dict[str, str]:
    """Returns the environment the app needs (each resource's env_var -> its name, id or URL)."""

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint_url)

    env: dict[str, str] = {}
    for table in resources.tables:
        env[table.env_var] = _create_table(client("dynamodb"), table)
    for queue in resources.queues:
        env[queue.env_var] = _create_queue(client("sqs"), queue)
    for key in resources.keys:
        env[key.env_var] = _create_key(client("kms"), key)
    for secret in resources.secrets:
        env[secret.env_var] = _create_secret(client("secretsmanager"), secret)
    queue_urls = {queue.logical_id: env[queue.env_var] for queue in resources.queues}
    for bucket in resources.buckets:
        env[bucket.env_var] = _create_bucket(client("s3"), client("sqs"), bucket, queue_urls, session.region_name)
    return env


def local_name(logical_id: str) -> str:
    return resource_name(logical_id, "local")


def _create_table(dynamodb: Any, table: Table) -> str:
    name = local_name(table.logical_id)
    attributes = {table.partition_key, table.sort_key}
    for index in table.indexes:
        attributes |= {index.partition_key, index.sort_key}
    kwargs: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
        "KeySchema": _key_schema(table.partition_key, table.sort_key),
    }
    if table.indexes:
        kwargs["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ]
    dynamodb.create_table(**kwargs)
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute}
    )
    return name


def _key_schema(partition_key: str, sort_key: str) -> list[dict[str, str]]:
    return [{"AttributeName": partition_key, "KeyType": "HASH"}, {"AttributeName": sort_key, "KeyType": "RANGE"}]


def _create_queue(sqs: Any, queue: Queue) -> str:
    suffix = ".fifo" if queue.fifo else ""
    attributes = {"FifoQueue": "true"} if queue.fifo else {}
    dlq_url = sqs.create_queue(QueueName=local_name(queue.logical_id) + "-dlq" + suffix, Attributes=attributes)[
        "QueueUrl"
    ]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = '{"deadLetterTargetArn": "%s", "maxReceiveCount": "%d"}' % (dlq_arn, queue.max_receive_count)
    return sqs.create_queue(
        QueueName=local_name(queue.logical_id) + suffix,
        Attributes={
            **attributes,
            "VisibilityTimeout": str(queue.visibility_timeout_seconds),
            "RedrivePolicy": redrive,
        },
    )["QueueUrl"]


def _create_key(kms: Any, key: Key) -> str:
    return kms.create_key(KeySpec=key.key_spec, KeyUsage=key.key_usage, Description=local_name(key.logical_id))[
        "KeyMetadata"
    ]["KeyId"]


def _create_secret(secretsmanager: Any, secret: Secret) -> str:
    """Created empty, as on AWS: values are put by whoever operates the stack (here, devstack)."""
    return secretsmanager.create_secret(Name=local_name(secret.logical_id), Description=secret.description)["ARN"]


def _create_bucket(s3: Any, sqs: Any, bucket: Bucket, queue_urls: dict[str, str], region: str) -> str:
    """The embedded S3 delivers ObjectCreated notifications to the embedded SQS itself (PUT and POST alike), in
    S3's own event shape: the local poller then hands them to the same handler as Lambda's SQS event source.
    Its lifecycle rules are not enforced locally (nothing expires): the worker deletes what it processed."""
    name = local_name(bucket.logical_id).lower()  # bucket names are lower case
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    if bucket.notify_queue:
        queue_url = queue_urls[bucket.notify_queue]
        arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        prefix = {"Key": {"FilterRules": [{"Name": "prefix", "Value": bucket.notify_prefix}]}}
        configuration = {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"], "Filter": prefix}
        s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"QueueConfigurations": [configuration]}
        )
    return name
