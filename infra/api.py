"""The Chalice app as a CDK construct, plus what the API stage needs around it: env vars, the
explicit role, problem+json gateway responses, access logging and the WAF web ACL association."""

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from aws_cdk import CfnResource, Fn, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from constructs import Construct

from infra.bytecode import add_bytecode
from infra.problems import gateway_responses

REST_API = "RestAPI"
ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
    '"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",'
    '"resourcePath":"$context.resourcePath","status":"$context.status",'
    '"protocol":"$context.protocol","responseLength":"$context.responseLength",'
    '"integrationLatency":"$context.integrationLatency","latency":"$context.responseLatency",'
    '"errorType":"$context.error.responseType","wafStatus":"$context.waf.status"}'
)  # no path parameters or query strings: they may carry personal data


@contextlib.contextmanager
def _packaging(path: Path, region: str) -> Iterator[None]:
    """Isolates one `chalice package` run. chalice.cdk writes under the current directory (use the
    build dir); botocore wants a region (the stack's; nothing is called); and Chalice imports app.py
    after exporting the stage's environment, so modules that read STAGE at import (SQS event source
    queue names) must be imported afresh per stage, and the process environment restored after."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    previous_dir, previous_env = os.getcwd(), dict(os.environ)
    previous_modules = {
        name: sys.modules.pop(name) for name in list(sys.modules) if name == "app" or name.split(".")[0] == "chalicelib"
    }
    os.chdir(path)
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        yield
    finally:
        os.chdir(previous_dir)
        os.environ.clear()
        os.environ.update(previous_env)
        for name in [n for n in sys.modules if n == "app" or n.split(".")[0] == "chalicelib"]:
            del sys.modules[name]
        sys.modules.update(previous_modules)


class PrecompiledChalice(Chalice):
    """chalice.cdk's construct, with compiled bytecode added to the packages (function code and the
    dependency layer) before they become assets: Chalice ships sources only (infra/bytecode.py)."""

    @property
    def package_dir(self) -> Path:
        """Where the built package lies: deployment.zip (app code), layer-deployment.zip, sam.json."""
        return Path(self._sam_package_dir)

    def _package_app(self) -> None:
        super()._package_app()
        package = self.package_dir
        sam = json.loads((package / "sam.json").read_text())
        runtimes = {
            r["Properties"]["Runtime"] for r in sam["Resources"].values() if r["Type"] == "AWS::Serverless::Function"
        }
        if len(runtimes) != 1:
            raise RuntimeError(f"expected one Lambda runtime for the package, got {runtimes}")
        runtime = runtimes.pop()
        for name in ("deployment.zip", "layer-deployment.zip"):
            if (package / name).exists():
                add_bytecode(package / name, runtime)


def build_chalice(
    scope: Construct, project_dir: Path, build_dir: Path, env: dict[str, str], role: iam.IRole
) -> Chalice:
    stage_config = {
        "environment_variables": env,
        # Dependencies in a layer keyed by requirements.txt only: editing app code re-zips the
        # small function package instead of re-running pip for every dependency.
        "automatic_layer": True,
        "manage_iam_role": False,
        "iam_role_arn": role.role_arn,
    }
    with _packaging(build_dir, Stack.of(scope).region):
        return PrecompiledChalice(scope, "ChaliceApp", source_dir=str(project_dir), stage_config=stage_config)


def configure_rest_api(chalice: Chalice, name: str, access_logs: logs.ILogGroup) -> CfnResource:
    api = chalice.get_resource(REST_API)
    api.add_property_override("Name", name)  # else both stages are "citizen-app" in metrics
    api.add_property_override("DefinitionBody.x-amazon-apigateway-gateway-responses", gateway_responses())
    api.add_property_override("DefinitionBody.paths", every_method_to_the_app(_generated_paths(chalice)))
    api.add_property_override(
        "AccessLogSetting", {"DestinationArn": access_logs.log_group_arn, "Format": ACCESS_LOG_FORMAT}
    )
    api.add_property_override(
        "MethodSettings",
        [
            {
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "MetricsEnabled": True,
                "LoggingLevel": "ERROR",
                "DataTraceEnabled": False,  # data traces would log tokens
            }
        ],
    )
    return api


def _generated_paths(chalice: Chalice) -> dict[str, dict]:
    sam = json.loads((Path(chalice.package_dir) / "sam.json").read_text())
    return sam["Resources"][REST_API]["Properties"]["DefinitionBody"]["paths"]


def every_method_to_the_app(paths: dict[str, dict]) -> dict[str, dict]:
    """An ANY method on every resource, integrated like its declared methods (explicit methods win over ANY).

    Without it API Gateway answers a method a resource lacks with 403 MISSING_AUTHENTICATION_TOKEN (our 404
    route_not_found), so a browser's CORS preflight (OPTIONS) never reaches the app, and PUT on a GET route is a
    404 on AWS but a 405 locally. With it the function gets them: its middleware answers OPTIONS (Allow, and the
    preflight for an allowed origin: the allowlist is a setting, which API Gateway's static mock integration for
    OPTIONS could not echo) and Chalice answers 405 with Allow, made problem+json. Methods outside API Gateway's
    seven (TRACE, QUERY) are refused by API Gateway itself, with one of our problem+json gateway responses.
    The function's invoke permission already covers every method and path (`<api>/*`)."""
    merged = {}
    for path, methods in paths.items():
        declared = next(iter(methods.values()))
        merged[path] = {
            "x-amazon-apigateway-any-method": {
                "responses": declared["responses"],
                "x-amazon-apigateway-integration": declared["x-amazon-apigateway-integration"],
            }
        }
    return merged


def functions_of(chalice: Chalice) -> list[CfnResource]:
    """The Lambda functions Chalice generated (one per handler, named by their logical ids)."""
    return [
        child
        for child in chalice.sam_template.node.children
        if isinstance(child, CfnResource) and child.cfn_resource_type == "AWS::Serverless::Function"
    ]


def stage_arn(scope: Construct, chalice: Chalice) -> str:
    stack = Stack.of(scope)
    api_id = chalice.get_resource(REST_API).ref
    # SAM resolves `Ref: <Api>.Stage` to the stage it generates, so the association waits for it.
    return Fn.join(
        "",
        [
            f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/",
            api_id,
            "/stages/",
            Fn.ref(f"{REST_API}.Stage"),
        ],
    )


def build_cloudwatch_role_setting(scope: Construct) -> CfnResource:
    """API Gateway writes access/execution logs only once its account-level CloudWatch role is set.
    The setting is per account and region: one stack per account/region should own it."""
    role = iam.Role(
        scope,
        "ApiGatewayCloudWatchRole",
        assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonAPIGatewayPushToCloudWatchLogs")
        ],
    )
    return apigateway.CfnAccount(scope, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)
