"""The API stage: problem+json gateway responses, access logs, WAF, and the functions' settings."""

import json
import sys
import zipfile

import pytest

from chalicelib.api.problems import PROBLEM_TYPE_PREFIX
from chalicelib.resources import RESOURCES
from tests.infra.cfn import one, resources

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "code"}


def _rest_api(template: dict) -> dict:
    return template["Resources"]["RestAPI"]["Properties"]


def test_gateway_errors_answer_problem_json(synth, stage):
    responses = _rest_api(synth.raw(stage))["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    assert {"DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN"} <= set(responses)
    for response_type, response in responses.items():
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/problem+json'"
        for template in response["responseTemplates"].values():
            body = json.loads(template)
            assert set(body) == PROBLEM_FIELDS, response_type
            assert str(body["status"]) == response["statusCode"], response_type
            assert body["type"] == PROBLEM_TYPE_PREFIX + body["code"]
            assert body["instance"] == "$context.requestId"


def test_unknown_path_is_a_404_route_not_found(synth, stage):
    responses = _rest_api(synth.raw(stage))["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["statusCode"] == "404"
    body = json.loads(missing["responseTemplates"]["application/json"])
    assert body["code"] == "route_not_found" and body["status"] == 404


def test_problem_type_prefix_matches_the_app():
    problems = pytest.importorskip("chalicelib.api.problems")
    assert PROBLEM_TYPE_PREFIX == problems.PROBLEM_TYPE_PREFIX


def test_every_resource_sends_every_method_to_the_function(synth, stage):
    """OPTIONS (CORS preflight) and undeclared methods reach the app, which answers 204/405 as it does locally;
    without ANY, API Gateway would answer them 404 route_not_found before the function."""
    paths = _rest_api(synth.raw(stage))["DefinitionBody"]["paths"]
    assert "/openapi.json" in paths and "/docs" not in paths  # the docs page is the local stack's only
    for path, methods in paths.items():
        integrations = {json.dumps(m["x-amazon-apigateway-integration"], sort_keys=True) for m in methods.values()}
        assert "x-amazon-apigateway-any-method" in methods, path
        assert len(integrations) == 1, f"{path}: ANY is integrated like its declared methods"


def test_the_functions_know_the_allowed_web_origins(synth, stage):
    for function in resources(synth.raw(stage), "AWS::Serverless::Function").values():
        origins = function["Properties"]["Environment"]["Variables"]["CORS_ALLOWED_ORIGINS"]
        assert origins.startswith("https://"), origins


def test_access_logging_goes_to_a_retained_log_group(synth, stage):
    template = synth.raw(stage)
    setting = _rest_api(template)["AccessLogSetting"]
    group_id = setting["DestinationArn"]["Fn::GetAtt"][0]
    group = template["Resources"][group_id]
    assert group["Type"] == "AWS::Logs::LogGroup" and group["Properties"]["RetentionInDays"] >= 30
    assert json.loads(setting["Format"])["requestId"] == "$context.requestId"


def test_waf_rate_limits_and_is_associated_with_the_api_stage(synth, stage):
    template = synth.raw(stage)
    acl_id, acl = one(template, "AWS::WAFv2::WebACL")
    assert acl["Properties"]["Scope"] == "REGIONAL"
    rate = [r for r in acl["Properties"]["Rules"] if "RateBasedStatement" in r["Statement"]]
    assert rate and "Block" in rate[0]["Action"]
    _, association = one(template, "AWS::WAFv2::WebACLAssociation")
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    arn_parts = association["Properties"]["ResourceArn"]["Fn::Join"][1]
    assert {"Ref": "RestAPI"} in arn_parts and {"Ref": "RestAPI.Stage"} in arn_parts


def test_functions_get_every_resource_env_var(synth, stage):
    names = [
        r.env_var for group in (RESOURCES.tables, RESOURCES.queues, RESOURCES.keys, RESOURCES.secrets) for r in group
    ]
    for function in resources(synth.raw(stage), "AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert set(names) <= set(variables)
        assert variables["STAGE"] == stage


def test_the_app_settings_load_from_the_deployed_environment(synth, stage, monkeypatch):
    """No drift between what the stack sets and what chalicelib/config.py requires."""
    config = pytest.importorskip("chalicelib.config")
    function = next(iter(resources(synth.raw(stage), "AWS::Serverless::Function").values()))
    for name in ("AWS_ENDPOINT_URL",):
        monkeypatch.delenv(name, raising=False)
    for name, value in function["Properties"]["Environment"]["Variables"].items():
        monkeypatch.setenv(name, value if isinstance(value, str) else f"resolved-{name.lower()}")
    settings = config.load_settings()
    assert settings.stage == stage


def test_code_and_dependency_layer_ship_bytecode_for_the_runtime(synth):
    """The assets hold .pyc beside the sources; infra/bytecode.py's own tests cover the compiler."""
    tag = f"cpython-{sys.version_info.major}{sys.version_info.minor}"
    names = [zipfile.ZipFile(p).namelist() for p in sorted(synth.outdir.glob("asset.*.zip"))]
    code = [n for n in names if "app.py" in n]
    layer = [n for n in names if any(x.startswith("python/lib/") for x in n)]
    assert code and layer
    for listing in code:
        assert f"__pycache__/app.{tag}.pyc" in listing
        assert any(n.startswith("chalicelib/") and n.endswith(f".{tag}.pyc") for n in listing)
    for listing in layer:
        assert any(n.endswith(f"/boto3/__pycache__/session.{tag}.pyc") for n in listing)


def test_api_gateway_may_write_its_logs_before_the_api_exists(synth, stage):
    template = synth.raw(stage)
    account_id, account = one(template, "AWS::ApiGateway::Account")
    role_id = account["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][0]
    assert template["Resources"][role_id]["Type"] == "AWS::IAM::Role"
    assert account_id in template["Resources"]["RestAPI"]["DependsOn"]
