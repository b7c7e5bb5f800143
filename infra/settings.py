"""Per-stage deployment settings: read from CDK context (cdk.json or `-c`), offline-safe defaults."""

import os
from dataclasses import dataclass
from typing import Any

STAGES = ("dev", "prod")
APP_NAME = "citizen-app"
# Offline synth needs some account/region; a real deploy takes them from the CLI's environment.
OFFLINE_ACCOUNT = "123456789012"
OFFLINE_REGION = "ap-southeast-1"


@dataclass(frozen=True)
class StageSettings:
    stage: str
    account: str
    region: str
    eid_issuer: str
    eid_client_id: str
    token_issuer: str
    tax_authority_url: str  # the tax authority's API (https); our client is registered there as tax_client_id
    tax_client_id: str
    payment_gateway_url: str  # the payment gateway's payment page base (https)
    payment_merchant_code: str
    payment_collection_bank_bin: str  # the State Treasury collection account VietQR transfers pay into
    payment_collection_account: str
    waf_rate_limit: int  # requests per 5 minutes per client IP
    alarm_email: str  # empty: alarms publish to the topic, nobody subscribed yet
    log_retention_days: int
    owns_api_gateway_account: bool  # sets the per-account/region API Gateway CloudWatch role
    cors_allowed_origins: str  # comma-separated web origins (the city portal); empty: no browser client

    @property
    def is_prod(self) -> bool:
        return self.stage == "prod"

    @property
    def stack_name(self) -> str:
        return f"{APP_NAME}-{self.stage}"


def load_stage(stage: str, context: Any) -> StageSettings:
    """`context` is a construct node: per-stage values live under the context key `<stage>`."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; expected one of {STAGES}")
    values = dict(context.try_get_context(stage) or {})

    def get(name: str, default: str | None = None) -> str:
        value = context.try_get_context(f"{stage}.{name}") or values.get(name) or default
        if value is None:
            raise ValueError(f"context value {stage}.{name} is missing")
        return str(value)

    return StageSettings(
        stage=stage,
        account=get("account", os.environ.get("CDK_DEFAULT_ACCOUNT") or OFFLINE_ACCOUNT),
        region=get("region", os.environ.get("CDK_DEFAULT_REGION") or OFFLINE_REGION),
        eid_issuer=get("eid_issuer"),
        eid_client_id=get("eid_client_id"),
        token_issuer=get("token_issuer"),
        tax_authority_url=get("tax_authority_url"),
        tax_client_id=get("tax_client_id"),
        payment_gateway_url=get("payment_gateway_url"),
        payment_merchant_code=get("payment_merchant_code"),
        payment_collection_bank_bin=get("payment_collection_bank_bin"),
        payment_collection_account=get("payment_collection_account"),
        waf_rate_limit=int(get("waf_rate_limit", "3000")),
        alarm_email=get("alarm_email", ""),
        log_retention_days=int(get("log_retention_days", "30" if stage == "dev" else "365")),
        owns_api_gateway_account=get("owns_api_gateway_account", "true").lower() == "true",
        cors_allowed_origins=get("cors_allowed_origins", ""),
    )
