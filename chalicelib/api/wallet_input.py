"""Parsing and validating wallet request bodies and parameters; every bad field is reported at once."""

import re
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.citizens import normalize_text
from chalicelib.domain.credentials import check_claims, credential_types
from chalicelib.domain.dossiers import looks_like_personal_id
from chalicelib.domain.uploads import size_problem_of
from chalicelib.domain.wallet import (
    DEFAULT_SHARE_TTL,
    MAX_AUDIENCE,
    MAX_SHARE_TTL,
    MIN_SHARE_TTL,
    DocumentIssue,
    ShareRequest,
)
from chalicelib.errors import FieldProblem, NotFoundError, ValidationError

_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_NONCE = re.compile(r"^[!-~]{1,200}$")
MAX_KB_JWT = 4096
MAX_DISCLOSE = 30


def document_issue(body: dict[str, Any]) -> DocumentIssue:
    problems: list[FieldProblem] = []
    personal_id = body.get("personal_id")
    if not isinstance(personal_id, str) or not personal_id.isascii() or not looks_like_personal_id(personal_id):
        problems.append(FieldProblem("personal_id", "required" if personal_id is None else "invalid_format"))
    code, claims, expires_at = _content(body, problems)
    pdf_size = _declared_pdf(body.get("pdf"), problems)
    if problems:
        raise ValidationError(errors=tuple(problems))
    return DocumentIssue(personal_id, code, claims, expires_at, pdf_size)


def _declared_pdf(value: Any, problems: list[FieldProblem]) -> int | None:
    """`pdf: {size}`: the signed PDF the issuer will upload, at most MAX_UPLOAD_BYTES (too_large, empty)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(FieldProblem("pdf", "must_be_object"))
        return None
    problems += [FieldProblem(f"pdf.{name}", "unknown_field") for name in value if name != "size"]
    size = value.get("size")
    if not isinstance(size, int) or isinstance(size, bool):
        problems.append(FieldProblem("pdf.size", "required" if size is None else "must_be_integer"))
        return None
    size_problem = size_problem_of(size)
    if size_problem:
        problems.append(FieldProblem("pdf.size", size_problem))
    return size


def result_document(value: Any, problems: list[FieldProblem]) -> DocumentIssue | None:
    """A dossier's result {type, claims, expires_at?}, checked as the issuer route checks a document; the person
    is the dossier's, so it names none."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(FieldProblem("result_document", "must_be_object"))
        return None
    inner: list[FieldProblem] = []
    code, claims, expires_at = _content(value, inner)
    inner += [FieldProblem(name, "unknown_field") for name in value if name not in ("type", "claims", "expires_at")]
    problems += [FieldProblem(f"result_document.{p.field}", p.code) for p in inner]
    return None if inner else DocumentIssue("", code, claims, expires_at)


def _content(body: dict[str, Any], problems: list[FieldProblem]) -> tuple[str, dict[str, Any], int | None]:
    """The type, its claims checked against the type's schema, and the expiry."""
    code = body.get("type")
    credential_type = credential_types().get(code) if isinstance(code, str) else None
    if credential_type is None:
        problems.append(FieldProblem("type", "required" if code is None else "not_allowed"))
    claims: dict[str, Any] = {}
    if credential_type is not None:
        claims, claim_problems = check_claims(credential_type, body.get("claims"))
        problems += claim_problems
    return code, claims, _instant(body.get("expires_at"), problems)


def _instant(value: Any, problems: list[FieldProblem]) -> int | None:
    """An instant already past is accepted: the document is then issued expired, as the issuer says."""
    if value is None:
        return None
    try:
        if not isinstance(value, str) or not _INSTANT.match(value):
            raise ValueError(value)
        return int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
    except ValueError:
        problems.append(FieldProblem("expires_at", "invalid_format"))
        return None


def share_request(body: dict[str, Any]) -> ShareRequest:
    problems: list[FieldProblem] = []
    disclose = _disclose(body.get("disclose"), problems)
    audience = body.get("audience")
    if audience is not None and (not isinstance(audience, str) or len(normalize_text(audience)) > MAX_AUDIENCE):
        problems.append(FieldProblem("audience", "must_be_string" if not isinstance(audience, str) else "too_long"))
    ttl = body.get("ttl_seconds", DEFAULT_SHARE_TTL)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or not MIN_SHARE_TTL <= ttl <= MAX_SHARE_TTL:
        problems.append(FieldProblem("ttl_seconds", "invalid_format"))
    kb_jwt = _matching(body, "key_binding_jwt", _COMPACT_JWS, MAX_KB_JWT, problems)
    nonce = _matching(body, "nonce", _NONCE, 200, problems)
    if problems:
        raise ValidationError(errors=tuple(problems))
    return ShareRequest(disclose, normalize_text(audience or ""), ttl, kb_jwt, nonce)


def _matching(body: dict[str, Any], name: str, pattern: re.Pattern, limit: int, problems: list[FieldProblem]) -> str:
    value = body.get(name)
    if value is None and name not in body:
        return ""
    if not isinstance(value, str):
        problems.append(FieldProblem(name, "must_be_string"))
    elif len(value) > limit:
        problems.append(FieldProblem(name, "too_long"))
    elif not pattern.match(value):
        problems.append(FieldProblem(name, "invalid_format"))
    else:
        return value
    return ""


def holder_jwk(body: dict[str, Any]) -> dict[str, Any]:
    """The shape only; the key itself is checked by the credential library (holder_key_invalid)."""
    problems = [FieldProblem(name, "unknown_field") for name in body if name != "jwk"]
    jwk = body.get("jwk")
    if not isinstance(jwk, dict):
        problems.insert(0, FieldProblem("jwk", "required" if jwk is None else "must_be_object"))
    if problems:
        raise ValidationError(errors=tuple(problems))
    return jwk


def _disclose(value: Any, problems: list[FieldProblem]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > MAX_DISCLOSE:
        problems.append(FieldProblem("disclose", "required" if value is None else "invalid_format"))
        return ()
    if not all(isinstance(name, str) and 0 < len(name) <= 64 for name in value) or len(set(value)) != len(value):
        problems.append(FieldProblem("disclose", "invalid_format"))
        return ()
    return tuple(value)


def type_filter(value: str | None) -> str:
    if value is None:
        return ""
    if value not in credential_types():
        raise ValidationError(errors=(FieldProblem("type", "not_allowed"),))
    return value


def path_id(value: str, not_found_code: str) -> str:
    """Ids we make are short URL-safe strings: anything else names nothing (and never reaches a storage key)."""
    if not _ID.match(value or ""):
        raise NotFoundError(not_found_code)
    return value


def list_id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise NotFoundError("status_list_not_found")
    return int(value)
