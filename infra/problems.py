"""API Gateway's own errors (unknown path, throttling, WAF block, ...) as problem+json bodies, the
shape the app returns: type, title, status, detail, instance (request id), code. Vietnamese text:
API Gateway cannot negotiate the language, and Vietnamese is the app's default."""
import json

PROBLEM_TYPE_PREFIX = "urn:problem:citizen-app:"  # as in chalicelib/api/problems.py
CONTENT_TYPE = "application/problem+json"

_NOT_FOUND = (404, "route_not_found", "Không tìm thấy", "Không có địa chỉ API này.")
_INVALID = (400, "invalid_request", "Yêu cầu không hợp lệ", "Yêu cầu không hợp lệ.")
_UNAUTHENTICATED = (401, "unauthenticated", "Chưa đăng nhập",
                    "Hãy gửi access token hợp lệ trong header Authorization.")
_FORBIDDEN = (403, "forbidden", "Không có quyền", "Bạn không có quyền thực hiện thao tác này.")
_RATE_LIMITED = (429, "rate_limited", "Quá nhiều yêu cầu", "Hãy thử lại sau ít phút.")
_INTERNAL = (500, "internal_error", "Lỗi hệ thống",
             "Đã xảy ra lỗi; hãy thử lại. Nếu lỗi lặp lại, hãy báo mã yêu cầu.")
_UPSTREAM = (504, "service_unavailable", "Dịch vụ tạm thời gián đoạn", "Hãy thử lại sau giây lát.")

# Every 4XX/5XX response type is listed with a fixed status, so the body's status always equals the
# HTTP status; DEFAULT_4XX/DEFAULT_5XX catch any type AWS adds later.
GATEWAY_PROBLEMS: dict[str, tuple[int, str, str, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": _NOT_FOUND,  # what API Gateway answers for an unknown path
    "RESOURCE_NOT_FOUND": _NOT_FOUND,
    "BAD_REQUEST_BODY": _INVALID,
    "BAD_REQUEST_PARAMETERS": _INVALID,
    "UNAUTHORIZED": _UNAUTHENTICATED,
    "ACCESS_DENIED": _FORBIDDEN,
    "EXPIRED_TOKEN": _FORBIDDEN,
    "INVALID_API_KEY": _FORBIDDEN,
    "INVALID_SIGNATURE": _FORBIDDEN,
    "WAF_FILTERED": (403, "request_blocked", "Yêu cầu bị chặn", "Yêu cầu bị tường lửa chặn."),
    "REQUEST_TOO_LARGE": (413, "payload_too_large", "Yêu cầu quá lớn", "Nội dung yêu cầu quá lớn."),
    "UNSUPPORTED_MEDIA_TYPE": (415, "unsupported_media_type", "Kiểu nội dung không được hỗ trợ",
                               "Hãy gửi Content-Type: application/json."),
    "THROTTLED": _RATE_LIMITED,
    "QUOTA_EXCEEDED": _RATE_LIMITED,
    "DEFAULT_4XX": _INVALID,
    "API_CONFIGURATION_ERROR": _INTERNAL,
    "AUTHORIZER_CONFIGURATION_ERROR": _INTERNAL,
    "AUTHORIZER_FAILURE": _INTERNAL,
    "INTEGRATION_FAILURE": _UPSTREAM,
    "INTEGRATION_TIMEOUT": _UPSTREAM,
    "DEFAULT_5XX": (502, "internal_error", _INTERNAL[2], _INTERNAL[3]),
}


def problem_template(status: int, code: str, title: str, detail: str) -> str:
    """Static JSON plus API Gateway's own request id as `instance`."""
    return json.dumps({
        "type": PROBLEM_TYPE_PREFIX + code, "title": title, "status": status,
        "detail": detail, "instance": "$context.requestId", "code": code,
    }, ensure_ascii=False)


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
