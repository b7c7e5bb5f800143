"""Creates the backend's resources in the embedded AWS from chalicelib/resources.py: the same shapes as deployed."""

from typing import Any

from chalicelib.resources import RESOURCES, Key, Queue, Resources, Secret, Table, resource_name


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
