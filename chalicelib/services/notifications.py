"""A citizen's inbox (read, mark read) and notification preferences (push per category, quiet hours)."""

from typing import Any

from chalicelib.domain.notifications import (
    CATEGORIES,
    OPTIONAL_CATEGORIES,
    InboxPage,
    Preferences,
    QuietHours,
    is_hhmm,
    is_time_zone,
)
from chalicelib.domain.sessions import Principal
from chalicelib.errors import FieldProblem, NotFoundError, ValidationError
from chalicelib.services.notification_ports import Inbox, PreferenceStore


def list_inbox(principal: Principal, inbox: Inbox, after: str | None, limit: int) -> InboxPage:
    """The citizen's own partition only: a position from another inbox is refused by the adapter."""
    return inbox.page(principal.citizen_id, limit, after)


def mark_read(principal: Principal, notification_id: str, inbox: Inbox) -> None:
    if not _plausible_id(notification_id) or not inbox.mark_read(principal.citizen_id, notification_id):
        raise NotFoundError("notification_not_found")


def _plausible_id(notification_id: str) -> bool:
    return 0 < len(notification_id) <= 64 and all(c.isalnum() or c == "-" for c in notification_id)


def mark_all_read(principal: Principal, inbox: Inbox, now_ms: int) -> None:
    """Ids start with their creation time in ms; "~" sorts after every id created in that millisecond."""
    inbox.mark_all_read(principal.citizen_id, f"{now_ms:013d}~")


def get_preferences(principal: Principal, store: PreferenceStore) -> Preferences:
    return store.get(principal.citizen_id)


def put_preferences(principal: Principal, body: dict[str, Any], store: PreferenceStore) -> Preferences:
    preferences = parse_preferences(body)
    store.put(principal.citizen_id, preferences)
    return preferences


def parse_preferences(body: dict[str, Any]) -> Preferences:
    """The whole document (PUT replaces it); every bad field is reported at once."""
    problems: list[FieldProblem] = []
    push = _parse_push(body.get("push"), problems)
    quiet = _parse_quiet(body.get("quiet_hours"), problems)
    problems += [FieldProblem(name, "unknown_field") for name in body if name not in ("push", "quiet_hours")]
    if problems:
        raise ValidationError(errors=tuple(problems))
    return Preferences(push=push, quiet_hours=quiet)


def _parse_push(push: Any, problems: list[FieldProblem]) -> dict[str, bool]:
    if not isinstance(push, dict):
        problems.append(FieldProblem("push", "required" if push is None else "must_be_object"))
        return {}
    known = CATEGORIES + OPTIONAL_CATEGORIES
    problems += [FieldProblem(f"push.{name}", "unknown_field") for name in push if name not in known]
    sent = {**dict.fromkeys(OPTIONAL_CATEGORIES, True), **push}  # an optional one left out is on
    for category in known:
        if not isinstance(sent.get(category), bool):
            problems.append(FieldProblem(f"push.{category}", "must_be_boolean"))
    return {category: sent.get(category) is True for category in known}


def _parse_quiet(quiet: Any, problems: list[FieldProblem]) -> QuietHours:
    if not isinstance(quiet, dict):
        problems.append(FieldProblem("quiet_hours", "required" if quiet is None else "must_be_object"))
        return QuietHours()
    values = {
        "enabled": quiet.get("enabled"),
        "start": quiet.get("start"),
        "end": quiet.get("end"),
        "time_zone": quiet.get("time_zone", QuietHours().time_zone),
    }
    if not isinstance(values["enabled"], bool):
        problems.append(FieldProblem("quiet_hours.enabled", "must_be_boolean"))
    problems += [
        FieldProblem(f"quiet_hours.{name}", "invalid_time") for name in ("start", "end") if not is_hhmm(values[name])
    ]
    if not is_time_zone(values["time_zone"]):
        problems.append(FieldProblem("quiet_hours.time_zone", "invalid_time_zone"))
    problems += [FieldProblem(f"quiet_hours.{name}", "unknown_field") for name in quiet if name not in values]
    return QuietHours(**values)
