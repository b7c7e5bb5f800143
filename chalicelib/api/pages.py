"""The one list convention: `{"items": [...], "next_cursor": ...}`, `limit` 1-100 (default 20), and opaque
sealed cursors that carry the adapter's position (chalicelib/domain/pages.py) for one listing and caller."""

from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.api.cursors import decode_cursor, encode_cursor
from chalicelib.domain.pages import Page
from chalicelib.errors import FieldProblem, ValidationError

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
T = TypeVar("T")


def page_limit(params: dict[str, str]) -> int:
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError(errors=(FieldProblem("limit", "invalid_format"),))
    return int(raw)


def read_after(params: dict[str, str], kind: str) -> str | None:
    """The position a cursor continues after; a cursor sealed for another listing or caller is refused."""
    cursor = params.get("cursor")
    if cursor is None:
        return None
    after = decode_cursor(kind, cursor).get("after")
    if not isinstance(after, str):
        raise ValidationError("cursor_invalid")
    return after


def cursor_after(after: str | None, kind: str) -> str | None:
    return encode_cursor(kind, {"after": after}) if after else None


def list_body(page: Page[T], kind: str, shape: Callable[[T], Any], **extra: Any) -> dict[str, Any]:
    return {"items": [shape(item) for item in page.items], "next_cursor": cursor_after(page.after, kind), **extra}


def in_memory_page(items: list[T], params: dict[str, str], kind: str) -> Page[T]:
    """For short lists read whole (sessions, devices, businesses): the position is an offset."""
    after, limit = read_after(params, kind), page_limit(params)
    start = int(after) if after and after.isdigit() else 0
    end = start + limit
    return Page(items[start:end], str(end) if end < len(items) else None)


def only_known(params: dict[str, str], known: tuple[str, ...]) -> None:
    unknown = [FieldProblem(name or "(empty)", "unknown_parameter") for name in params if name not in known]
    if unknown:
        raise ValidationError(errors=tuple(unknown))
