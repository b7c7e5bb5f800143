"""The HTTP edge's shared parts: problem+json translation, JSON bodies, the calling citizen, middleware."""

import functools
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib import logs, wiring
from chalicelib.api.access import Access, authenticate, checked_access
from chalicelib.api.problems import choose_language, problem_body
from chalicelib.domain.citizens import normalize_text
from chalicelib.errors import (
    AppError,
    AuthenticationError,
    ConflictError,
    FieldProblem,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnsupportedMediaTypeError,
    UpstreamRejectedError,
    ValidationError,
)

PROBLEM_JSON = "application/problem+json"
_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}
_CHALICE_ERRORS = {405: "method_not_allowed", 415: "unsupported_media_type", 403: "route_not_found"}


class OwnErrorShapeResponse(Response):
    """An error answered in a shape a standard fixes (OAuth token endpoint): left as it is, not made a problem."""


class ApiBlueprint(Blueprint):
    """A Blueprint whose routes declare who may call them (chalicelib/api/access.py) and whose views may raise
    AppError: it becomes problem+json in the caller's language."""

    declared: dict[tuple[str, str], Access] = {}  # (path, METHOD) -> who may call, across every blueprint

    def route(self, path: str, *, caller: Access = None, **kwargs: Any) -> Callable[..., Any]:
        access = checked_access(caller, path)
        register = super().route(path, **kwargs)
        for method in kwargs.get("methods", ["GET"]):
            ApiBlueprint.declared[(path, method.upper())] = access

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            register(_guarded(self, access, view))
            return view

        return decorator


def _guarded(blueprint: Blueprint, access: Access, view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticates as declared, then runs the view; any AppError on the way is answered as a problem."""

    @functools.wraps(view)
    def guarded(**uri_params: Any) -> Any:
        request = blueprint.current_request
        try:
            principal = authenticate(access, request)
            return view(**uri_params) if principal is None else view(principal, **uri_params)
        except AppError as error:
            return problem_response(error, request)

    return guarded


_STATUS_OF_ERROR: tuple[tuple[type[AppError], int], ...] = (
    (ValidationError, 400),
    (UpstreamRejectedError, 400),
    (AuthenticationError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (PayloadTooLargeError, 413),
    (UnsupportedMediaTypeError, 415),
    (TooManyRequestsError, 429),
    (ServiceUnavailableError, 503),
)


def status_of(error: AppError) -> int:
    return next((status for kind, status in _STATUS_OF_ERROR if isinstance(error, kind)), 500)


def problem_response(
    error: AppError, request: Request | None, status: int | None = None, headers: dict[str, str] | None = None
) -> Response:
    """`status` is given only for what the edge itself refuses (unknown route, method); domain errors map by kind."""
    status = status or status_of(error)
    language = choose_language(request.headers.get("accept-language") if request else None)
    if status >= 500:
        logs.log("request_failed", level="WARNING", code=error.code, cause=type(error.__cause__).__name__)
    body = problem_body(error, status, language, logs.request_id.get())
    headers = {"Content-Type": PROBLEM_JSON, "Content-Language": language, **_error_headers(error), **(headers or {})}
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=headers)


def _error_headers(error: AppError) -> dict[str, str]:
    if isinstance(error, AuthenticationError):
        return {"WWW-Authenticate": 'Bearer realm="citizen-app"'}
    if isinstance(error, (ServiceUnavailableError, TooManyRequestsError)):
        return {"Retry-After": str(error.retry_after)}
    return {}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = "" if status == 204 else json.dumps(body, ensure_ascii=False)
    return Response(body=text, status_code=status, headers={"Content-Type": "application/json", **(headers or {})})


def json_body(request: Request) -> dict[str, Any]:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaTypeError()
    try:
        body = json.loads(request.raw_body or b"")
        json.dumps(body, ensure_ascii=False).encode("utf-8")  # a lone surrogate ("\\ud800") is not text
    except (ValueError, UnicodeError, RecursionError) as error:  # RecursionError: [[[[...]]]] nested deep
        raise ValidationError("malformed_json") from error
    if not isinstance(body, dict):
        raise ValidationError("body_not_object")
    return body


def string_fields(
    body: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...] = (), max_length: int = 2048
) -> dict[str, str]:
    """NFC-normalised strings; every bad field is reported at once, in errors[]."""
    values, problems = {}, []
    for name in required + optional:
        value = body.get(name)
        if value is None and name in body and name not in required:
            problems.append(FieldProblem(name, "must_be_string"))  # null is not a string, and not "absent" either
            continue
        if value is None or value == "":
            if name in required:
                problems.append(FieldProblem(name, "required"))
            continue
        if not isinstance(value, str):
            problems.append(FieldProblem(name, "must_be_string"))
        elif len(value) > max_length:
            problems.append(FieldProblem(name, "too_long"))
        else:
            values[name] = normalize_text(value)
    if problems:
        raise ValidationError(errors=tuple(problems))
    return values


def request_middleware(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Request id, body limit, one access log line, and problem+json for errors Chalice answers itself."""
    started = time.perf_counter()
    token = logs.request_id.set(_request_id(event))
    try:
        response = _bounded(event, get_response)
        response = _as_problem_if_foreign_error(response, event)
        for name, value in {**_SECURITY_HEADERS, "X-Request-Id": logs.request_id.get()}.items():
            response.headers.setdefault(name, value)
        logs.log(
            "request",
            method=event.method,
            route=_route(event),
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return response
    finally:
        logs.request_id.reset(token)


def _bounded(event: Request, get_response: Callable[[Request], Response]) -> Response:
    limit = wiring.settings().max_body_bytes
    if event.raw_body and len(event.raw_body) > limit:
        return problem_response(PayloadTooLargeError(params={"limit": limit}), event)
    return get_response(event)


def _as_problem_if_foreign_error(response: Response, event: Request) -> Response:
    """Chalice answers 405, 415 and unhandled exceptions in its own JSON shape; ours is problem+json."""
    content_type = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
    if (
        response.status_code < 400
        or content_type.startswith(PROBLEM_JSON)
        or isinstance(response, OwnErrorShapeResponse)
    ):
        return response
    code = _CHALICE_ERRORS.get(response.status_code, "internal_error")
    status = response.status_code if code != "internal_error" else 500
    extra = {"Allow": response.headers["Allow"]} if "Allow" in response.headers else {}
    return problem_response(AppError(code, params={"method": event.method}), event, status, extra)


def _request_id(event: Request) -> str:
    context = getattr(event, "context", None) or {}
    return str(context.get("requestId") or uuid.uuid4())


def _route(event: Request) -> str:
    context = getattr(event, "context", None) or {}
    return str(context.get("resourcePath") or "-")
