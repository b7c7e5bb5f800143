"""The embedded AWS: moto's server, with one guarantee added that DynamoDB gives and moto does not.

DynamoDB serialises conditional writes and transactions on an item; moto's threaded server checks a
condition and applies the write in separate steps, so two concurrent transactions can both pass the same
condition. Requests to DynamoDB are therefore served one at a time; other services (SQS long polls) stay
concurrent. Serialised, each DynamoDB call must be cheap: `moto_patches` keeps transactions and queries from
costing the size of the table.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto import settings as moto_settings
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from devstack import moto_patches


class _DynamoDbSerialised:
    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            return self._app(environ, start_response)
        with self._lock:
            return list(self._app(environ, start_response))  # the whole answer is produced under the lock


class EmbeddedAws:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._host, self._port = host, port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "EmbeddedAws":
        moto_patches.apply()
        # Buckets are always in the path: a phone's presigned URL names the public host (a LAN name such as
        # laptop.lan), which moto would otherwise read as a bucket name in the host.
        moto_settings.S3_IGNORE_SUBDOMAIN_BUCKETNAME = True
        app = _DynamoDbSerialised(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._host, self._port, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="embedded-aws", daemon=True)
        self._thread.start()
        return self

    def get_host_and_port(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
