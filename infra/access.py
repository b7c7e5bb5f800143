"""Least-privilege IAM for the Chalice functions: exactly their table, index, key, secret, bucket
and queue actions on those resources' ARNs. No wildcard action, no "*" resource."""

from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.data import DataResources
from infra.messaging import QueuePair
from infra.storage import Buckets

TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
INDEX_ACTIONS = ("dynamodb:Query",)
SIGNING_KEY_ACTIONS = ("kms:Sign", "kms:GetPublicKey")
DATA_KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
SECRET_ACTIONS = ("secretsmanager:GetSecretValue",)
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
BUCKET_ACTIONS = ("s3:ListBucket",)
QUEUE_ACTIONS = (
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
)
DLQ_ACTIONS = ("sqs:SendMessage",)
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")


def _allow(actions: tuple[str, ...], resources: list[str]) -> iam.PolicyStatement:
    return iam.PolicyStatement(actions=list(actions), resources=resources)


def _table_statements(data: DataResources, index_names: dict[str, tuple[str, ...]]) -> list:
    statements = []
    for logical_id, table in data.tables.items():
        statements.append(_allow(TABLE_ACTIONS, [table.table_arn]))
        indexes = [f"{table.table_arn}/index/{name}" for name in index_names[logical_id]]
        if indexes:
            statements.append(_allow(INDEX_ACTIONS, indexes))
    return statements


def build_function_role(
    scope: Construct,
    data: DataResources,
    buckets: Buckets,
    queues: list[QueuePair],
    index_names: dict[str, tuple[str, ...]],
) -> iam.Role:
    statements = [
        *_table_statements(data, index_names),
        _allow(SIGNING_KEY_ACTIONS, [key.key_arn for key in data.signing_keys]),
        _allow(DATA_KEY_ACTIONS, [data.data_key.key_arn]),
        _allow(SECRET_ACTIONS, [s.secret_arn for s in data.secrets.values()]),
        _allow(OBJECT_ACTIONS, [buckets.documents.arn_for_objects("*")]),
        _allow(BUCKET_ACTIONS, [buckets.documents.bucket_arn]),
    ]
    if queues:
        statements.append(_allow(QUEUE_ACTIONS, [q.queue.queue_arn for q in queues]))
        # Workers park messages they give up on in the DLQ themselves (e.g. push retries).
        statements.append(_allow(DLQ_ACTIONS, [q.dead_letters.queue_arn for q in queues]))
    return iam.Role(
        scope,
        "FunctionRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description="Chalice functions: their table, keys, secrets, bucket and queues only",
        inline_policies={"least-privilege": iam.PolicyDocument(statements=statements)},
    )


def allow_function_logs(role: iam.Role, log_groups: list[logs.LogGroup]) -> None:
    """Write access to the functions' own log groups (a log group's ARN covers its streams)."""
    role.add_to_policy(_allow(LOG_ACTIONS, [g.log_group_arn for g in log_groups]))
