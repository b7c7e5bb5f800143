"""One page of a listing: its items and an opaque position to continue after (None on the last page).

The position is made and read by the adapter that pages; above it, it is only passed along (signed in cursors).
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    after: str | None = None
