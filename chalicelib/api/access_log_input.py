"""The citizen's access-log filters (category, from, to) read from the query string, and an entry's shape."""

from dataclasses import asdict

from chalicelib.api.pages import only_known
from chalicelib.domain.access_log import CATEGORIES, AccessQuery
from chalicelib.domain.dossiers import AccessEntry, parse_instant
from chalicelib.domain.instants import utc_instant
from chalicelib.errors import FieldProblem, ValidationError

KNOWN = ("category", "from", "to", "cursor", "limit")


def access_query(params: dict[str, str]) -> AccessQuery:
    only_known(params, KNOWN)
    problems: list[FieldProblem] = []
    category = params.get("category", "")
    if "category" in params and category not in CATEGORIES:
        problems.append(FieldProblem("category", "not_allowed"))
    since, until = _instant(params, "from", problems), _instant(params, "to", problems)
    if problems:
        raise ValidationError(errors=tuple(problems))
    return AccessQuery(category, since, until)


def _instant(params: dict[str, str], name: str, problems: list[FieldProblem]) -> str:
    if name not in params:
        return ""
    raw = params[name]
    moment = parse_instant(raw) if len(raw) <= 40 else None
    if moment is None:
        problems.append(FieldProblem(name, "invalid_format"))
        return ""
    return utc_instant(moment)


def cursor_kind(citizen_id: str, query: AccessQuery) -> str:
    """A cursor continues the listing it came from: same citizen, same filters."""
    return f"me-access-log:{citizen_id}:{query.category}:{query.since}:{query.until}"


def access_entry_body(entry: AccessEntry) -> dict:
    return {**asdict(entry), "related": list(entry.related), "at": utc_instant(entry.at)}
