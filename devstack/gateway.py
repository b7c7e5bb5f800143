"""The local API server: Chalice's local gateway, answering unknown paths the way our API Gateway's
gateway responses do on AWS (problem+json 404), so clients see one error shape everywhere."""

import json
import uuid

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import ChaliceRequestHandler, CustomLocalChalice, LocalChalice, LocalDevServer, LocalGatewayException

from chalicelib.api.problems import choose_language, problem_body
from chalicelib.errors import NotFoundError


class ProblemGatewayHandler(ChaliceRequestHandler):
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
