"""Looking up the public procedure catalog: search with keyset pagination, and one procedure by code."""

from dataclasses import dataclass

from chalicelib.domain import procedure_catalog
from chalicelib.domain.agencies import Agency
from chalicelib.domain.procedures import Procedure, search
from chalicelib.errors import NotFoundError
from chalicelib.services.dossier_ports import AgencyDirectory


@dataclass(frozen=True)
class ProcedurePage:
    items: list[Procedure]
    next_cursor: str | None  # the last code of this page when more follow; the edge makes it opaque


def search_procedures(q: str, agency: str | None, cursor: str | None, limit: int) -> ProcedurePage:
    """`cursor` is the last code of the previous page: results are ordered by code."""
    found = search(procedure_catalog.search_index(), q, agency)
    remaining = [p for p in found if cursor is None or p.code > cursor]
    page = remaining[:limit]
    more = len(remaining) > limit
    return ProcedurePage(page, page[-1].code if more else None)


def get_procedure(code: str) -> Procedure:
    procedure = procedure_catalog.procedures_by_code().get(code)
    if procedure is None:
        raise NotFoundError("procedure_not_found")
    return procedure


def online_agencies(code: str, agencies: AgencyDirectory) -> list[Agency]:
    """The agencies that take this procedure's online filings: the `agency_id` choices of `POST /v1/me/dossiers`
    (needed there when more than one handles it). None for a procedure that is not done online."""
    procedure = get_procedure(code)
    if not procedure.can_be_done_online:
        return []
    return sorted(agencies.handlers_of(procedure.code), key=lambda agency: agency.agency_id)
