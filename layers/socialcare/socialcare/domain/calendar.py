"""Business time: SLA deadlines counted in a department's working hours.

Nights, weekends and holidays do not count; hours are wall-clock hours in the
department's own time zone, so daylight-saving changes are handled by converting each
working interval to UTC before measuring it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialcare.domain.config_rules import STRICT, require

# No real calendar needs more than this to find 48 working hours; a config with no
# working hours at all is refused by the config model, this only bounds the loop.
_MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class WorkingInterval:
    start: time
    end: time


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str
    # weekday (0 = Monday) -> working intervals of that day, in local wall-clock time
    week: dict[int, tuple[WorkingInterval, ...]]
    holidays: frozenset[date] = frozenset()
    # Each day's working intervals in UTC, worked out once: reports measure millions of
    # spans over the same few hundred days.
    _days: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def working_day_hours(self) -> float:
        """A working day's mean length: how many business hours people call "a day"."""
        days = [intervals for intervals in self.week.values() if intervals]
        total = sum(
            (datetime.combine(date.min, i.end) - datetime.combine(date.min, i.start)).seconds
            for intervals in days
            for i in intervals
        )
        return total / 3600 / len(days) if days else 24.0

    def _intervals_from(self, moment: datetime):
        """Working intervals as UTC (start, end) pairs, from the local day of `moment`."""
        day = moment.astimezone(self.zone).date()
        for offset in range(_MAX_DAYS):
            yield from self._working_intervals(day + timedelta(days=offset))
        raise ValueError(f"calendar {self.timezone} has no working hours in {_MAX_DAYS} days")

    def _working_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        intervals = self._days.get(day)
        if intervals is None:
            zone = self.zone
            pairs = []
            if day not in self.holidays:
                for interval in self.week.get(day.weekday(), ()):
                    start = datetime.combine(day, interval.start, tzinfo=zone).astimezone(UTC)
                    end = datetime.combine(day, interval.end, tzinfo=zone).astimezone(UTC)
                    if end > start:
                        pairs.append((start, end))
            intervals = self._days[day] = tuple(pairs)
        return intervals

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `start` (UTC)."""
        remaining = timedelta(hours=hours)
        start = start.astimezone(UTC)
        if remaining <= timedelta(0):
            return start
        for interval_start, interval_end in self._intervals_from(start):
            if interval_end <= start:
                continue
            begin = max(start, interval_start)
            available = interval_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable: _intervals_from raises when it runs out")

    def business_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours elapsed from `start` to `end` (0 when end is not after start)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0.0
        total = timedelta(0)
        for interval_start, interval_end in self._intervals_from(start):
            if interval_start >= end:
                break
            overlap = min(end, interval_end) - max(start, interval_start)
            if overlap > timedelta(0):
                total += overlap
        return total.total_seconds() / 3600

    def is_working_time(self, moment: datetime) -> bool:
        moment = moment.astimezone(UTC)
        for interval_start, interval_end in self._intervals_from(moment):
            if interval_end <= moment:
                continue
            return interval_start <= moment
        return False


# The configuration of a calendar (routing.yaml's calendars:), built into the above.
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def known_zone(value: str, field: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{field}: unknown time zone {value!r}") from None


@dataclass(frozen=True)
class CalendarConfig:
    __pydantic_config__ = STRICT

    timezone: str
    hours: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[str]]
    holidays: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        known_zone(self.timezone, "timezone")
        require(any(self.hours.values()), "hours", "a calendar needs working hours on one day")
        for day, intervals in self.hours.items():
            for interval in intervals:
                found = _INTERVAL.match(interval)
                ordered = found is not None and found.group(1, 2) < found.group(3, 4)
                problem = f"{day}: {interval!r} is not HH:MM-HH:MM with start < end"
                require(ordered, "hours", problem)

    def calendar(self) -> BusinessCalendar:
        week = {}
        for day, intervals in self.hours.items():
            parsed = []
            for interval in intervals:
                start, end = interval.split("-")
                end_time = time.max if end == "24:00" else time.fromisoformat(end)
                parsed.append(WorkingInterval(time.fromisoformat(start), end_time))
            week[_DAYS.index(day)] = tuple(parsed)
        return BusinessCalendar(self.timezone, week, frozenset(self.holidays))
