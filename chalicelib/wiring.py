"""Builds each adapter once per Lambda container, lazily, on first use; tests swap them with override().

Nothing here runs at import time: the first request pays for what it uses and nothing more.
"""
import os
import threading
from typing import Any, Callable, TypeVar

from chalicelib.config import Settings, load_settings, required_env

T = TypeVar("T")
_instances: dict[str, Any] = {}
_lock = threading.RLock()


def _once(name: str, build: Callable[[], T]) -> T:
    instance = _instances.get(name)
    if instance is None:
        with _lock:
            instance = _instances.get(name)
            if instance is None:
                instance = _instances[name] = build()
    return instance


def override(name: str, instance: Any) -> None:
    _instances[name] = instance


def reset() -> None:
    with _lock:
        _instances.clear()


def settings() -> Settings:
    return _once("settings", load_settings)


def _aws_client(service: str) -> Any:
    from chalicelib.adapters.aws import aws_client
    current = settings()
    return aws_client(service, current.region, current.aws_endpoint_url)


def table() -> Any:
    from chalicelib.adapters.dynamo_table import DynamoTable
    return _once("table", lambda: DynamoTable(_aws_client("dynamodb"), settings().table_name))


def login_attempts() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoLoginAttemptRepository
    return _once("login_attempts", lambda: DynamoLoginAttemptRepository(table()))


def citizens() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoCitizenRepository
    return _once("citizens", lambda: DynamoCitizenRepository(table(), person_keys().key_of))


def sessions() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoSessionRepository
    return _once("sessions", lambda: DynamoSessionRepository(table()))


def public_keys() -> Any:
    from chalicelib.adapters.access_tokens import KmsPublicKeys
    return _once("public_keys", lambda: KmsPublicKeys(_kms(), (settings().token_signing_key_id,)))


def _kms() -> Any:
    return _once("kms", lambda: _aws_client("kms"))


def token_signer() -> Any:
    from chalicelib.adapters.access_tokens import KmsAccessTokenSigner
    return _once("token_signer", lambda: KmsAccessTokenSigner(
        _kms(), settings().token_signing_key_id, public_keys()))


def token_verifier() -> Any:
    from chalicelib.adapters.access_tokens import AccessTokenVerifier
    return _once("token_verifier", lambda: AccessTokenVerifier(
        public_keys(), settings().token_issuer, settings().token_audience))


def secrets() -> Any:
    from chalicelib.adapters.secrets import SecretsManagerSecrets
    return _once("secrets", lambda: SecretsManagerSecrets(_aws_client("secretsmanager")))


def eid_client() -> Any:
    from chalicelib.adapters.eid_oidc import OidcEidClient

    def build() -> Any:
        current = settings()
        return OidcEidClient(current.eid_issuer, current.eid_client_id,
                             lambda: secrets().get(current.eid_client_key_secret_id),
                             timeout=current.eid_timeout_seconds)
    return _once("eid_client", build)


def token_settings() -> Any:
    from chalicelib.domain.sessions import SessionPolicy
    from chalicelib.services.auth import TokenSettings

    def build() -> Any:
        current = settings()
        policy = SessionPolicy(current.access_token_ttl, current.session_idle_ttl, current.session_absolute_ttl)
        return TokenSettings(current.token_issuer, current.token_audience, policy)
    return _once("token_settings", build)


def sqs_client() -> Any:
    return _once("sqs", lambda: _aws_client("sqs"))


def notifications_publisher() -> Any:
    """Dossier updates and other citizen-facing events, consumed by the notification worker."""
    from chalicelib.adapters.sqs import SqsPublisher
    return _once("notifications_publisher", lambda: SqsPublisher(sqs_client(), required_env("NOTIFICATIONS_QUEUE_URL")))


def push_publisher() -> Any:
    from chalicelib.adapters.sqs import SqsPublisher
    return _once("push_publisher", lambda: SqsPublisher(sqs_client(), required_env("PUSH_QUEUE_URL")))


def agencies() -> Any:
    from chalicelib.adapters.dynamo_agencies import DynamoAgencyRepository
    return _once("agencies", lambda: DynamoAgencyRepository(table()))


def client_assertions() -> Any:
    from chalicelib.adapters.client_assertions import JwtClientAssertions
    return _once("client_assertions", JwtClientAssertions)


def agency_token_settings() -> Any:
    from chalicelib.services.agencies import AgencyTokenSettings
    issuer = settings().token_issuer
    return _once("agency_token_settings", lambda: AgencyTokenSettings(
        issuer, issuer.rstrip("/") + "/v1/agency/oauth/token"))


def agency_token_verifier() -> Any:
    """Same keys and issuer as citizen tokens, a different audience and claims: neither passes for the other."""
    from chalicelib.adapters.access_tokens import AccessTokenVerifier
    from chalicelib.domain.agencies import AGENCY_AUDIENCE
    claims = ("iss", "aud", "sub", "agency", "scope", "iat", "exp", "jti")
    return _once("agency_token_verifier", lambda: AccessTokenVerifier(
        public_keys(), settings().token_issuer, AGENCY_AUDIENCE, claims))


def person_keys() -> Any:
    from chalicelib.adapters.person_keys import HmacPersonKeys
    return _once("person_keys", lambda: HmacPersonKeys(lambda: secrets().get(required_env("PERSON_KEY_SECRET_ID"))))


def devices() -> Any:
    from chalicelib.adapters.dynamo_devices import DynamoDeviceRepository
    return _once("devices", lambda: DynamoDeviceRepository(table()))


def inbox() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoInboxRepository
    return _once("inbox", lambda: DynamoInboxRepository(table()))


def notification_preferences() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoPreferenceRepository
    return _once("notification_preferences", lambda: DynamoPreferenceRepository(table()))


def push_markers() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoPushMarkers
    return _once("push_markers", lambda: DynamoPushMarkers(table()))


def parked_pushes() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoParkedPushes
    return _once("parked_pushes", lambda: DynamoParkedPushes(table()))


def push_dead_letters() -> Any:
    """The push queue's DLQ: named `<queue>-dlq` by the one naming rule (infra/messaging.py, devstack)."""
    from chalicelib.adapters.sqs import SqsPublisher
    return _once("push_dead_letters", lambda: SqsPublisher(sqs_client(), required_env("PUSH_QUEUE_URL") + "-dlq"))


def push_sender() -> Any:
    """FCM through firebase-admin (imported on first send). FCM_ENDPOINT is honoured in the local stage only."""
    from chalicelib.adapters.fcm import FcmPushSender

    def build() -> Any:
        local_endpoint = os.environ.get("FCM_ENDPOINT", "") if settings().is_local else ""
        secret_id = required_env("FCM_SERVICE_ACCOUNT_SECRET_ID")
        return FcmPushSender(lambda: secrets().get(secret_id), local_endpoint)
    return _once("push_sender", build)


def push_retry_policy() -> Any:
    from chalicelib.services.push import RetryPolicy
    return _once("push_retry_policy", lambda: RetryPolicy(
        max_attempts=int(os.environ.get("PUSH_MAX_ATTEMPTS", "5")),
        base_delay_seconds=int(os.environ.get("PUSH_RETRY_BASE_SECONDS", "30"))))


def holiday_calendar() -> Any:
    """The public-holiday calendar; HOLIDAY_CALENDAR_PATH points at another year's official list."""
    import json
    import os
    from pathlib import Path
    from chalicelib.domain.working_days import calendar_from_json
    default = Path(__file__).with_name("data") / "holidays_vn.json"
    path = Path(os.environ.get("HOLIDAY_CALENDAR_PATH", "").strip() or default)
    return _once("holiday_calendar", lambda: calendar_from_json(json.loads(path.read_text(encoding="utf-8"))))


def dossier_ports() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoAccessLog, DynamoIdempotency
    from chalicelib.adapters.dynamo_dossiers import DynamoDossierRepository
    from chalicelib.adapters.procedure_lookup import CatalogProcedureLookup
    from chalicelib.services.dossier_ports import DossierPorts
    # Not cached as a whole: each part is, and tests swap the publisher or the table one by one.
    return DossierPorts(
        dossiers=_once("dossiers", lambda: DynamoDossierRepository(table())),
        access_log=_once("access_log", lambda: DynamoAccessLog(table())),
        idempotency=_once("idempotency", lambda: DynamoIdempotency(table())),
        procedures=_once("procedure_lookup", CatalogProcedureLookup), person_keys=person_keys(),
        publisher=notifications_publisher(), calendar=holiday_calendar(), agencies=agencies())


def cursor_signing_key() -> bytes:
    """Read through the secrets cache on each use, so a rotated key reaches running containers."""
    return secrets().get(required_env("CURSOR_KEY_SECRET_ID")).encode("utf-8")
