"""A local FCM-compatible endpoint for the real firebase-admin SDK: the OAuth2 token endpoint that
google-auth calls (JWT-bearer grant, verified against a generated RSA key) and FCM v1
`POST /v1/projects/{project}/messages:send`. It records every message, and answers chosen tokens with
FCM's errors: tokens starting `fcm-error-<CODE>-` always, or rules set with `fail()` / POST /control/failures.

Threading server with HTTP/1.1 keep-alive: the SDK sends one request per token from up to 500 threads.
"""

import collections
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT_ID = "citizen-app-local"
ERRORS = {  # FCM v1 errorCode -> (HTTP status, google.rpc status)
    "UNREGISTERED": (404, "NOT_FOUND"),
    "SENDER_ID_MISMATCH": (403, "PERMISSION_DENIED"),
    "QUOTA_EXCEEDED": (429, "RESOURCE_EXHAUSTED"),
    "UNAVAILABLE": (503, "UNAVAILABLE"),
    "INTERNAL": (500, "INTERNAL"),
    "INVALID_ARGUMENT": (400, "INVALID_ARGUMENT"),
}
# google-auth always addresses its assertion to Google's token endpoint, whatever token_uri says.
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
KEPT_MESSAGES = 10_000
_SEND_PATH = re.compile(r"^/v1/projects/([^/]+)/messages:send$")


class LocalFcmEndpoint:
    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._lock = threading.Lock()
        # The last ones only: a long `make run` must not keep every push it ever received.
        self._messages: collections.deque[dict[str, Any]] = collections.deque(maxlen=KEPT_MESSAGES)
        self._received = 0
        self._rules: list[dict[str, Any]] = []  # {prefix, error, times (None = always)}
        self._access_tokens: set[str] = set()
        self._server: ThreadingHTTPServer | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> "LocalFcmEndpoint":
        handler = type("Handler", (_Handler,), {"endpoint": self})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._server.request_queue_size = 1024
        threading.Thread(target=self._server.serve_forever, name="fcm", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"  # only the push worker calls it

    def service_account_json(self) -> str:
        """What devstack puts in Secrets Manager: token_uri points here."""
        pem = self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")
        return json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT_ID,
                "private_key_id": "local-1",
                "private_key": pem,
                "client_email": f"push@{PROJECT_ID}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": self.url + "/token",
            }
        )

    # --- what tests use ---------------------------------------------------------------------------

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._messages)

    def delivered(self, token: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["token"] == token and m["outcome"] == "ok"]

    def fail(self, token_prefix: str, error: str, times: int | None = None) -> None:
        if error not in ERRORS:
            raise ValueError(f"unknown FCM error {error}")
        with self._lock:
            self._rules.append({"prefix": token_prefix, "error": error, "times": times})

    def reset(self) -> None:
        with self._lock:
            self._messages.clear()
            self._rules.clear()

    # --- what the SDK calls -----------------------------------------------------------------------

    def issue_token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            jwt.decode(
                form.get("assertion", ""), self._key.public_key(), algorithms=["RS256"], audience=GOOGLE_TOKEN_AUDIENCE
            )
        except jwt.PyJWTError:
            return 400, {"error": "invalid_grant", "error_description": "bad assertion"}
        token = "local-" + secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens.add(token)
        return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}

    def authorized(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        with self._lock:
            return scheme.lower() == "bearer" and token in self._access_tokens

    def receive(self, project: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        message = body.get("message") or {}
        token = str(message.get("token", ""))
        error = self._error_for(token)
        with self._lock:
            self._messages.append({"token": token, "message": message, "outcome": error or "ok", "at": time.time()})
            self._received += 1
            number = self._received
        if error:
            return _error_body(error)
        return 200, {"name": f"projects/{project}/messages/{number}"}

    def _error_for(self, token: str) -> str | None:
        if token.startswith("fcm-error-"):
            code = token[len("fcm-error-") :].rsplit("-", 1)[0]
            if code in ERRORS:
                return code
        with self._lock:
            for rule in self._rules:
                if token.startswith(rule["prefix"]) and rule["times"] != 0:
                    if rule["times"] is not None:
                        rule["times"] -= 1
                    return rule["error"]
        return None


def _error_body(code: str) -> tuple[int, dict[str, Any]]:
    status, rpc_status = ERRORS[code]
    return status, {
        "error": {
            "code": status,
            "message": f"local FCM: {code}",
            "status": rpc_status,
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}],
        }
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the SDK's connection pool reuses connections
    endpoint: LocalFcmEndpoint

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/token":
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
            return self._answer(*self.endpoint.issue_token(form))
        if self.path == "/control/failures":
            rule = json.loads(raw or b"{}")
            self.endpoint.fail(rule["token_prefix"], rule["error"], rule.get("times"))
            return self._answer(204, None)
        match = _SEND_PATH.match(self.path)
        if not match:
            return self._answer(404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})
        if not self.endpoint.authorized(self.headers.get("Authorization", "")):
            return self._answer(401, {"error": {"code": 401, "message": "bad token", "status": "UNAUTHENTICATED"}})
        self._answer(*self.endpoint.receive(match.group(1), json.loads(raw or b"{}")))

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/control/messages":
            return self._answer(200, {"messages": self.endpoint.messages()})
        self._answer(404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})

    def do_DELETE(self) -> None:  # noqa: N802
        if self.path in ("/control/messages", "/control/failures"):
            self.endpoint.reset()
            return self._answer(204, None)
        self._answer(404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})

    def _answer(self, status: int, body: dict[str, Any] | None) -> None:
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: paths carry no secrets, but a line per push is noise."""


if __name__ == "__main__":
    import sys

    running = LocalFcmEndpoint().start(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(json.dumps({"url": running.url, "service_account": json.loads(running.service_account_json())}), flush=True)
    threading.Event().wait()
