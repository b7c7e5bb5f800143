"""Parsing and validating dossier-related request bodies; every bad field is reported at once."""

import json
import re
import time
from datetime import UTC, date
from typing import Any

from chalice.app import Request

from chalicelib.api import wallet_input
from chalicelib.domain.citizens import normalize_text
from chalicelib.domain.dossiers import STATUSES, DossierEvent, body_fingerprint, looks_like_personal_id, parse_instant
from chalicelib.domain.wallet import MAX_ATTACHED, DocumentIssue
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services.agency_dossiers import CounterDossier
from chalicelib.services.filing import Idempotent
from chalicelib.services.online_dossiers import OnlineSubmission

_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Visible ASCII without surrounding spaces, as openapi.yaml says: a key is compared byte for byte on replay.
_IDEMPOTENCY_KEY = re.compile(r"^[!-~]([ -~]{0,198}[!-~])?$")
_TEXT_LIMITS = {"step_name": 200, "agency_unit": 200, "officer_role": 200, "note": 2000}


def idempotent(request: Request, body: dict[str, Any]) -> Idempotent:
    key = request.headers.get("idempotency-key") or ""
    if not key or len(key) > 200 or not _IDEMPOTENCY_KEY.match(key):
        problem = "required" if not key else "too_long" if len(key) > 200 else "invalid_format"
        raise ValidationError("idempotency_key_required", errors=(FieldProblem("Idempotency-Key", problem),))
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return Idempotent(key, body_fingerprint(canonical))


def _text(body: dict[str, Any], name: str, limit: int, problems: list[FieldProblem], required: bool = False) -> str:
    value = body.get(name)
    if value is None and name in body and not required:
        problems.append(FieldProblem(name, "must_be_string"))
        return ""
    if value is None or value == "":
        if required:
            problems.append(FieldProblem(name, "required"))
        return ""
    if not isinstance(value, str):
        problems.append(FieldProblem(name, "must_be_string"))
        return ""
    if len(value) > limit:
        problems.append(FieldProblem(name, "too_long"))
        return ""
    return normalize_text(value)


def _date(body: dict[str, Any], name: str, problems: list[FieldProblem]) -> str:
    value = _text(body, name, 10, problems)
    if body.get(name) == "":
        problems.append(FieldProblem(name, "invalid_format"))  # sent, but no date: not "absent"
    try:
        return date.fromisoformat(value).isoformat() if value else ""
    except ValueError:
        problems.append(FieldProblem(name, "invalid_format"))
        return ""


def _instant(body: dict[str, Any], name: str, now: float, problems: list[FieldProblem], required: bool = False):
    """An instant with an offset, representable in UTC, and not in the future (5 minutes of clock skew)."""
    raw = _text(body, name, 40, problems, required)
    if not raw:
        if body.get(name) == "" and not required:
            problems.append(FieldProblem(name, "invalid_format"))  # sent, but no instant: not "absent"
        return None
    moment = parse_instant(raw)
    try:
        at = moment.astimezone(UTC).timestamp() if moment is not None else None
    except OverflowError:
        at = None
    if at is None:
        problems.append(FieldProblem(name, "invalid_format"))
    elif at > now + 300:
        # Well-formed but not yet: a rule of time, which no schema can state; reported apart from the format.
        problems.append(FieldProblem(name, "in_future"))
    return moment if at is not None and at <= now + 300 else None


def counter_dossier(body: dict[str, Any], now: float) -> CounterDossier:
    problems: list[FieldProblem] = []
    personal_id = _text(body, "personal_id", 12, problems, required=True)
    if personal_id and not looks_like_personal_id(personal_id):
        problems.append(FieldProblem("personal_id", "invalid_format"))
    code = _text(body, "procedure_code", 64, problems, required=True)
    received = _instant(body, "received_at", now, problems) or parse_instant(_utc_now())
    appointment = _date(body, "appointment_date", problems)
    name = _text(body, "applicant_name", 200, problems)
    if problems:
        raise ValidationError(errors=tuple(problems))
    return CounterDossier(personal_id, code, received, appointment, name)


def dossier_event(body: dict[str, Any], now: float) -> tuple[DossierEvent, DocumentIssue | None]:
    """The event, and the result document it delivers: only a `completed` event carries one."""
    problems: list[FieldProblem] = []
    event_id = _text(body, "event_id", 128, problems, required=True)
    if event_id and not _EVENT_ID.match(event_id):
        problems.append(FieldProblem("event_id", "invalid_format"))
    occurred = _instant(body, "occurred_at", now, problems, required=True)
    status = _text(body, "status", 40, problems, required=True)
    if status and status not in STATUSES:
        problems.append(FieldProblem("status", "invalid_format"))
    texts = {name: _text(body, name, limit, problems) for name, limit in _TEXT_LIMITS.items()}
    documents = _documents(body.get("requested_documents"), problems)
    result = wallet_input.result_document(body.get("result_document"), problems)
    if "result_document" in body and status and status != "completed":
        problems.append(FieldProblem("result_document", "not_allowed"))
    if problems:
        raise ValidationError(errors=tuple(problems))
    event = DossierEvent(
        event_id=event_id,
        occurred_at=occurred.isoformat(),
        status=status,
        occurred_ms=int(occurred.timestamp() * 1000),
        requested_documents=documents,
        recorded_at=int(now),
        **texts,
    )
    return event, result


def _documents(value: Any, problems: list[FieldProblem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or len(value) > 50
        or not all(isinstance(v, str) and 0 < len(v) <= 300 for v in value)
    ):
        problems.append(FieldProblem("requested_documents", "invalid_format"))
        return ()
    return tuple(normalize_text(v) for v in value)


def online_submission(body: dict[str, Any]) -> OnlineSubmission:
    """The form itself is checked against the procedure's fields by the service."""
    problems: list[FieldProblem] = []
    code = _text(body, "procedure_code", 64, problems, required=True)
    agency_id = _text(body, "agency_id", 64, problems)
    document_ids = _document_ids(body.get("documents", []), problems)
    problems += [
        FieldProblem(name, "unknown_field")
        for name in body
        if name not in ("procedure_code", "agency_id", "form", "documents")
    ]
    if problems:
        raise ValidationError(errors=tuple(problems))
    return OnlineSubmission(code, agency_id, body.get("form"), document_ids)


def _document_ids(value: Any, problems: list[FieldProblem]) -> tuple[str, ...]:
    """[{document_id}], each a wallet id once; room for more per-document fields (which requirement it meets).
    Absent is none attached; null is not a list, and refused like anywhere else."""
    if not isinstance(value, list) or len(value) > MAX_ATTACHED:
        problems.append(FieldProblem("documents", "invalid_format"))
        return ()
    ids = []
    for i, item in enumerate(value):
        document_id = item.get("document_id") if isinstance(item, dict) else None
        if not isinstance(document_id, str) or not _DOCUMENT_ID.match(document_id) or document_id in ids:
            problems.append(FieldProblem(f"documents[{i}].document_id", "invalid_format"))
        elif set(item) != {"document_id"}:
            problems.append(FieldProblem(f"documents[{i}]", "unknown_field"))
        else:
            ids.append(document_id)
    return tuple(ids)


def rating(body: dict[str, Any]) -> tuple[int, str]:
    problems: list[FieldProblem] = []
    score = body.get("score")
    if score is None:
        problems.append(FieldProblem("score", "required"))
    elif isinstance(score, bool) or not _is_integer(score) or not 1 <= score <= 5:
        problems.append(FieldProblem("score", "invalid_format"))
    else:
        score = int(score)
    comment = _text(body, "comment", 1000, problems)
    problems += [FieldProblem(name, "unknown_field") for name in body if name not in ("score", "comment")]
    if problems:
        raise ValidationError(errors=tuple(problems))
    return score, comment


def _is_integer(value: Any) -> bool:
    """JSON has one number type: 4.0 is the integer 4 (as JSON Schema says), 4.5 is not."""
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def status_filter(value: str | None) -> str:
    if value and value not in STATUSES:
        raise ValidationError(errors=(FieldProblem("status", "invalid_format"),))
    return value or ""


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
