"""The public procedure catalog: search and detail, no login. Answers carry both languages, so caches may share them."""

from dataclasses import dataclass
from typing import Any

from chalicelib import wiring
from chalicelib.api.access import PUBLIC
from chalicelib.api.cursors import decode_cursor, encode_cursor
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.pages import in_memory_page, list_body, page_limit
from chalicelib.domain.agencies import Agency
from chalicelib.domain.citizens import normalize_text
from chalicelib.domain.procedures import Procedure
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import procedures

procedures_api = ApiBlueprint(__name__)

_MAX_TEXT = {"q": 200, "agency": 64}
_CURSOR_KIND = "procedures"
_CACHEABLE = {"Cache-Control": "public, max-age=300"}


@dataclass(frozen=True)
class _Search:
    q: str
    agency: str | None
    limit: int
    after: str | None


@procedures_api.route("/v1/procedures", methods=["GET"], caller=PUBLIC)
def search_procedures():
    search = _parse_search(procedures_api.current_request.query_params or {})
    page = procedures.search_procedures(search.q, search.agency, search.after, search.limit)
    next_cursor = page.next_cursor and encode_cursor(_CURSOR_KIND, _cursor_payload(search, page.next_cursor))
    return json_response({"items": [_summary(p) for p in page.items], "next_cursor": next_cursor}, headers=_CACHEABLE)


@procedures_api.route("/v1/procedures/{code}", methods=["GET"], caller=PUBLIC)
def get_procedure(code):
    procedure = procedures.get_procedure(code)
    return json_response(_detail(procedure), headers=_CACHEABLE)


@procedures_api.route("/v1/procedures/{code}/agencies", methods=["GET"], caller=PUBLIC)
def list_online_agencies(code):
    """Read from the agency registry, so not cached as long as the catalog: an agency joining shows within a minute."""
    params = procedures_api.current_request.query_params or {}
    agencies = procedures.online_agencies(code, wiring.agencies())
    page = in_memory_page(agencies, params, f"procedure-agencies:{code}")
    body = list_body(page, f"procedure-agencies:{code}", _online_agency)
    return json_response(body, headers={"Cache-Control": "public, max-age=60"})


def _online_agency(agency: Agency) -> dict[str, str]:
    return {"agency_id": agency.agency_id, "name_vi": agency.name_vi, "name_en": agency.name_en}


def _parse_search(params: dict[str, str]) -> _Search:
    """Every bad parameter is reported at once; the cursor is checked after, as it depends on q and agency."""
    problems = [FieldProblem(name, "too_long") for name, most in _MAX_TEXT.items() if len(params.get(name, "")) > most]
    try:
        limit = page_limit(params)
    except ValidationError as bad_limit:
        problems += bad_limit.errors
    if problems:
        raise ValidationError(errors=tuple(problems))
    search = _Search(normalize_text(params.get("q", "")), normalize_text(params.get("agency", "")) or None, limit, None)
    return _continued(search, params["cursor"]) if "cursor" in params else search  # "" is no cursor either


def _cursor_payload(search: _Search, after: str) -> dict[str, Any]:
    return {"q": search.q, "agency": search.agency, "after": after}


def _continued(search: _Search, cursor: str) -> _Search:
    """A cursor only continues the search it was made for: another q or agency would skip or repeat results."""
    payload = decode_cursor(_CURSOR_KIND, cursor)
    after = payload.get("after")
    if not isinstance(after, str) or payload != _cursor_payload(search, after):
        raise ValidationError("cursor_invalid")
    return _Search(search.q, search.agency, search.limit, after)


def _summary(procedure: Procedure) -> dict[str, Any]:
    agency = procedure.agency
    return {
        "code": procedure.code,
        "name_vi": procedure.name_vi,
        "name_en": procedure.name_en,
        "agency": {"code": agency.code, "name_vi": agency.name_vi, "name_en": agency.name_en},
        "processing_working_days": procedure.processing_working_days,
        "online_level": procedure.online_level.value,
        "can_be_done_online": procedure.can_be_done_online,
    }


def _detail(procedure: Procedure) -> dict[str, Any]:
    return {
        **_summary(procedure),
        "fees": [
            {"description_vi": f.description_vi, "description_en": f.description_en, "amount_vnd": f.amount_vnd}
            for f in procedure.fees
        ],
        "required_documents": [{"name_vi": d.name_vi, "name_en": d.name_en} for d in procedure.documents],
        "form_fields": [
            {"name": f.name, "label_vi": f.label_vi, "label_en": f.label_en, "type": f.type, "required": f.required}
            for f in procedure.form_fields
        ],
    }
