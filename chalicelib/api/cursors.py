"""Opaque, tamper-evident pagination cursors: a base64url JSON payload and its HMAC-SHA256.

Each listing signs under its own kind, so a cursor of one listing is refused by another.
"""

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from chalicelib import wiring
from chalicelib.errors import ValidationError

MAX_CURSOR_LENGTH = 1024
_SIGNATURE_BYTES = 32


def encode_cursor(kind: str, payload: dict[str, Any]) -> str:
    body = _b64encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    return f"{body}.{_b64encode(_sign(kind, body))}"


def decode_cursor(kind: str, cursor: str) -> dict[str, Any]:
    """The payload, or a 400 cursor_invalid for anything this server did not sign for this kind."""
    body, _, signature = cursor.partition(".")
    if len(cursor) > MAX_CURSOR_LENGTH or not body or not signature:
        raise ValidationError("cursor_invalid")
    try:
        if not hmac.compare_digest(_b64decode(signature), _sign(kind, body)):
            raise ValidationError("cursor_invalid")
        payload = json.loads(_b64decode(body))
    except (binascii.Error, ValueError) as error:
        raise ValidationError("cursor_invalid") from error
    if not isinstance(payload, dict):
        raise ValidationError("cursor_invalid")
    return payload


def _sign(kind: str, body: str) -> bytes:
    key = wiring.cursor_signing_key()
    return hmac.new(key, f"{kind}.{body}".encode(), hashlib.sha256).digest()


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    # encode() refuses non-ASCII with a ValueError, which b64decode would otherwise raise as a bare TypeError
    return base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))
