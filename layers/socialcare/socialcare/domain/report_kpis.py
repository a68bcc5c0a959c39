"""A report's KPIs as the report use case hands them to its presentation (report.html,
the managers' email) and writes them (kpis.json, by `as_json`: its keys and their order
are what readers of the file rely on)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from socialcare.domain.clock import utc_iso
from socialcare.domain.periods import Period
from socialcare.domain.reporting import Breached

# Indicators beside their previous values, as reporting.with_previous pairs them: each
# {"value", "previous"}, nested as the indicators are (the times' business and calendar
# summaries, the hours each department held cases).
Compared = dict[str, Any]


@dataclass(frozen=True)
class PeriodInfo:
    kind: str
    first_day: str
    last_day: str
    timezone: str
    start: str  # UTC ISO
    end: str  # UTC ISO, excluded

    @classmethod
    def of(cls, period: Period) -> PeriodInfo:
        return cls(
            kind=period.kind.value,
            first_day=period.first_day.isoformat(),
            last_day=period.last_day.isoformat(),
            timezone=period.timezone,
            start=utc_iso(period.start),
            end=utc_iso(period.end),
        )

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class TopicCount:
    """A complaint topic and how many of the period's complaints were about it."""

    topic: str
    cases: int


@dataclass(frozen=True)
class Kpis:
    company: str
    period: PeriodInfo
    previous_period: PeriodInfo
    generated_at: str  # UTC ISO
    business_hours_calendar: str  # the time zone business hours are counted in
    first_response_target_hours: float
    overall: Compared
    by: dict[str, dict[str, Compared]]  # split (channel, category...) -> its value -> figures
    volume_by_day: dict[str, int]
    previous_volume_by_day: dict[str, int]
    statuses: dict[str, int]
    breached_cases: tuple[Breached, ...]  # the first BREACHED_LISTED, longest past first
    time_scale: float  # > 1: a local stack's compressed time
    top_complaint_topics: tuple[TopicCount, ...]
    previous_top_complaint_topics: tuple[TopicCount, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "period": self.period.as_json(),
            "previous_period": self.previous_period.as_json(),
            "generated_at": self.generated_at,
            "business_hours_calendar": self.business_hours_calendar,
            "first_response_target_hours": self.first_response_target_hours,
            "overall": self.overall,
            "by": self.by,
            "volume_by_day": self.volume_by_day,
            "previous_volume_by_day": self.previous_volume_by_day,
            "statuses": self.statuses,
            # Ids, departments and hours only: no personal data in what managers are sent.
            "breached_cases": [case.as_dict() for case in self.breached_cases],
            "time_scale": self.time_scale,
            "top_complaint_topics": [asdict(topic) for topic in self.top_complaint_topics],
            "previous_top_complaint_topics": [
                asdict(topic) for topic in self.previous_top_complaint_topics
            ],
        }
