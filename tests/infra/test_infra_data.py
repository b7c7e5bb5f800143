"""The table, keys and secrets match chalicelib/resources.py; encrypted, recoverable, protected in prod."""

from chalicelib.domain.erasure import BACKUP_WINDOW_DAYS
from chalicelib.resources import RESOURCES
from tests.infra.cfn import one, resources


def test_table_matches_resources_py_as_cdk_sees_it(synth, stage):
    spec = RESOURCES.tables[0]
    synth.templates[stage].has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [
                {"AttributeName": spec.partition_key, "KeyType": "HASH"},
                {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
            ],
            "TimeToLiveSpecification": {"AttributeName": spec.ttl_attribute, "Enabled": True},
            "BillingMode": "PAY_PER_REQUEST",
        },
    )


def test_table_keys_indexes_and_ttl_match_resources_py(synth, stage):
    spec = RESOURCES.tables[0]
    assert len(RESOURCES.tables) == 1
    _, table = one(synth.raw(stage), "AWS::DynamoDB::Table")
    props = table["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": spec.partition_key, "KeyType": "HASH"},
        {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
    ]
    assert props["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}
    indexes = {i["IndexName"]: i["KeySchema"] for i in props.get("GlobalSecondaryIndexes", [])}
    assert indexes == {
        i.name: [
            {"AttributeName": i.partition_key, "KeyType": "HASH"},
            {"AttributeName": i.sort_key, "KeyType": "RANGE"},
        ]
        for i in spec.indexes
    }


def test_table_is_on_demand_recoverable_and_kms_encrypted(synth, stage):
    template = synth.raw(stage)
    _, table = one(template, "AWS::DynamoDB::Table")
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["PointInTimeRecoverySpecification"]["RecoveryPeriodInDays"] == BACKUP_WINDOW_DAYS  # = erasure lookback
    sse = props["SSESpecification"]
    assert sse["SSEEnabled"] is True and sse["SSEType"] == "KMS"
    key_id = sse["KMSMasterKeyId"]["Fn::GetAtt"][0]
    assert template["Resources"][key_id]["Properties"]["KeySpec"] == "SYMMETRIC_DEFAULT"


def test_prod_table_is_protected_and_retained(synth):
    _, prod = one(synth.raw("prod"), "AWS::DynamoDB::Table")
    assert prod["Properties"]["DeletionProtectionEnabled"] is True
    assert prod["DeletionPolicy"] == "Retain" and prod["UpdateReplacePolicy"] == "Retain"
    _, dev = one(synth.raw("dev"), "AWS::DynamoDB::Table")
    assert not dev["Properties"].get("DeletionProtectionEnabled")


def test_keys_match_resources_py(synth, stage):
    keys = resources(synth.raw(stage), "AWS::KMS::Key")
    found = sorted((k["Properties"]["KeySpec"], k["Properties"]["KeyUsage"]) for k in keys.values())
    assert found == sorted((k.key_spec, k.key_usage) for k in RESOURCES.keys)
    for key in keys.values():
        symmetric = key["Properties"]["KeySpec"] == "SYMMETRIC_DEFAULT"
        assert key["Properties"].get("EnableKeyRotation", False) is symmetric
        assert key["DeletionPolicy"] == "Retain"


def test_secrets_exist_encrypted_and_without_values_from_the_repo(synth, stage):
    secrets = resources(synth.raw(stage), "AWS::SecretsManager::Secret")
    assert len(secrets) == len(RESOURCES.secrets)
    for secret in secrets.values():
        assert "KmsKeyId" in secret["Properties"]
        assert "SecretString" not in secret["Properties"]  # operators set the value
