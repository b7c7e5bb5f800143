"""Least privilege: no wildcard actions or resources; the functions' role holds exactly its table,
index, key, secret, bucket and log grants."""

from chalicelib.resources import RESOURCES
from infra.access import DATA_KEY_ACTIONS, SECRET_ACTIONS, SIGNING_KEY_ACTIONS, TABLE_ACTIONS
from tests.infra.cfn import as_list, function_role_statements, grants, policy_statements, resources

# Actions AWS only grants on "*" (none used yet); anything else must name its resources.
STAR_ONLY_ACTIONS: frozenset = frozenset()


def test_no_wildcard_actions_in_any_policy(synth, stage):
    for owner, statement in policy_statements(synth.raw(stage)):
        for action in as_list(statement["Action"]):
            assert action != "*" and not action.endswith(":*"), f"{owner}: {action}"


def test_no_star_resources_in_any_identity_policy(synth, stage):
    for owner, statement in policy_statements(synth.raw(stage)):
        if "*" in as_list(statement["Resource"]):
            assert set(as_list(statement["Action"])) <= STAR_ONLY_ACTIONS, (owner, statement)


def test_function_role_has_exactly_its_table_and_index_actions(synth, stage):
    template = synth.raw(stage)
    allowed = grants(function_role_statements(template))
    table_id = next(iter(resources(template, "AWS::DynamoDB::Table")))
    table_arn = {"Fn::GetAtt": [table_id, "Arn"]}
    index_arns = [{"Fn::Join": ["", [table_arn, f"/index/{i.name}"]]} for i in RESOURCES.tables[0].indexes]
    dynamo = {a: r for a, r in allowed.items() if a.startswith("dynamodb:")}
    expected = {a: [table_arn] for a in TABLE_ACTIONS}
    expected["dynamodb:Query"] = [table_arn, *index_arns]
    assert dynamo == expected
    assert "dynamodb:Scan" not in allowed


def test_function_role_signs_with_the_signing_keys_and_reads_only_its_secrets(synth, stage):
    """Both signing keys (session tokens, wallet credentials), and nothing else, may sign."""
    template = synth.raw(stage)
    allowed = grants(function_role_statements(template))
    keys = resources(template, "AWS::KMS::Key")
    signing = sorted(k for k, v in keys.items() if v["Properties"]["KeyUsage"] == "SIGN_VERIFY")
    data = next(k for k, v in keys.items() if v["Properties"]["KeyUsage"] == "ENCRYPT_DECRYPT")
    assert len(signing) == 2
    for action in SIGNING_KEY_ACTIONS:
        assert sorted(map(str, allowed[action])) == sorted(str({"Fn::GetAtt": [k, "Arn"]}) for k in signing)
    for action in DATA_KEY_ACTIONS:
        assert allowed[action] == [{"Fn::GetAtt": [data, "Arn"]}]
    secrets = [{"Ref": k} for k in resources(template, "AWS::SecretsManager::Secret")]
    assert sorted(map(str, allowed[SECRET_ACTIONS[0]])) == sorted(map(str, secrets))


def test_functions_run_with_the_explicit_role(synth, stage):
    template = synth.raw(stage)
    functions = resources(template, "AWS::Serverless::Function")
    assert functions
    role_ids = {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions.values()}
    assert len(role_ids) == 1
    assert template["Resources"][role_ids.pop()]["Type"] == "AWS::IAM::Role"
