"""The domain error vocabulary. Each error carries a stable `code` and no HTTP: the edge maps the kind of
error to a status and translates it to problem+json in the caller's language (chalicelib/api/problems.py)."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input field: where (a JSON pointer-ish name) and which rule it broke."""

    field: str
    code: str

    def __post_init__(self) -> None:
        if not self.field:  # a client may send "" as a member name; the answer must still name something
            object.__setattr__(self, "field", "(empty)")


class AppError(Exception):
    default_code = "internal_error"

    def __init__(
        self, code: str | None = None, *, params: dict[str, Any] | None = None, errors: tuple[FieldProblem, ...] = ()
    ):
        self.code = code or self.default_code
        self.params = params or {}
        self.errors = errors
        super().__init__(self.code)


class ValidationError(AppError):
    default_code = "invalid_request"


class AuthenticationError(AppError):
    """The caller is not who it claims, or did not say: it must (re)authenticate."""

    default_code = "unauthenticated"


class ForbiddenError(AppError):
    default_code = "forbidden"


class NotFoundError(AppError):
    default_code = "not_found"


class ConflictError(AppError):
    default_code = "conflict"


class PayloadTooLargeError(AppError):
    default_code = "payload_too_large"


class UnsupportedMediaTypeError(AppError):
    """`expected` names the media type the operation takes (JSON unless said)."""

    default_code = "unsupported_media_type"

    def __init__(self, code: str | None = None, *, expected: str = "application/json"):
        super().__init__(code, params={"expected": expected})


class TooManyRequestsError(AppError):
    """The caller must wait `retry_after` seconds before trying again."""

    default_code = "rate_limited"

    def __init__(self, code: str | None = None, *, retry_after: int, **kwargs: Any):
        super().__init__(code, **kwargs)
        self.retry_after = retry_after
        self.params.setdefault("retry_after", retry_after)


class ServiceUnavailableError(AppError):
    """A dependency (AWS, the eID provider) is down or throttling; the caller should retry."""

    default_code = "service_unavailable"

    def __init__(self, code: str | None = None, *, retry_after: int = 2, **kwargs: Any):
        super().__init__(code, **kwargs)
        self.retry_after = retry_after


class UpstreamRejectedError(AppError):
    """The eID provider refused what we sent it (bad code, PKCE mismatch): the login must restart."""

    default_code = "eid_rejected"
