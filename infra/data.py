"""Stateful data resources from chalicelib/resources.py: KMS keys, the DynamoDB table(s), secrets."""

from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from chalicelib.domain.erasure import BACKUP_WINDOW_DAYS
from chalicelib.resources import Key, Resources, Table, resource_name


@dataclass
class DataResources:
    keys: dict[str, kms.Key]  # by resources.py logical_id
    tables: dict[str, dynamodb.Table]
    secrets: dict[str, secretsmanager.Secret]

    data_key: kms.Key  # the symmetric key that encrypts data at rest
    signing_keys: tuple[kms.Key, ...]  # the asymmetric keys: session tokens, wallet credentials


def _only(keys: tuple[Key, ...], usage: str) -> Key:
    matches = [k for k in keys if k.key_usage == usage]
    if len(matches) != 1:
        raise ValueError(f"expected exactly one {usage} key in resources.py, found {len(matches)}")
    return matches[0]


def _build_key(scope: Construct, spec: Key, stage: str) -> kms.Key:
    symmetric = spec.key_spec == "SYMMETRIC_DEFAULT"
    return kms.Key(
        scope,
        spec.logical_id,
        description=f"citizen-app {stage}: {spec.logical_id} ({spec.key_spec}, {spec.key_usage})",
        key_spec=getattr(kms.KeySpec, spec.key_spec),
        key_usage=getattr(kms.KeyUsage, spec.key_usage),
        enable_key_rotation=symmetric,  # KMS rotates symmetric keys only
        removal_policy=RemovalPolicy.RETAIN,
    )


def _allow_cloudwatch_alarms(key: kms.Key) -> None:
    """Alarm notifications go to an SNS topic encrypted with this key."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=["*"],  # in a key policy "*" means this key
        )
    )


def _build_table(scope: Construct, spec: Table, key: kms.Key, prod: bool) -> dynamodb.Table:
    string = dynamodb.AttributeType.STRING
    table = dynamodb.Table(
        scope,
        spec.logical_id,
        partition_key=dynamodb.Attribute(name=spec.partition_key, type=string),
        sort_key=dynamodb.Attribute(name=spec.sort_key, type=string),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        # The erasure schedule looks back as far (services/erasure.py): a table restored to any point in the
        # window still holds the requests of accounts erased since, and erases them again within the hour.
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True, recovery_period_in_days=BACKUP_WINDOW_DAYS
        ),
        time_to_live_attribute=spec.ttl_attribute,
        encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
        deletion_protection=prod,
        removal_policy=RemovalPolicy.RETAIN if prod else RemovalPolicy.DESTROY,
    )
    for index in spec.indexes:
        table.add_global_secondary_index(
            index_name=index.name,
            partition_key=dynamodb.Attribute(name=index.partition_key, type=string),
            sort_key=dynamodb.Attribute(name=index.sort_key, type=string),
            projection_type=dynamodb.ProjectionType.ALL,
        )
    return table


def build_data(scope: Construct, resources: Resources, stage: str, prod: bool) -> DataResources:
    keys = {spec.logical_id: _build_key(scope, spec, stage) for spec in resources.keys}
    data_key = keys[_only(resources.keys, "ENCRYPT_DECRYPT").logical_id]
    _allow_cloudwatch_alarms(data_key)
    tables = {spec.logical_id: _build_table(scope, spec, data_key, prod) for spec in resources.tables}
    secrets = {
        spec.logical_id: secretsmanager.Secret(
            scope,
            spec.logical_id,
            secret_name=resource_name(spec.logical_id, stage),
            description=f"{spec.description}. Set by operators (docs/deploy.md).",
            encryption_key=data_key,
            removal_policy=RemovalPolicy.RETAIN if prod else RemovalPolicy.DESTROY,
        )
        for spec in resources.secrets
    }
    signing_keys = tuple(keys[spec.logical_id] for spec in resources.keys if spec.key_usage == "SIGN_VERIFY")
    return DataResources(keys=keys, tables=tables, secrets=secrets, data_key=data_key, signing_keys=signing_keys)
