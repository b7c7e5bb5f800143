"""Administrative procedures as the public catalog describes them, and a search that ignores case and
Vietnamese diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh")."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

# đ/Đ are letters of their own in Unicode, not d with a mark: NFD leaves them whole.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "d"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class OnlineLevel(str, Enum):
    """Full: filed and answered online (toàn trình). Partial: filed online, something done in person."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


@dataclass(frozen=True)
class Agency:
    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Fee:
    description_vi: str
    description_en: str
    amount_vnd: int


@dataclass(frozen=True)
class RequiredDocument:
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class FormField:
    """A field the citizen fills in to file the procedure online."""

    name: str
    label_vi: str
    label_en: str
    type: str  # text | date | number | personal_id | phone | email | boolean
    required: bool


@dataclass(frozen=True)
class Procedure:
    code: str
    name_vi: str
    name_en: str
    agency: Agency
    fees: tuple[Fee, ...]
    processing_working_days: int  # the statutory time limit, counted in working days
    documents: tuple[RequiredDocument, ...]
    online_level: OnlineLevel
    form_fields: tuple[FormField, ...] = ()

    @property
    def can_be_done_online(self) -> bool:
        return self.online_level is not OnlineLevel.NONE


@dataclass(frozen=True)
class IndexedProcedure:
    """A procedure with its folded search text, computed once per catalog load rather than per query."""

    procedure: Procedure
    search_text: str


def fold(text: str) -> str:
    """Lowercase ASCII words: marks stripped, đ → d, punctuation and runs of spaces become one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSABLE))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def index_procedure(procedure: Procedure) -> IndexedProcedure:
    text = " ".join((procedure.code, procedure.name_vi, procedure.name_en))
    return IndexedProcedure(procedure, " " + fold(text))


def search(index: Iterable[IndexedProcedure], q: str = "", agency: str | None = None) -> list[Procedure]:
    """Every query word must start a word of the code or a name, so "lai xe" finds "lái xe" but "an" not "thanh"."""
    words = [" " + word for word in fold(q).split()]
    return [
        entry.procedure
        for entry in index
        if (agency is None or entry.procedure.agency.code == agency)
        and all(word in entry.search_text for word in words)
    ]
