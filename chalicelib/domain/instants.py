"""The one way instants leave the API: RFC 3339 in UTC with `Z`, to the second.

Stored instants come as Unix seconds or as ISO 8601 with an offset (Vietnam time, as agencies send it);
both render the same way, so clients never parse two formats.
"""

from datetime import UTC, datetime, timedelta


def utc_instant(value: int | float | str | datetime) -> str:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, (int, float)):
        moment = datetime.fromtimestamp(value, UTC)
    else:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hour_bucket(moment: datetime) -> str:
    """The UTC hour a timer sits in (yyyy-mm-ddThh): schedules Query the recent hours, never scan."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")


def hour_buckets_back(now: datetime, hours: int) -> list[str]:
    """The buckets from `hours` ago up to now's, oldest first: a schedule that was down catches up in order."""
    return [hour_bucket(now - timedelta(hours=ago)) for ago in range(hours, -1, -1)]


def day_buckets_back(now: datetime, days: int) -> list[str]:
    """The UTC days (yyyy-mm-dd) from `days` ago up to today, oldest first, for schedules with day buckets."""
    return [(now - timedelta(days=ago)).astimezone(UTC).strftime("%Y-%m-%d") for ago in range(days, -1, -1)]
