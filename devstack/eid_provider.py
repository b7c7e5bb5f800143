"""A local, dev-only OpenID Connect provider imitating the national eID (VNeID-style), over real HTTP.

Authorization code flow with mandatory PKCE (S256) and private_key_jwt; a missing state is answered
with an error redirect carrying no state. See eid_authorize and eid_protocol for the rules.
"""

import errno
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from devstack.eid_model import DEMO_CITIZENS, DemoCitizen, OAuthError, RegisteredClient
from devstack.eid_protocol import EidProtocol, Page, Redirect
from devstack.local_http import LocalHttpServer

__all__ = ["DEMO_CITIZENS", "DemoCitizen", "LocalEidProvider", "RegisteredClient"]

_MAX_BODY = 64 * 1024
_FORM = "application/x-www-form-urlencoded"
# The picker is a login page: no framing (clickjacking), no scripts, no leaking the query onward.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, payload: dict, headers: dict[str, str] | None = None) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return _Reply(status, body, "application/json; charset=utf-8", headers or {})


class LocalEidProvider:
    def __init__(
        self,
        clients: Iterable[RegisteredClient],
        citizens: Iterable[DemoCitizen] = DEMO_CITIZENS,
        code_ttl_seconds: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._clients = _index_clients(clients)
        self._citizens = tuple(citizens)
        self._code_ttl = code_ttl_seconds
        self._clock = clock
        self._server: _EidServer | None = None
        self._thread: threading.Thread | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0, public_base: str = "") -> "LocalEidProvider":
        """Binds (port 0 = a free port), serves in a daemon thread, returns self. The issuer is `public_base`
        (scheme and host, e.g. the LAN address a phone's browser reaches) plus the port; the bind host by default."""
        if self._server is not None:
            raise RuntimeError("the dev eID provider is already started")
        server = _bind(host, port)
        issuer = f"{public_base or 'http://' + host}:{server.server_address[1]}"
        server.protocol = EidProtocol(issuer, self._clients, self._citizens, self._code_ttl, self._clock)
        # A short poll keeps stop() quick: shutdown() is only noticed between polls.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="dev-eid", daemon=True
        )
        self._thread.start()
        self._server = server
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server, self._thread = None, None

    @property
    def issuer(self) -> str:
        return self._started().protocol.issuer

    @property
    def port(self) -> int:
        return self._started().server_address[1]

    def _started(self) -> "_EidServer":
        if self._server is None:
            raise RuntimeError("the dev eID provider is not started; call start() first")
        return self._server


def _index_clients(clients: Iterable[RegisteredClient]) -> dict[str, RegisteredClient]:
    index: dict[str, RegisteredClient] = {}
    for client in clients:
        if client.client_id in index:
            raise ValueError(f"client_id registered twice: {client.client_id}")
        index[client.client_id] = client
    return index


def _bind(host: str, port: int) -> "_EidServer":
    try:
        return _EidServer((host, port), _Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise OSError(
                exc.errno,
                f"dev eID provider cannot listen on {host}:{port}: the port "
                "is already in use (pass port=0 for a free one)",
            ) from exc
        raise


class _EidServer(LocalHttpServer):
    allow_reuse_port = False
    protocol: EidProtocol


class _Handler(BaseHTTPRequestHandler):
    server: _EidServer
    server_version = "dev-eid"
    sys_version = ""

    def _any_method(self) -> None:
        self._dispatch(self.command)

    # Every method gets the JSON 404/405 answer rather than http.server's HTML 501 page.
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _any_method

    def log_message(self, format: str, *args: object) -> None:
        # Silent on purpose: request lines carry codes, login hints (personal IDs) and tokens.
        pass

    def _dispatch(self, method: str) -> None:
        path = urlsplit(self.path).path
        try:
            reply = _route(self, path, method)
        except OAuthError as error:
            reply = _json(error.status, error.body(), error.headers)
        except Exception:  # noqa: BLE001 - a dev server answers 500, never a stack trace
            reply = _json(500, {"error": "server_error", "error_description": "unexpected error"})
        self._send(reply)

    def _send(self, reply: _Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def form(self) -> dict[str, list[str]]:
        if self.headers.get("Content-Type", "").split(";")[0].strip().lower() != _FORM:
            raise OAuthError(400, "invalid_request", f"the body must be {_FORM}")
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > _MAX_BODY:
            raise OAuthError(413, "invalid_request", "request body missing a length or too large")
        try:
            return parse_qs(self.rfile.read(int(length)).decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise OAuthError(400, "invalid_request", "the body must be UTF-8") from None


def _single_values(params: dict[str, list[str]]) -> dict[str, str]:
    repeated = sorted(name for name, values in params.items() if len(values) > 1)
    if repeated:
        raise OAuthError(400, "invalid_request", f"parameters repeated: {', '.join(repeated)}")
    return {name: values[0] for name, values in params.items()}


def _authorize(handler: _Handler, params: dict[str, list[str]]) -> _Reply:
    outcome = handler.server.protocol.authorize(params)
    if isinstance(outcome, Page):
        return _Reply(200, outcome.html.encode("utf-8"), "text/html; charset=utf-8", {**_PAGE_HEADERS, **_NO_STORE})
    assert isinstance(outcome, Redirect)
    return _Reply(302, b"", "text/plain; charset=utf-8", {"Location": outcome.location, **_NO_STORE})


def _token(handler: _Handler) -> _Reply:
    form = _single_values(handler.form())
    body = handler.server.protocol.token(form, handler.headers.get("Authorization"))
    return _json(200, body, _NO_STORE)


def _userinfo(handler: _Handler) -> _Reply:
    claims = handler.server.protocol.userinfo(handler.headers.get("Authorization"))
    return _json(200, claims, _NO_STORE)


_ROUTES: dict[str, dict[str, Callable[[_Handler], _Reply]]] = {
    "/.well-known/openid-configuration": {"GET": lambda h: _json(200, h.server.protocol.discovery())},
    "/jwks": {"GET": lambda h: _json(200, h.server.protocol.jwks())},
    "/authorize": {"GET": lambda h: _authorize(h, h.query()), "POST": lambda h: _authorize(h, h.form())},
    "/token": {"POST": _token},
    "/userinfo": {"GET": _userinfo, "POST": _userinfo},
}


def _route(handler: _Handler, path: str, method: str) -> _Reply:
    methods = _ROUTES.get(path)
    if methods is None:
        raise OAuthError(404, "not_found", "no such endpoint")
    if method not in methods:
        raise OAuthError(405, "invalid_request", f"{method} is not allowed here", {"Allow": ", ".join(methods)})
    return methods[method](handler)
