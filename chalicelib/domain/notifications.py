"""Notifications: a citizen's push devices, inbox entries, push preferences with quiet hours, push jobs."""

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CATEGORIES = ("dossiers", "tax", "wallet", "city_alerts")
# Added after clients sent the four above: absent from a PUT it is on. Off, the monthly access digest is not sent.
OPTIONAL_CATEGORIES = ("privacy",)
PLATFORMS = ("android", "ios", "web")
LOCALES = ("vi", "en")
DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
MULTICAST_LIMIT = 500  # FCM send_each_for_multicast takes at most 500 tokens per call
PUSH_JOB = "push_job"
_HHMM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")


@dataclass(frozen=True)
class Device:
    device_id: str
    citizen_id: str
    session_id: str
    token: str  # the FCM registration token: stored, never logged, never returned
    platform: str
    locale: str
    app_version: str
    created_at: int
    updated_at: int
    installation: str = ""  # installation_key_for(the app's installation id): proves the same app instance


def device_id_for(citizen_id: str, installation_id: str) -> str:
    """One app installation is one device of a citizen: registering again replaces its token and details.
    Derived with the citizen, so two accounts on one phone do not share (and link through) a device id."""
    return hashlib.sha256(f"{citizen_id}:{installation_id}".encode()).hexdigest()[:32]


def installation_key_for(installation_id: str) -> str:
    return hashlib.sha256(f"installation:{installation_id}".encode()).hexdigest()[:32]


def token_key_for(token: str) -> str:
    """What a token is stored under: its hash, so a token's owner is found without keeping tokens as keys."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class InboxEntry:
    """Stored in both languages, so the inbox follows the app's language even after the citizen switches."""

    notification_id: str
    category: str
    texts: dict[str, dict[str, str]]  # locale -> {"title", "body"}
    data: dict[str, str]
    created_at: str  # ISO 8601 UTC
    read: bool = False

    def text(self, locale: str) -> dict[str, str]:
        return self.texts.get(locale) or self.texts.get("vi") or next(iter(self.texts.values()))


def notification_id_for(event_id: str, now_ms: int) -> str:
    """Time-ordered (newest first is a reverse Query) and unique per event."""
    return f"{now_ms:013d}-{hashlib.sha256(event_id.encode('utf-8')).hexdigest()[:12]}"


@dataclass(frozen=True)
class InboxPage:
    entries: list[InboxEntry]
    unread_count: int
    after: str | None  # the position to continue after (see domain/pages.py)


@dataclass(frozen=True)
class QuietHours:
    enabled: bool = False
    start: str = "22:00"
    end: str = "07:00"
    time_zone: str = DEFAULT_TIME_ZONE


@dataclass(frozen=True)
class Preferences:
    push: dict[str, bool] = field(default_factory=lambda: {c: True for c in CATEGORIES + OPTIONAL_CATEGORIES})
    quiet_hours: QuietHours = field(default_factory=QuietHours)

    def allows_push(self, category: str) -> bool:
        return self.push.get(category, True)


def is_hhmm(value: Any) -> bool:
    return isinstance(value, str) and bool(_HHMM.fullmatch(value))


def is_time_zone(value: Any) -> bool:
    if not isinstance(value, str) or not value or len(value) > 64 or value.startswith(("/", ".")):
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def quiet_hours_end(quiet: QuietHours, now: datetime) -> datetime | None:
    """When `now` (aware) falls in the quiet hours, the UTC instant they end; otherwise None."""
    if not quiet.enabled or quiet.start == quiet.end:
        return None
    local = now.astimezone(ZoneInfo(quiet.time_zone))
    start, end = _clock(quiet.start), _clock(quiet.end)
    moment = local.time().replace(second=0, microsecond=0)
    crosses_midnight = start > end
    inside = (moment >= start or moment < end) if crosses_midnight else (start <= moment < end)
    if not inside:
        return None
    release_day = local.date() + timedelta(days=1) if crosses_midnight and moment >= start else local.date()
    release = datetime.combine(release_day, end, tzinfo=local.tzinfo)
    return release.astimezone(UTC)


def _clock(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def chunk(items: list[Any], size: int = MULTICAST_LIMIT) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def push_job(
    event_id: str,
    citizen_id: str,
    title: str,
    body: str,
    data: dict[str, str],
    targets: list[dict[str, str]],
    attempt: int = 0,
) -> dict[str, Any]:
    """One PUSH queue message: one text (one language) for ≤ 500 devices of one citizen."""
    return {
        "type": PUSH_JOB,
        "event_id": event_id,
        "citizen_id": citizen_id,
        "attempt": attempt,
        "title": title,
        "body": body,
        "data": data,
        "targets": targets,
    }


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay_seconds: int = 30

    def delay(self, attempt: int) -> int:
        """Exponential with jitter, capped by SQS at 15 minutes."""
        return min(900, int(self.base_delay_seconds * (2**attempt) * random.uniform(0.8, 1.2)) or 1)
