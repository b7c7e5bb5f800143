"""The inbox, devices and preferences, and the push queue the FCM sender drains."""

from typing import Any

from chalicelib.wiring import _once, _publisher, secrets, sessions, settings, table


def devices() -> Any:
    from chalicelib.adapters.dynamo_devices import DynamoDeviceRepository

    return _once("devices", lambda: DynamoDeviceRepository(table()))


def inbox() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoInboxRepository

    return _once("inbox", lambda: DynamoInboxRepository(table()))


def notification_preferences() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoPreferenceRepository

    return _once("notification_preferences", lambda: DynamoPreferenceRepository(table()))


def parked_pushes() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoParkedPushes

    return _once("parked_pushes", lambda: DynamoParkedPushes(table()))


def push_publisher() -> Any:
    return _publisher("push_publisher", lambda s: s.push_queue_url)


def push_sender() -> Any:
    """FCM through firebase-admin (imported on first send); the local FCM endpoint in the local stage only."""
    from chalicelib.adapters.fcm import FcmPushSender

    current = settings()
    return _once(
        "push_sender",
        lambda: FcmPushSender(lambda: secrets().get(current.fcm_service_account_secret_id), current.fcm_endpoint),
    )


def fanout_ports() -> Any:
    from chalicelib.services.notification_ports import FanoutPorts

    return FanoutPorts(
        inbox=inbox(),
        devices=devices(),
        sessions=sessions(),
        preferences=notification_preferences(),
        push_queue=push_publisher(),
        parked=parked_pushes(),
    )


def push_ports() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoPushMarkers
    from chalicelib.domain.notifications import RetryPolicy
    from chalicelib.services.notification_ports import PushPorts

    current = settings()
    return PushPorts(
        sender=push_sender(),
        markers=_once("push_markers", lambda: DynamoPushMarkers(table())),
        devices=devices(),
        push_queue=push_publisher(),
        dead_letters=_publisher("push_dead_letters", lambda s: s.push_dead_letter_queue_url),
        policy=RetryPolicy(current.push_max_attempts, current.push_retry_base_seconds),
    )


def access_digest_ports() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoDigestMarks
    from chalicelib.services.access_digest import AccessDigestPorts
    from chalicelib.wiring import access_log, notifications_publisher

    return AccessDigestPorts(
        access_log=access_log(),
        marks=_once("digest_marks", lambda: DynamoDigestMarks(table())),
        preferences=notification_preferences(),
        notifications=notifications_publisher(),
    )
