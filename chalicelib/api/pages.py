"""Cursor pagination for listings backed by DynamoDB pages: the continuation key travels signed."""
from typing import Any, Optional

from chalicelib.api.cursors import decode_cursor, encode_cursor


def read_cursor(params: dict[str, str], kind: str) -> Optional[dict[str, Any]]:
    cursor = params.get("cursor")
    return decode_cursor(kind, cursor) if cursor else None


def next_cursor(last: Optional[dict[str, Any]], kind: str) -> Optional[str]:
    return encode_cursor(kind, last) if last else None
