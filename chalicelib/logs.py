"""Structured JSON logs, one line per event, stamped with the request id.

Callers pass only what is safe to keep; keys that usually hold secrets are dropped as a second line of defence.
"""

import contextvars
import json
import sys
import time
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# API Gateway's own id of the request, kept beside a client's X-Request-Id: that one is the client's to choose.
gateway_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("gateway_request_id", default="")
_NEVER_LOGGED = {
    "authorization",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "personal_id",
    "client_assertion",
    "code_verifier",
    "password",
    "pin",
    "fcm_token",
}


def log(event: str, level: str = "INFO", **fields: Any) -> None:
    safe = {key: value for key, value in fields.items() if key.lower() not in _NEVER_LOGGED}
    record = {"ts": round(time.time(), 3), "level": level, "event": event, "request_id": request_id.get()}
    if gateway_request_id.get():
        record["gateway_request_id"] = gateway_request_id.get()
    record.update(safe)
    sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
