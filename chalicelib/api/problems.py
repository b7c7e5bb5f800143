"""problem+json (RFC 9457) in the caller's language: Vietnamese by default, English on request."""

from typing import Any

from chalicelib.api.field_texts import FIELD_MESSAGES
from chalicelib.api.problem_texts import CATALOG, TRANSIENT
from chalicelib.errors import AppError, FieldProblem

PROBLEM_TYPE_PREFIX = "urn:problem:citizen-app:"
SUPPORTED_LANGUAGES = ("vi", "en")


def choose_language(accept_language: str | None) -> str:
    """The highest-weighted supported language in Accept-Language; Vietnamese when none matches."""
    best, best_weight = "vi", 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        weight = _weight(params)
        language = tag.strip().lower().split("-")[0]
        if language in SUPPORTED_LANGUAGES and weight > best_weight:
            best, best_weight = language, weight
    return best


def _weight(params: str) -> float:
    params = params.strip()
    if params.startswith("q="):
        try:
            return float(params[2:])
        except ValueError:
            return 0.0
    return 1.0


def problem_body(error: AppError, status: int, language: str, instance: str) -> dict[str, Any]:
    code = error.code if error.code in CATALOG else _fallback_code(error.code, status)
    title, detail = CATALOG[code][language]
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + error.code,
        "title": title.format(**error.params),
        "status": status,
        "detail": detail.format(**error.params),
        "instance": instance,
        "code": error.code,
    }
    if error.errors:
        body["errors"] = [_field_problem(problem, language) for problem in error.errors]
    return body


def _fallback_code(code: str, status: int) -> str:
    if code in TRANSIENT or status == 503:
        return "service_unavailable"
    return {400: "invalid_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}.get(
        status, "internal_error"
    )


def _field_problem(problem: FieldProblem, language: str) -> dict[str, str]:
    message = FIELD_MESSAGES.get(problem.code, FIELD_MESSAGES["invalid_format"])[language]
    return {"field": problem.field, "code": problem.code, "detail": message}


def known_codes() -> set[str]:
    return set(CATALOG) | TRANSIENT
