"""The local API server: Chalice's local gateway, made to behave like our API Gateway on AWS.

- Unknown paths answer problem+json 404, as our gateway responses do on AWS.
- Every method reaches the app, as the ANY method infra/api.py adds to every resource does on AWS: OPTIONS is
  answered by the app's middleware (CORS preflight, Allow), not by Chalice's local auto-answer; an undeclared
  method (PUT on a GET route, TRACE, QUERY) gets the app's 405 problem+json with Allow, not BaseHTTPRequestHandler's
  501 text/html.
- Each request gets a request id in its event, as API Gateway gives one.
- On the local stage only, `GET /docs` serves the interactive docs page (devstack/docs_page.py).
"""

import json
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    LocalGatewayException,
)

from chalicelib.api.problems import choose_language, problem_body
from chalicelib.errors import NotFoundError
from devstack.docs_page import docs_asset


class AppAnswersEveryMethod(LocalGateway):
    def _has_user_defined_options_method(self, lambda_event: dict) -> bool:
        """Chalice's local gateway answers OPTIONS itself (an empty 200) unless the app has an OPTIONS route."""
        return True

    def _generate_lambda_event(self, method: str, path: str, headers: dict, body: bytes | None) -> dict:
        event = super()._generate_lambda_event(method, path, headers, body)
        event["requestContext"]["requestId"] = str(uuid.uuid4())
        return event


class ProblemGatewayHandler(ChaliceRequestHandler):
    def __init__(self, request: Any, client_address: Any, server: Any, app_object: Chalice, config: Config) -> None:
        # What ChaliceRequestHandler.__init__ does, with our gateway: the base class serves the request in __init__.
        self._serves_docs = config.chalice_stage == "local"
        self.local_gateway = AppAnswersEveryMethod(app_object, config)
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def __getattr__(self, name: str) -> Any:
        """BaseHTTPRequestHandler dispatches method X to do_X and answers 501 text/html when there is none."""
        if name.startswith("do_"):
            return self._generic_handle
        raise AttributeError(name)

    def do_GET(self) -> None:  # noqa: N802 - the name BaseHTTPRequestHandler dispatches GET to
        asset = docs_asset(self.path.split("?", 1)[0]) if self._serves_docs else None
        if asset is None:
            self._generic_handle()
            return
        content_type, body = asset
        headers = {"Content-Type": content_type, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        self._send_http_response(200, headers, body)

    def _send_error_response(self, error: LocalGatewayException) -> None:
        language = choose_language(self.headers.get("accept-language"))
        body = problem_body(NotFoundError("route_not_found"), 404, language, str(uuid.uuid4()))
        headers = {"Content-Type": "application/problem+json", "Content-Language": language}
        self._send_http_response(404, headers, json.dumps(body, ensure_ascii=False))

    def log_message(self, format: str, *args: object) -> None:
        """The app logs each request itself, as JSON and without query strings."""


def create_api_server(app: Chalice, host: str, port: int, stage: str = "local") -> LocalDevServer:
    # What chalice.local.create_local_server does: a thread-local current_request for the threaded server.
    if not isinstance(app, LocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    config = Config(chalice_stage=stage, user_provided_params={}, config_from_disk={})
    return LocalDevServer(app, config, host, port, handler_cls=ProblemGatewayHandler)
