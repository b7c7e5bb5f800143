"""Secrets Manager values, cached per container with a TTL so rotation reaches running Lambdas."""

import threading
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import ServiceUnavailableError


class SecretsManagerSecrets:
    def __init__(self, client: Any, ttl_seconds: int = 300, clock: Callable[[], float] = time.monotonic):
        self._client, self._ttl, self._clock = client, ttl_seconds, clock
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, secret_id: str) -> str:
        with self._lock:
            cached = self._cache.get(secret_id)
            if cached and self._clock() - cached[0] < self._ttl:
                return cached[1]
            value = self._fetch(secret_id)
            self._cache[secret_id] = (self._clock(), value)
            return value

    def _fetch(self, secret_id: str) -> str:
        try:
            return self._client.get_secret_value(SecretId=secret_id)["SecretString"]
        except (ClientError, BotoCoreError) as error:
            raise ServiceUnavailableError("secrets_unavailable") from error
