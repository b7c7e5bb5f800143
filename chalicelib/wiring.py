"""Builds each adapter once per Lambda container, lazily, on first use; tests swap them with override().

Nothing here runs at import time: the first request pays for what it uses and nothing more.
"""
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
    import boto3
    from botocore.config import Config
    current = settings()
    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5,
                    tcp_keepalive=True)
    return boto3.client(service, region_name=current.region, config=config,
                        endpoint_url=current.aws_endpoint_url or None)


def table() -> Any:
    from chalicelib.adapters.dynamo import DynamoTable
    return _once("table", lambda: DynamoTable(_aws_client("dynamodb"), settings().table_name))


def login_attempts() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoLoginAttemptRepository
    return _once("login_attempts", lambda: DynamoLoginAttemptRepository(table()))


def citizens() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoCitizenRepository
    return _once("citizens", lambda: DynamoCitizenRepository(table()))


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
