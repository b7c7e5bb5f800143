"""The public procedure catalog, seeded with the essential public services of the national population-data
programme (Đề án 06). The data lives in procedure_catalog.json beside this module; it is read once per container."""

import functools
import json
from pathlib import Path
from typing import Any

from chalicelib.domain.procedures import (
    Agency,
    Fee,
    FormField,
    IndexedProcedure,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    index_procedure,
)

_DATA = Path(__file__).with_name("procedure_catalog.json")


@functools.lru_cache(maxsize=1)
def procedures_by_code() -> dict[str, Procedure]:
    """Ordered by code: pagination continues after the last code seen, which stays valid across deploys."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    agencies = {code: Agency(code, a["name_vi"], a["name_en"]) for code, a in raw["agencies"].items()}
    procedures = [_procedure(item, agencies) for item in raw["procedures"]]
    return {p.code: p for p in sorted(procedures, key=lambda p: p.code)}


@functools.lru_cache(maxsize=1)
def search_index() -> tuple[IndexedProcedure, ...]:
    return tuple(index_procedure(p) for p in procedures_by_code().values())


def _procedure(item: dict[str, Any], agencies: dict[str, Agency]) -> Procedure:
    return Procedure(
        code=item["code"],
        name_vi=item["name_vi"],
        name_en=item["name_en"],
        agency=agencies[item["agency"]],
        fees=tuple(Fee(**fee) for fee in item["fees"]),
        processing_working_days=item["processing_working_days"],
        documents=tuple(RequiredDocument(**document) for document in item["documents"]),
        online_level=OnlineLevel(item["online_level"]),
        form_fields=tuple(FormField(**field) for field in item["form_fields"]),
    )
