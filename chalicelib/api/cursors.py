"""Opaque pagination cursors: the listing's JSON payload, sealed (encrypted and authenticated) by the cursor
sealer that wiring provides.

Each listing seals under its own kind (which names the caller), so a cursor of one listing or caller is
refused by another.
"""

import json
import re
from typing import Any

from chalicelib import wiring
from chalicelib.errors import ValidationError

MAX_CURSOR_LENGTH = 1024
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def encode_cursor(kind: str, payload: dict[str, Any]) -> str:
    plaintext = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return wiring.cursor_sealer().seal(kind, plaintext)


def decode_cursor(kind: str, cursor: str) -> dict[str, Any]:
    """The payload, or a 400 cursor_invalid for anything this server did not seal for this kind."""
    if len(cursor) > MAX_CURSOR_LENGTH or not _BASE64URL.fullmatch(cursor):
        raise ValidationError("cursor_invalid")
    try:
        payload = json.loads(wiring.cursor_sealer().open(kind, cursor))
    except ValueError as error:  # the sealer's CursorUnreadable is a ValueError, as is bad JSON
        raise ValidationError("cursor_invalid") from error
    if not isinstance(payload, dict):
        raise ValidationError("cursor_invalid")
    return payload
