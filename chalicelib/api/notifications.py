"""The citizen's inbox and notification preferences."""
import time
from dataclasses import asdict

from chalicelib import wiring
from chalicelib.api.cursors import decode_cursor, encode_cursor
from chalicelib.api.http import ApiBlueprint, current_principal, json_body, json_response
from chalicelib.api.problems import choose_language
from chalicelib.domain.notifications import InboxEntry, Preferences
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import notifications

notifications_api = ApiBlueprint(__name__)


@notifications_api.route("/v1/me/notifications", methods=["GET"])
def list_notifications():
    request = notifications_api.current_request
    principal = current_principal(request)
    kind = "notifications:" + principal.citizen_id   # a cursor is good for its own citizen's inbox only
    params = request.query_params or {}
    _only_known(params, ("cursor",))
    start = decode_cursor(kind, params["cursor"]) if params.get("cursor") else None
    page = notifications.list_inbox(principal, wiring.inbox(), start)
    language = choose_language(request.headers.get("accept-language"))
    return json_response({"notifications": [_entry(e, language) for e in page.entries],
                          "unread_count": page.unread_count,
                          "next_cursor": encode_cursor(kind, page.next_key) if page.next_key else None})


@notifications_api.route("/v1/me/notifications/{notification_id}/read", methods=["POST"])
def mark_read(notification_id):
    principal = current_principal(notifications_api.current_request)
    notifications.mark_read(principal, notification_id, wiring.inbox())
    return json_response(None, status=204)


@notifications_api.route("/v1/me/notifications/read-all", methods=["POST"])
def mark_all_read():
    principal = current_principal(notifications_api.current_request)
    notifications.mark_all_read(principal, wiring.inbox(), int(time.time() * 1000))
    return json_response(None, status=204)


@notifications_api.route("/v1/me/notification-preferences", methods=["GET"])
def get_preferences():
    principal = current_principal(notifications_api.current_request)
    return json_response(_preferences(notifications.get_preferences(principal, wiring.notification_preferences())))


@notifications_api.route("/v1/me/notification-preferences", methods=["PUT"])
def put_preferences():
    request = notifications_api.current_request
    principal = current_principal(request)
    saved = notifications.put_preferences(principal, json_body(request), wiring.notification_preferences())
    return json_response(_preferences(saved))


def _only_known(params: dict, known: tuple[str, ...]) -> None:
    unknown = [FieldProblem(name, "unknown_parameter") for name in params if name not in known]
    if unknown:
        raise ValidationError(errors=tuple(unknown))


def _entry(entry: InboxEntry, language: str) -> dict:
    text = entry.text(language)
    return {"id": entry.notification_id, "category": entry.category, "title": text["title"], "body": text["body"],
            "data": entry.data, "created_at": entry.created_at, "read": entry.read}


def _preferences(preferences: Preferences) -> dict:
    return {"push": dict(preferences.push), "quiet_hours": asdict(preferences.quiet_hours)}
