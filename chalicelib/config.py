"""Typed settings, read lazily from the environment; a missing setting fails fast with its name.

The only reader of the environment in the package: everything else asks for Settings.
"""

import os
from dataclasses import dataclass

from chalicelib.domain.login import redirect_uri_problem
from chalicelib.resources import (
    CREDENTIAL_SIGNING_KEY,
    CURSOR_KEY_SECRET,
    DOCUMENTS_BUCKET,
    EID_CLIENT_KEY_SECRET,
    EXPORTS_QUEUE,
    FCM_SERVICE_ACCOUNT_SECRET,
    MAIN_TABLE,
    NOTIFICATIONS_QUEUE,
    PAYMENT_GATEWAY_SECRET,
    PERSON_KEY_SECRET,
    PUSH_QUEUE,
    SESSION_SIGNING_KEY,
    TAX_CLIENT_KEY_SECRET,
)

LOCAL_STAGE = "local"


class ConfigurationError(RuntimeError):
    """The process cannot serve: a setting is missing or unsafe for its stage."""


def required_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


def _optional(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _int(name: str, default: int) -> int:
    raw = _optional(name)
    return int(raw) if raw else default


def _positive(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 1:
        raise ConfigurationError(f"environment variable {name} must be a positive integer")
    return value


@dataclass(frozen=True)
class Limits:
    """Rate limits and per-citizen caps (docs/limits.md says why these numbers). The test stack raises them."""

    login_starts_per_minute: int  # per client IP
    receipt_lookups_per_minute: int  # per client IP
    device_registrations_per_hour: int  # per citizen
    online_filings_per_hour: int  # per citizen
    share_views_per_minute: int  # per client IP: each view writes the citizen's access log
    pin_failures_per_client: int  # wrong pins per receipt and client IP within pin_lock_seconds
    pin_failures_per_receipt: int  # wrong pins per receipt from everywhere within a day
    pin_lock_seconds: int
    devices_per_citizen: int
    pending_filings_per_citizen: int  # online filings the agency has not received yet
    upload_requests_per_hour: int  # per citizen: presigned POSTs asked for
    pending_uploads_per_citizen: int  # uploads asked for and not yet processed (within the pending window)
    business_status_views_per_minute: int = 30  # per client IP: public business status checks
    calendar_feed_reads_per_minute: int = 30  # per client IP: calendar apps poll their feeds
    export_requests_per_day: int = 10  # per citizen: each export reads all their data and zips their files


def load_limits() -> Limits:
    return Limits(
        login_starts_per_minute=_positive("RATE_LOGIN_STARTS_PER_MINUTE", 20),
        receipt_lookups_per_minute=_positive("RATE_RECEIPT_LOOKUPS_PER_MINUTE", 30),
        device_registrations_per_hour=_positive("RATE_DEVICE_REGISTRATIONS_PER_HOUR", 10),
        online_filings_per_hour=_positive("RATE_ONLINE_FILINGS_PER_HOUR", 20),
        share_views_per_minute=_positive("RATE_SHARE_VIEWS_PER_MINUTE", 30),
        pin_failures_per_client=_positive("PIN_FAILURES_PER_CLIENT", 5),
        pin_failures_per_receipt=_positive("PIN_FAILURES_PER_RECEIPT", 100),
        pin_lock_seconds=_positive("PIN_LOCK_SECONDS", 15 * 60),
        devices_per_citizen=_positive("MAX_DEVICES_PER_CITIZEN", 10),
        pending_filings_per_citizen=_positive("MAX_PENDING_FILINGS", 20),
        upload_requests_per_hour=_positive("RATE_UPLOAD_REQUESTS_PER_HOUR", 60),
        pending_uploads_per_citizen=_positive("MAX_PENDING_UPLOADS", 20),
        business_status_views_per_minute=_positive("RATE_BUSINESS_STATUS_VIEWS_PER_MINUTE", 30),
        calendar_feed_reads_per_minute=_positive("RATE_CALENDAR_FEED_READS_PER_MINUTE", 30),
        export_requests_per_day=_positive("RATE_EXPORT_REQUESTS_PER_DAY", 10),
    )


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    aws_endpoint_url: str  # empty on AWS; the embedded AWS locally
    table_name: str
    token_signing_key_id: str
    token_issuer: str
    token_audience: str
    access_token_ttl: int
    session_idle_ttl: int
    session_absolute_ttl: int
    login_state_ttl: int
    eid_issuer: str
    eid_client_id: str
    eid_client_key_secret_id: str
    eid_timeout_seconds: float
    login_redirect_uris: tuple[str, ...]  # exact matches; checked by domain.login.redirect_uri_problem
    refresh_reuse_grace_seconds: int  # a rotated refresh token replays its successor this long (at most 30 s)
    cors_allowed_origins: tuple[str, ...]  # web origins (scheme://host[:port]) a browser may call us from
    max_body_bytes: int
    notifications_queue_url: str
    push_queue_url: str
    exports_queue_url: str  # data exports to build (the exports worker)
    person_key_secret_id: str
    cursor_key_secret_id: str
    fcm_service_account_secret_id: str
    fcm_endpoint: str  # the local FCM endpoint; honoured in the local stage only
    push_max_attempts: int
    push_retry_base_seconds: int
    holiday_calendar_path: str  # empty: the calendar shipped in the package
    limits: Limits
    credential_signing_key_id: str
    credential_issuer: str  # the wallet's issuer identifier: the API's public base URL (`iss` of credentials)
    status_list_ttl: int  # seconds a verifier may cache a status list token
    max_live_shares: int  # live wallet shares per citizen
    documents_bucket: str  # citizens' uploads (raw/) and their derivatives (documents/)
    upload_url_seconds: int  # life of a presigned upload POST or download link, 1..300
    tax_authority_url: str  # the tax authority's API; our client assertions name it as audience
    tax_client_id: str
    tax_client_key_secret_id: str
    tax_timeout_seconds: float
    tax_fresh_seconds: int  # a cached tax answer younger than this is served without asking upstream
    tax_stale_seconds: int  # how long a cached answer is kept to be served, marked stale, when upstream fails
    payment_gateway_url: str
    payment_merchant_code: str
    payment_gateway_secret_id: str
    payment_return_url: str  # where the gateway sends the citizen's browser back (the app's link)
    # The collection account a VietQR transfer pays into: the NAPAS BIN of its bank and its number.
    payment_collection_bank_bin: str
    payment_collection_account: str
    # Where phones reach S3, for presigned links: the embedded AWS on the LAN address; local stage only
    # (on AWS the client's own regional endpoint is the public one).
    documents_public_endpoint_url: str = ""

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE

    @property
    def push_dead_letter_queue_url(self) -> str:
        """Named `<queue>-dlq` by the one naming rule (infra/messaging.py, devstack/provision.py)."""
        return self.push_queue_url + "-dlq"


def load_settings() -> Settings:
    stage = required_env("STAGE")
    settings = Settings(
        stage=stage,
        region=_optional("AWS_REGION") or _optional("AWS_DEFAULT_REGION", "ap-southeast-1"),
        aws_endpoint_url=_optional("AWS_ENDPOINT_URL"),
        table_name=required_env(MAIN_TABLE.env_var),
        token_signing_key_id=required_env(SESSION_SIGNING_KEY.env_var),
        token_issuer=required_env("TOKEN_ISSUER"),
        token_audience=_optional("TOKEN_AUDIENCE", "citizen-app"),
        access_token_ttl=min(_int("ACCESS_TOKEN_TTL", 600), 600),
        session_idle_ttl=_int("SESSION_IDLE_TTL", 14 * 86400),
        session_absolute_ttl=_int("SESSION_ABSOLUTE_TTL", 90 * 86400),
        login_state_ttl=_int("LOGIN_STATE_TTL", 600),
        eid_issuer=required_env("EID_ISSUER"),
        eid_client_id=required_env("EID_CLIENT_ID"),
        eid_client_key_secret_id=required_env(EID_CLIENT_KEY_SECRET.env_var),
        eid_timeout_seconds=float(_optional("EID_TIMEOUT_SECONDS", "3")),
        login_redirect_uris=_redirect_uris(stage),
        refresh_reuse_grace_seconds=max(0, min(_int("REFRESH_REUSE_GRACE_SECONDS", 30), 30)),
        cors_allowed_origins=_origins(_optional("CORS_ALLOWED_ORIGINS")),
        max_body_bytes=_int("MAX_BODY_BYTES", 64 * 1024),
        notifications_queue_url=required_env(NOTIFICATIONS_QUEUE.env_var),
        push_queue_url=required_env(PUSH_QUEUE.env_var),
        exports_queue_url=required_env(EXPORTS_QUEUE.env_var),
        person_key_secret_id=required_env(PERSON_KEY_SECRET.env_var),
        cursor_key_secret_id=required_env(CURSOR_KEY_SECRET.env_var),
        fcm_service_account_secret_id=required_env(FCM_SERVICE_ACCOUNT_SECRET.env_var),
        fcm_endpoint=_optional("FCM_ENDPOINT") if stage == LOCAL_STAGE else "",
        push_max_attempts=_int("PUSH_MAX_ATTEMPTS", 5),
        push_retry_base_seconds=_int("PUSH_RETRY_BASE_SECONDS", 30),
        holiday_calendar_path=_optional("HOLIDAY_CALENDAR_PATH"),
        limits=load_limits(),
        credential_signing_key_id=required_env(CREDENTIAL_SIGNING_KEY.env_var),
        credential_issuer=(_optional("CREDENTIAL_ISSUER") or required_env("TOKEN_ISSUER")).rstrip("/"),
        status_list_ttl=_int("STATUS_LIST_TTL", 300),
        max_live_shares=_int("MAX_LIVE_SHARES", 50),
        documents_bucket=required_env(DOCUMENTS_BUCKET.env_var),
        upload_url_seconds=max(1, min(_int("UPLOAD_URL_SECONDS", 300), 300)),
        tax_authority_url=required_env("TAX_AUTHORITY_URL").rstrip("/"),
        tax_client_id=required_env("TAX_CLIENT_ID"),
        tax_client_key_secret_id=required_env(TAX_CLIENT_KEY_SECRET.env_var),
        tax_timeout_seconds=float(_optional("TAX_TIMEOUT_SECONDS", "3")),
        tax_fresh_seconds=_positive("TAX_FRESH_SECONDS", 300),
        tax_stale_seconds=_positive("TAX_STALE_SECONDS", 7 * 86400),
        payment_gateway_url=required_env("PAYMENT_GATEWAY_URL").rstrip("/"),
        payment_merchant_code=required_env("PAYMENT_MERCHANT_CODE"),
        payment_gateway_secret_id=required_env(PAYMENT_GATEWAY_SECRET.env_var),
        payment_return_url=_optional("PAYMENT_RETURN_URL", "citizenapp://payments/return"),
        payment_collection_bank_bin=required_env("PAYMENT_COLLECTION_BANK_BIN"),
        payment_collection_account=required_env("PAYMENT_COLLECTION_ACCOUNT"),
        documents_public_endpoint_url=_optional("DOCUMENTS_PUBLIC_ENDPOINT_URL") if stage == LOCAL_STAGE else "",
    )
    _refuse_dev_parts_outside_local(settings)
    return settings


def _redirect_uris(stage: str) -> tuple[str, ...]:
    """Comma-separated; an unsafe entry stops the process here rather than open a login to it."""
    uris = tuple(u.strip() for u in _optional("LOGIN_REDIRECT_URIS").split(",") if u.strip())
    for uri in uris:
        problem = redirect_uri_problem(uri, allow_loopback_http=stage == LOCAL_STAGE)
        if problem:
            raise ConfigurationError(f"LOGIN_REDIRECT_URIS entry {uri!r} is not a safe redirect URI: {problem}")
    return uris


def _origins(raw: str) -> tuple[str, ...]:
    """An Origin header is scheme://host[:port], lower case, no path: a listed origin must be one, or it never matches."""
    origins = tuple(o.strip().rstrip("/").lower() for o in raw.split(",") if o.strip())
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in ("https", "http") or not rest or "/" in rest or "*" in rest:
            raise ConfigurationError(f"CORS_ALLOWED_ORIGINS: {origin!r} is not an origin (scheme://host[:port])")
    return origins


def stage_at_import() -> str:
    """The stage, for what must be named when app.py is imported (SQS event sources name their queue):
    the one setting read at import time. Chalice's packaging exports it per stage."""
    return _optional("STAGE", LOCAL_STAGE)


def _refuse_dev_parts_outside_local(settings: Settings) -> None:
    """A deployed stage must never trust the dev eID provider or an embedded AWS endpoint."""
    if settings.is_local:
        return
    if not settings.eid_issuer.startswith("https://"):
        raise ConfigurationError(
            f"stage {settings.stage} needs a real eID provider (https issuer); "
            f"the local eID provider is only for the '{LOCAL_STAGE}' stage"
        )
    if not settings.credential_issuer.startswith("https://"):
        raise ConfigurationError(f"stage {settings.stage} needs an https CREDENTIAL_ISSUER (the API's public URL)")
    for name, url in (
        ("TAX_AUTHORITY_URL", settings.tax_authority_url),
        ("PAYMENT_GATEWAY_URL", settings.payment_gateway_url),
    ):
        if not url.startswith("https://"):
            raise ConfigurationError(
                f"stage {settings.stage} needs an https {name}; the local one is for '{LOCAL_STAGE}'"
            )
    if settings.aws_endpoint_url:
        raise ConfigurationError(f"stage {settings.stage} must not set AWS_ENDPOINT_URL")
