"""Working days and working hours in Vietnam: weekends and public holidays from a configurable calendar.

Vietnam keeps one time zone (UTC+7, no daylight saving), so a fixed offset is exact.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

VIETNAM = timezone(timedelta(hours=7))
# Administrative office hours: morning and afternoon shifts, 8 working hours a day.
SHIFTS = ((time(8), time(12)), (time(13), time(17)))


class NoWorkingHours(ValueError):
    """The calendar declares every day off: a configuration mistake, not a deadline."""


@dataclass(frozen=True)
class HolidayCalendar:
    holidays: frozenset[date]
    extra_working_days: frozenset[date] = frozenset()  # Saturdays worked to make up a bridged day

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays


def calendar_from_json(data: dict[str, Any]) -> HolidayCalendar:
    """{"holidays": {"2025": [{"date": "2025-01-01", "name": ...}]}, "extra_working_days": [...]}"""
    holidays = {date.fromisoformat(entry["date"]) for year in data.get("holidays", {}).values() for entry in year}
    extra = {date.fromisoformat(day) for day in data.get("extra_working_days", [])}
    return HolidayCalendar(frozenset(holidays), frozenset(extra))


def add_working_days(start: date, days: int, calendar: HolidayCalendar) -> date:
    """The day the n-th working day after `start` ends; the day of receipt itself does not count."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            left -= 1
    return current


def add_working_hours(start: datetime, hours: float, calendar: HolidayCalendar) -> datetime:
    """The instant `hours` of office time after `start` (Vietnam time), skipping nights and days off."""
    left = timedelta(hours=hours)
    moment = start.astimezone(VIETNAM)
    for _ in range(3660):  # at most ten years of days: a broken calendar cannot loop forever
        if calendar.is_working_day(moment.date()):
            for opens, closes in SHIFTS:
                shift_start = datetime.combine(moment.date(), opens, VIETNAM)
                shift_end = datetime.combine(moment.date(), closes, VIETNAM)
                begin = max(moment, shift_start)
                if begin >= shift_end:
                    continue
                if begin + left <= shift_end:
                    return begin + left
                left -= shift_end - begin
        moment = datetime.combine(moment.date() + timedelta(days=1), time(0), VIETNAM)
    raise NoWorkingHours()


def end_of_working_day(day: date) -> datetime:
    return datetime.combine(day, SHIFTS[-1][1], VIETNAM)
