"""API Gateway's own errors (unknown path, throttling, WAF block, ...) as problem+json bodies, the
shape the app returns: type, title, status, detail, instance (request id), code. Vietnamese text:
API Gateway cannot negotiate the language, and Vietnamese is the app's default."""

import json

from chalicelib.api.problems import problem_body
from chalicelib.errors import AppError

CONTENT_TYPE = "application/problem+json"
_API_GATEWAY_BODY_LIMIT = 10 * 1024 * 1024

_NOT_FOUND = (404, "route_not_found")
_INVALID = (400, "invalid_request")
_FORBIDDEN = (403, "forbidden")
_RATE_LIMITED = (429, "rate_limited")
_INTERNAL = (500, "internal_error")
_UPSTREAM = (504, "service_unavailable")

# Every 4XX/5XX response type is listed with a fixed status, so the body's status always equals the
# HTTP status; DEFAULT_4XX/DEFAULT_5XX catch any type AWS adds later. Texts come from the app's catalog.
GATEWAY_PROBLEMS: dict[str, tuple[int, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": _NOT_FOUND,  # what API Gateway answers for an unknown path
    "RESOURCE_NOT_FOUND": _NOT_FOUND,
    "BAD_REQUEST_BODY": _INVALID,
    "BAD_REQUEST_PARAMETERS": _INVALID,
    "UNAUTHORIZED": (401, "unauthenticated"),
    "ACCESS_DENIED": _FORBIDDEN,
    "EXPIRED_TOKEN": _FORBIDDEN,
    "INVALID_API_KEY": _FORBIDDEN,
    "INVALID_SIGNATURE": _FORBIDDEN,
    "WAF_FILTERED": (403, "request_blocked"),
    "REQUEST_TOO_LARGE": (413, "payload_too_large"),
    "UNSUPPORTED_MEDIA_TYPE": (415, "unsupported_media_type"),
    "THROTTLED": _RATE_LIMITED,
    "QUOTA_EXCEEDED": _RATE_LIMITED,
    "DEFAULT_4XX": _INVALID,
    "API_CONFIGURATION_ERROR": _INTERNAL,
    "AUTHORIZER_CONFIGURATION_ERROR": _INTERNAL,
    "AUTHORIZER_FAILURE": _INTERNAL,
    "INTEGRATION_FAILURE": _UPSTREAM,
    "INTEGRATION_TIMEOUT": _UPSTREAM,
    "DEFAULT_5XX": (502, "internal_error"),
}


def problem_template(status: int, code: str) -> str:
    """The app's own Vietnamese problem body, with API Gateway's request id as `instance`."""
    # Every parameter a gateway text names (payload_too_large: limit; unsupported_media_type: expected).
    error = AppError(code, params={"limit": _API_GATEWAY_BODY_LIMIT, "expected": "application/json"})
    return json.dumps(problem_body(error, status, "vi", "$context.requestId"), ensure_ascii=False)


def gateway_responses() -> dict[str, dict]:
    """The `x-amazon-apigateway-gateway-responses` extension for the API's OpenAPI definition."""
    return {
        response_type: {
            "statusCode": str(problem[0]),
            "responseParameters": {
                "gatewayresponse.header.Content-Type": f"'{CONTENT_TYPE}'",
                "gatewayresponse.header.Cache-Control": "'no-store'",
            },
            "responseTemplates": {
                "application/json": problem_template(*problem),
                CONTENT_TYPE: problem_template(*problem),
            },
        }
        for response_type, problem in GATEWAY_PROBLEMS.items()
    }
