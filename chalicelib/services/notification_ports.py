"""The ports the notification use cases need, and their bundles (fan-out, push). Adapters implement them;
unit tests pass in-memory fakes."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib.domain.notifications import Device, InboxEntry, InboxPage, Preferences, RetryPolicy
from chalicelib.services.auth_ports import Sessions


class Devices(Protocol):
    def register(self, device: Device, max_devices: int) -> Device: ...
    def list(self, citizen_id: str) -> list[Device]: ...
    def delete(self, citizen_id: str, device_id: str) -> bool: ...
    def delete_dead(self, token: str) -> None: ...


class Inbox(Protocol):
    def record(self, citizen_id: str, event_id: str, entry: InboxEntry, now: int) -> bool: ...
    def pushes_pending(self, event_id: str) -> bool: ...
    def mark_pushed(self, event_id: str) -> None: ...
    def page(self, citizen_id: str, limit: int, after: str | None) -> InboxPage: ...
    def mark_read(self, citizen_id: str, notification_id: str) -> bool: ...
    def mark_all_read(self, citizen_id: str, watermark_id: str) -> None: ...


class PreferenceStore(Protocol):
    def get(self, citizen_id: str) -> Preferences: ...
    def put(self, citizen_id: str, preferences: Preferences) -> None: ...


class PushMarkers(Protocol):
    def claim(self, event_id: str, device_ids: list[str], now: int) -> set[str]: ...
    def release(self, event_id: str, device_ids: Iterable[str]) -> None: ...


class ParkedPushes(Protocol):
    def park(self, release_minute: str, job_id: str, job: dict[str, Any], expires_at: int) -> None: ...
    def due(self, release_minute: str) -> list[tuple[str, dict[str, Any]]]: ...
    def remove(self, release_minute: str, job_id: str) -> None: ...
    def released_up_to(self) -> str | None: ...
    def set_released_up_to(self, release_minute: str) -> None: ...


class Queue(Protocol):
    def publish(
        self, message: dict[str, Any], delay_seconds: int = 0, attributes: dict[str, str] | None = None
    ) -> None: ...
    def publish_batch(self, messages: list[dict[str, Any]]) -> None: ...


class PushSender(Protocol):
    def send(self, title: str, body: str, data: dict[str, str], tokens: list[str]) -> list[str]:
        """One outcome per token, in order: "sent", "dead" (delete the device), "retry" or "failed"."""
        ...


@dataclass(frozen=True)
class FanoutPorts:
    inbox: Inbox
    devices: Devices
    sessions: Sessions
    preferences: PreferenceStore
    push_queue: Queue
    parked: ParkedPushes


@dataclass(frozen=True)
class PushPorts:
    sender: PushSender
    markers: PushMarkers
    devices: Devices
    push_queue: Queue
    dead_letters: Queue
    policy: RetryPolicy = field(default_factory=RetryPolicy)
