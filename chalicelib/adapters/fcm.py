"""FcmPushSender: push through the Firebase Admin SDK. The ONLY module that imports firebase_admin,
and only inside the push worker's call path (never at import time), so the API never loads it.

How firebase-admin 7.7 sends: `send_each_for_multicast` -> `_MessagingService.send_each`, which posts
one FCM v1 `messages:send` request per token from a ThreadPoolExecutor (one thread per message, ≤ 500)
over `requests` (HTTP/1.1, keep-alive) via google-auth's AuthorizedSession; the httpx/HTTP/2 client is
used only by the *_async variants. It retries 500/503 itself (urllib3 Retry: 4 times, backoff 0.5 s).
"""

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

SENT, DEAD, RETRY, FAILED = "sent", "dead", "retry", "failed"
_DEAD = ("UnregisteredError", "SenderIdMismatchError")
_RETRY = ("QuotaExceededError", "UnavailableError", "InternalError", "DeadlineExceededError", "UnknownError")


class FcmPushSender:
    def __init__(self, service_account_json: Callable[[], str], local_endpoint: str = ""):
        self._service_account_json = service_account_json
        self._local_endpoint = local_endpoint.rstrip("/")
        self._app: Any = None
        self._lock = threading.Lock()

    def send(self, title: str, body: str, data: dict[str, str], tokens: list[str]) -> list[str]:
        from firebase_admin import messaging

        message = messaging.MulticastMessage(
            tokens=tokens, data=data, notification=messaging.Notification(title=title, body=body)
        )
        answer = messaging.send_each_for_multicast(message, app=self._firebase_app())
        return [classify(response.exception) for response in answer.responses]

    def _firebase_app(self) -> Any:
        with self._lock:
            if self._app is None:
                self._app = self._initialize()
            return self._app

    def _initialize(self) -> Any:
        import firebase_admin
        from firebase_admin import credentials

        info = json.loads(self._service_account_json())
        name = "push-" + hashlib.sha256(info.get("private_key_id", "").encode()).hexdigest()[:12]
        if self._local_endpoint:
            _point_sdk_at(self._local_endpoint)
        try:  # the same service account was already set up by an earlier sender in this container
            return firebase_admin.get_app(name)
        except ValueError:
            app = firebase_admin.initialize_app(credentials.Certificate(info), name=name)
        if self._local_endpoint:
            _pool_like_production(app, self._local_endpoint)
        return app


def classify(exception: Any) -> str:
    if exception is None:
        return SENT
    names = {cls.__name__ for cls in type(exception).__mro__}
    if names & set(_DEAD):
        return DEAD
    return RETRY if names & set(_RETRY) else FAILED


def _point_sdk_at(endpoint: str) -> None:
    """Local stage only. firebase-admin 7.7 has no FCM emulator variable and no option for the FCM base
    URL: `_MessagingService.FCM_URL` is a class attribute formatted with the project id when the
    service is built, so it is set here before the first send. Never on AWS (wiring passes no endpoint)."""
    from firebase_admin import messaging

    messaging._MessagingService.FCM_URL = endpoint + "/v1/projects/{0}/messages:send"  # noqa: SLF001


def _pool_like_production(app: Any, endpoint: str) -> None:
    """The SDK mounts a 100-connection pool for https://fcm.googleapis.com only; give the local endpoint
    the same, or 500 threads would fight over urllib3's default 10 connections and measure the wrong thing."""
    import requests.adapters
    from firebase_admin import _http_client, messaging

    service = messaging._get_messaging_service(app)  # noqa: SLF001
    adapter = requests.adapters.HTTPAdapter(
        pool_connections=100, pool_maxsize=100, max_retries=_http_client.DEFAULT_RETRY_CONFIG
    )
    service._client.session.mount(endpoint, adapter)  # noqa: SLF001
