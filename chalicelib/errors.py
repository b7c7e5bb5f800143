"""The domain error vocabulary. Each error carries a stable `code`; the edge translates it to
problem+json in the caller's language (chalicelib/api/problems.py)."""
from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input field: where (a JSON pointer-ish name) and which rule it broke."""
    field: str
    code: str


class AppError(Exception):
    status = 500
    default_code = "internal_error"

    def __init__(self, code: Optional[str] = None, *, params: Optional[dict[str, Any]] = None,
                 errors: tuple[FieldProblem, ...] = (), headers: Optional[dict[str, str]] = None):
        self.code = code or self.default_code
        self.params = params or {}
        self.errors = errors
        self.headers = headers or {}
        super().__init__(self.code)


class ValidationError(AppError):
    status = 400
    default_code = "invalid_request"


class AuthenticationError(AppError):
    status = 401
    default_code = "unauthenticated"

    def __init__(self, code: Optional[str] = None, **kwargs: Any):
        super().__init__(code, **kwargs)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="citizen-app"')


class ForbiddenError(AppError):
    status = 403
    default_code = "forbidden"


class NotFoundError(AppError):
    status = 404
    default_code = "not_found"


class ConflictError(AppError):
    status = 409
    default_code = "conflict"


class PayloadTooLargeError(AppError):
    status = 413
    default_code = "payload_too_large"


class UnsupportedMediaTypeError(AppError):
    status = 415
    default_code = "unsupported_media_type"


class ServiceUnavailableError(AppError):
    """A dependency (AWS, the eID provider) is down or throttling; the caller should retry."""
    status = 503
    default_code = "service_unavailable"

    def __init__(self, code: Optional[str] = None, *, retry_after: int = 2, **kwargs: Any):
        super().__init__(code, **kwargs)
        self.headers.setdefault("Retry-After", str(retry_after))


class UpstreamRejectedError(AppError):
    """The eID provider refused what we sent it (bad code, PKCE mismatch): the login must restart."""
    status = 400
    default_code = "eid_rejected"
