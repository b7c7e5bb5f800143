"""The HTTP edge's shared parts: problem+json translation, JSON bodies, the calling citizen, middleware."""

import functools
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib import logs, wiring
from chalicelib.api import cors
from chalicelib.api.access import Access, authenticate, checked_access
from chalicelib.api.limits import checked_limit, enforce_limit
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
FORM_BODY = "application/x-www-form-urlencoded"
_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}
_CHALICE_ERRORS = {405: "method_not_allowed", 415: "unsupported_media_type", 403: "route_not_found"}
# A client's own id, echoed and logged when it is this tame (no spaces, quotes or control characters to forge a
# log line with); anything else is replaced, not refused: a request id is a courtesy, not an input.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class OwnErrorShapeResponse(Response):
    """An error answered in a shape a standard fixes (OAuth token endpoint): left as it is, not made a problem."""


class ApiBlueprint(Blueprint):
    """A Blueprint whose routes declare who may call them (chalicelib/api/access.py) and whose views may raise
    AppError: it becomes problem+json in the caller's language."""

    declared: dict[tuple[str, str], Access] = {}  # (path, METHOD) -> who may call, across every blueprint
    limited: dict[tuple[str, str], str] = {}  # (path, METHOD) -> the rate limit it counts against (api/limits.py)

    def route(self, path: str, *, caller: Access = None, limit: str = "", **kwargs: Any) -> Callable[..., Any]:
        access, limit = checked_access(caller, path), checked_limit(limit, path)
        # Chalice refuses any Content-Type outside the route's list with 415, even on a GET that has no body. The
        # type of a body is checked by what reads it (json_body, or a route declaring its form type), so a
        # request is never refused for a header that describes nothing.
        kwargs.setdefault("content_types", ["*/*"])
        register = super().route(path, **kwargs)
        for method in kwargs.get("methods", ["GET"]):
            ApiBlueprint.declared[(path, method.upper())] = access
            if limit:
                ApiBlueprint.limited[(path, method.upper())] = limit

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            register(_guarded(self, access, limit, view))
            return view

        return decorator


def _guarded(blueprint: Blueprint, access: Access, limit: str, view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticates as declared, counts the call against its rate limit, then runs the view; any AppError on
    the way is answered as a problem."""

    @functools.wraps(view)
    def guarded(**uri_params: Any) -> Any:
        request = blueprint.current_request
        try:
            principal = authenticate(access, request)
            enforce_limit(limit, principal, request)
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
    """Request id, OPTIONS and CORS, body limit, one access log line, and problem+json for Chalice's own errors."""
    started = time.perf_counter()
    gateway_id = _gateway_request_id(event)
    tokens = logs.request_id.set(_request_id(event, gateway_id)), logs.gateway_request_id.set(gateway_id)
    try:
        response = _options(event) if event.method == "OPTIONS" else _bounded(event, get_response)
        response = _as_problem_if_foreign_error(response, event)
        _add_edge_headers(response, event)
        logs.log(
            "request",
            method=event.method,
            route=_route(event),
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return response
    finally:
        logs.request_id.reset(tokens[0])
        logs.gateway_request_id.reset(tokens[1])


def _options(event: Request) -> Response:
    """Every route answers OPTIONS, here, before Chalice routes (it knows no OPTIONS route): the methods it
    allows, and for an allowed web origin the CORS preflight answer. On AWS the OPTIONS reaches the function
    through the ANY method that infra/api.py adds to every resource; locally devstack/gateway.py passes it on."""
    methods = sorted(m for (path, m) in ApiBlueprint.declared if path == _route(event)) + ["OPTIONS"]
    headers = {"Allow": ", ".join(methods)}
    origin = cors.allowed_origin(event.headers.get("origin"), wiring.settings().cors_allowed_origins)
    if origin:
        headers.update(cors.preflight_headers(origin, methods))
    return Response(body="", status_code=204, headers=headers)


def _add_edge_headers(response: Response, event: Request) -> None:
    allowlist = wiring.settings().cors_allowed_origins
    origin = cors.allowed_origin(event.headers.get("origin"), allowlist)
    extra = cors.response_headers(origin) if origin and event.method != "OPTIONS" else {}
    if allowlist:
        extra["Vary"] = "Origin"  # the CORS headers depend on it: a shared cache must not mix origins
    for name, value in {**_SECURITY_HEADERS, "X-Request-Id": logs.request_id.get(), **extra}.items():
        response.headers.setdefault(name, value)


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
    # Chalice checks a body's type only on the routes that declare one (every other route takes */* and reads
    # JSON through json_body): the OAuth token endpoints, which take a form.
    params = {"method": event.method, "expected": FORM_BODY}
    return problem_response(AppError(code, params=params), event, status, extra)


def _request_id(event: Request, gateway_id: str) -> str:
    client_id = event.headers.get("x-request-id") or ""
    return client_id if _CLIENT_REQUEST_ID.fullmatch(client_id) else gateway_id or str(uuid.uuid4())


def _gateway_request_id(event: Request) -> str:
    context = getattr(event, "context", None) or {}
    return str(context.get("requestId") or "")


def _route(event: Request) -> str:
    context = getattr(event, "context", None) or {}
    return str(context.get("resourcePath") or "-")
