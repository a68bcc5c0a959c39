"""The period a report covers: a day, a Monday-to-Sunday week or a month, in the report's
time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Period:
    """[start, end) in the report's time zone: a day, a Monday-to-Sunday week, a month."""

    kind: PeriodKind
    first_day: date
    timezone: str

    @classmethod
    def containing(cls, kind: PeriodKind, day: date, timezone: str) -> Period:
        if kind is PeriodKind.WEEKLY:
            day = day - timedelta(days=day.weekday())
        elif kind is PeriodKind.MONTHLY:
            day = day.replace(day=1)
        return cls(kind, day, timezone)

    @classmethod
    def just_closed(cls, kind: PeriodKind, now: datetime, timezone: str) -> Period:
        """The last whole period before `now` (what a scheduled run reports)."""
        today = now.astimezone(ZoneInfo(timezone)).date()
        return cls.containing(kind, today, timezone).previous()

    @property
    def last_day(self) -> date:
        return self.following().first_day - timedelta(days=1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), tzinfo=ZoneInfo(self.timezone))

    @property
    def end(self) -> datetime:
        return self.following().start

    def following(self) -> Period:
        if self.kind is PeriodKind.DAILY:
            return Period(self.kind, self.first_day + timedelta(days=1), self.timezone)
        if self.kind is PeriodKind.WEEKLY:
            return Period(self.kind, self.first_day + timedelta(days=7), self.timezone)
        year, month = divmod(self.first_day.month, 12)
        return Period(self.kind, date(self.first_day.year + year, month + 1, 1), self.timezone)

    def previous(self) -> Period:
        if self.kind is PeriodKind.MONTHLY:
            last_of_previous = self.first_day - timedelta(days=1)
            return Period(self.kind, last_of_previous.replace(day=1), self.timezone)
        days = 1 if self.kind is PeriodKind.DAILY else 7
        return Period(self.kind, self.first_day - timedelta(days=days), self.timezone)

    def utc_days(self) -> list[str]:
        """The UTC dates (the cases' day partitions) that overlap the period."""
        first = self.start.astimezone(UTC).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(UTC).date()
        return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def key(self) -> str:
        return self.first_day.isoformat()

    def days(self) -> list[date]:
        """Its local days, first to last."""
        return [
            self.first_day + timedelta(days=n)
            for n in range((self.last_day - self.first_day).days + 1)
        ]
