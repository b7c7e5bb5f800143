"""One stage of the backend: data, storage, queues, the Chalice app with its role, WAF, alarms."""

from pathlib import Path

from aws_cdk import CfnOutput, Environment, RemovalPolicy, Stack
from aws_cdk import aws_logs as logs
from constructs import Construct

from chalicelib.resources import DOCUMENTS_BUCKET, RESOURCES, Resources
from infra import nag
from infra.access import allow_function_logs, build_function_role
from infra.alarms import Alarms
from infra.api import (
    REST_API,
    build_chalice,
    build_cloudwatch_role_setting,
    configure_rest_api,
    functions_of,
    stage_arn,
)
from infra.data import DataResources, build_data
from infra.messaging import QueuePair, build_queues
from infra.settings import APP_NAME, StageSettings
from infra.storage import DOCUMENTS_BUCKET_ENV, Buckets, build_buckets, notify_raw_uploads
from infra.waf import build_web_acl

PROJECT_DIR = Path(__file__).resolve().parent.parent
API_STAGE = "v1"  # api_gateway_stage of the dev and prod stages in .chalice/config.json


def function_env(
    settings: StageSettings, resources: Resources, data: DataResources, buckets: Buckets, queues: list[QueuePair]
) -> dict[str, str]:
    """What the functions read from their environment (names from chalicelib/resources.py)."""
    env = {spec.env_var: data.tables[spec.logical_id].table_name for spec in resources.tables}
    env.update({spec.env_var: data.keys[spec.logical_id].key_id for spec in resources.keys})
    env.update({spec.env_var: data.secrets[spec.logical_id].secret_arn for spec in resources.secrets})
    env.update({pair.spec.env_var: pair.queue.queue_url for pair in queues})
    env[DOCUMENTS_BUCKET_ENV] = buckets.documents.bucket_name
    env.update(EID_ISSUER=settings.eid_issuer, EID_CLIENT_ID=settings.eid_client_id, TOKEN_ISSUER=settings.token_issuer)
    env["CORS_ALLOWED_ORIGINS"] = settings.cors_allowed_origins
    env.update(TAX_AUTHORITY_URL=settings.tax_authority_url, TAX_CLIENT_ID=settings.tax_client_id)
    env.update(PAYMENT_GATEWAY_URL=settings.payment_gateway_url, PAYMENT_MERCHANT_CODE=settings.payment_merchant_code)
    env.update(
        PAYMENT_COLLECTION_BANK_BIN=settings.payment_collection_bank_bin,
        PAYMENT_COLLECTION_ACCOUNT=settings.payment_collection_account,
    )
    return env


class CitizenStack(Stack):
    """The stack's construct id IS the Chalice stage name (chalice.cdk reads it from its scope)."""

    def __init__(
        self,
        scope: Construct,
        settings: StageSettings,
        build_dir: Path,
        resources: Resources = RESOURCES,
        project_dir: Path = PROJECT_DIR,
    ) -> None:
        super().__init__(
            scope,
            settings.stage,
            stack_name=settings.stack_name,
            env=Environment(account=settings.account, region=settings.region),
            termination_protection=settings.is_prod,
            description=f"{APP_NAME} backend, stage {settings.stage}",
        )
        prod = settings.is_prod
        self.data = build_data(self, resources, settings.stage, prod)
        self.buckets = build_buckets(self, self.data.data_key, settings.stage, prod)
        self.queues = build_queues(self, resources.queues, settings.stage, self.data.data_key)
        notified = next(p for p in self.queues if p.spec.logical_id == DOCUMENTS_BUCKET.notify_queue)
        notify_raw_uploads(self.buckets.documents, notified.queue, self.data.data_key, settings.stage)
        index_names = {t.logical_id: tuple(i.name for i in t.indexes) for t in resources.tables}
        self.role = build_function_role(self, self.data, self.buckets, self.queues, index_names)
        env = function_env(settings, resources, self.data, self.buckets, self.queues)
        self.chalice = build_chalice(self, project_dir, build_dir, env, self.role)
        self._functions(settings)
        self._api(settings)
        self._alarms(settings)
        nag.acknowledge(self)

    def _functions(self, settings: StageSettings) -> None:
        """Name each function after the stack, so its log group (with retention) and its log
        permission exist before the function first runs."""
        removal = RemovalPolicy.RETAIN if settings.is_prod else RemovalPolicy.DESTROY
        groups = {}
        for function in functions_of(self.chalice):
            name = f"{settings.stack_name}-{function.node.id}"
            function.add_property_override("FunctionName", name)
            groups[function] = logs.LogGroup(
                self,
                f"{function.node.id}Logs",
                log_group_name=f"/aws/lambda/{name}",
                retention=_retention(settings.log_retention_days),
                removal_policy=removal,
            )
        allow_function_logs(self.role, list(groups.values()))
        policy = self.role.node.try_find_child("DefaultPolicy")
        for function, group in groups.items():
            function.add_resource_dependency(group.node.default_child)
            if policy is not None:
                function.add_resource_dependency(policy.node.default_child)

    def _api(self, settings: StageSettings) -> None:
        access_logs = logs.LogGroup(
            self,
            "ApiAccessLogs",
            retention=_retention(settings.log_retention_days),
            removal_policy=RemovalPolicy.RETAIN if settings.is_prod else RemovalPolicy.DESTROY,
        )
        api = configure_rest_api(self.chalice, settings.stack_name, access_logs)
        if settings.owns_api_gateway_account:
            api.add_resource_dependency(build_cloudwatch_role_setting(self))
        self.web_acl, self.web_acl_association = build_web_acl(
            self, f"{settings.stack_name}-api", settings.waf_rate_limit, stage_arn(self, self.chalice)
        )
        CfnOutput(self, "ApiId", value=self.chalice.get_resource(REST_API).ref)

    def _alarms(self, settings: StageSettings) -> None:
        self.alarms = Alarms(self, "Alarms", self.data.data_key, settings.alarm_email)
        self.alarms.add_dead_letter_queues(self.queues)
        self.alarms.add_api(settings.stack_name, API_STAGE)
        for function in functions_of(self.chalice):
            self.alarms.add_function(function.node.id, f"{settings.stack_name}-{function.node.id}")
        for logical_id, table in self.data.tables.items():
            self.alarms.add_table(logical_id, table)


_RETENTION = {
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
}


def _retention(days: int) -> logs.RetentionDays:
    if days not in _RETENTION:
        raise ValueError(f"log_retention_days must be one of {sorted(_RETENTION)}, not {days}")
    return _RETENTION[days]
