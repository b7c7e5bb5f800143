"""The citizen's inbox and notification preferences."""

import time
from dataclasses import asdict

from chalicelib import wiring
from chalicelib.api.access import citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.api.pages import cursor_after, only_known, page_limit, read_after
from chalicelib.api.problems import choose_language
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.notifications import InboxEntry, Preferences
from chalicelib.domain.sessions import Principal
from chalicelib.services import notifications

notifications_api = ApiBlueprint(__name__)


@notifications_api.route("/v1/me/notifications", methods=["GET"], caller=citizen())
def list_notifications(principal: Principal):
    request = notifications_api.current_request
    kind = "notifications:" + principal.citizen_id  # a cursor is good for its own citizen's inbox only
    params = request.query_params or {}
    only_known(params, ("cursor", "limit"))
    page = notifications.list_inbox(principal, wiring.inbox(), read_after(params, kind), page_limit(params))
    language = choose_language(request.headers.get("accept-language"))
    return json_response(
        {
            "items": [_entry(e, language) for e in page.entries],
            "next_cursor": cursor_after(page.after, kind),
            "unread_count": page.unread_count,
        }
    )


@notifications_api.route("/v1/me/notifications/{notification_id}/read", methods=["POST"], caller=citizen())
def mark_read(principal: Principal, notification_id):
    notifications.mark_read(principal, notification_id, wiring.inbox())
    return json_response(None, status=204)


@notifications_api.route("/v1/me/notifications/read-all", methods=["POST"], caller=citizen())
def mark_all_read(principal: Principal):
    notifications.mark_all_read(principal, wiring.inbox(), int(time.time() * 1000))
    return json_response(None, status=204)


@notifications_api.route("/v1/me/notification-preferences", methods=["GET"], caller=citizen())
def get_preferences(principal: Principal):
    return json_response(_preferences(notifications.get_preferences(principal, wiring.notification_preferences())))


@notifications_api.route("/v1/me/notification-preferences", methods=["PUT"], caller=citizen())
def put_preferences(principal: Principal):
    body = json_body(notifications_api.current_request)
    return json_response(
        _preferences(notifications.put_preferences(principal, body, wiring.notification_preferences()))
    )


def _entry(entry: InboxEntry, language: str) -> dict:
    text = entry.text(language)
    return {
        "id": entry.notification_id,
        "category": entry.category,
        "title": text["title"],
        "body": text["body"],
        "data": entry.data,
        "created_at": utc_instant(entry.created_at),
        "read": entry.read,
    }


def _preferences(preferences: Preferences) -> dict:
    return {"push": dict(preferences.push), "quiet_hours": asdict(preferences.quiet_hours)}
