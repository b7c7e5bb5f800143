"""Builds each adapter once per Lambda container, lazily, on first use, and assembles the port bundle of each
capability: views and workers ask here, never build. This module holds the mechanism and the adapters every
capability shares; each capability's builders live in their own module (auth, dossiers, wallet,
notifications, tax) and all but tax's are reachable here as wiring.<name>().

Nothing here runs at import time: the first request pays for what it uses and nothing more. Tests swap
adapters with override().
"""

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.config import Settings, load_settings

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


# --- AWS and shared adapters -------------------------------------------------------------------------


def _aws_client(service: str) -> Any:
    from chalicelib.adapters.aws import aws_client

    current = settings()
    return aws_client(service, current.region, current.aws_endpoint_url)


def table() -> Any:
    from chalicelib.adapters.dynamo_table import DynamoTable

    return _once("table", lambda: DynamoTable(_aws_client("dynamodb"), settings().table_name))


def secrets() -> Any:
    from chalicelib.adapters.secrets import SecretsManagerSecrets

    return _once("secrets", lambda: SecretsManagerSecrets(_aws_client("secretsmanager")))


def _kms() -> Any:
    return _once("kms", lambda: _aws_client("kms"))


def _sqs() -> Any:
    return _once("sqs", lambda: _aws_client("sqs"))


def _publisher(name: str, queue_url: Callable[[Settings], str]) -> Any:
    from chalicelib.adapters.sqs import SqsPublisher

    return _once(name, lambda: SqsPublisher(_sqs(), queue_url(settings())))


def cursor_sealer() -> Any:
    """The key is read through the secrets cache on each use, so a rotated key reaches running containers."""
    from chalicelib.adapters.sealed_cursors import AesGcmCursorSealer

    return _once(
        "cursor_sealer",
        lambda: AesGcmCursorSealer(lambda: secrets().get(settings().cursor_key_secret_id).encode("utf-8")),
    )


def person_keys() -> Any:
    from chalicelib.adapters.person_keys import HmacPersonKeys

    return _once("person_keys", lambda: HmacPersonKeys(lambda: secrets().get(settings().person_key_secret_id)))


def access_log() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoAccessLog

    return _once("access_log", lambda: DynamoAccessLog(table()))


def idempotency() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoIdempotency

    return _once("idempotency", lambda: DynamoIdempotency(table()))


def rate_counters() -> Any:
    from chalicelib.adapters.dynamo_rate_limits import DynamoRateCounters

    return _once("rate_counters", lambda: DynamoRateCounters(table()))


def clock() -> Callable[[], float]:
    """The API's time source (seconds since the epoch); tests move it with override("clock", ...)."""
    import time

    return _once("clock", lambda: time.time)


def notifications_publisher() -> Any:
    """Dossier updates and other citizen-facing events, consumed by the notification worker."""
    return _publisher("notifications_publisher", lambda s: s.notifications_queue_url)


# The capabilities' builders, imported last: their modules import the shared pieces above.
from chalicelib.wiring.auth import (  # noqa: E402, F401
    agencies,
    agency_token_ports,
    agency_token_verifier,
    auth_ports,
    citizens,
    eid_client,
    public_keys,
    sessions,
    token_signer,
    token_verifier,
)
from chalicelib.wiring.dossiers import (  # noqa: E402, F401
    document_store,
    dossier_ports,
    holiday_calendar,
    pin_policy,
    upload_ports,
    upload_worker_ports,
)
from chalicelib.wiring.notifications import (  # noqa: E402, F401
    devices,
    fanout_ports,
    inbox,
    notification_preferences,
    parked_pushes,
    push_ports,
    push_publisher,
    push_sender,
)
from chalicelib.wiring.wallet import credentials, wallet_documents, wallet_ports  # noqa: E402, F401
