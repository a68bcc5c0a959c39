"""KPI reports: the indicators of a period's cases, aggregated as a stream.

Memory does not grow with the number of cases: counts and sums are exact; medians and
90th percentiles come from fixed log-spaced histograms (relative error under 2.5%).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from socialcare.domain.calendar import BusinessCalendar
from socialcare.domain.case_facts import (
    CLOSED_HANDLED,
    CaseFacts,
    ReportedCase,
    created_of,
    facts_of,
)
from socialcare.domain.histograms import Histogram
from socialcare.domain.periods import Period, PeriodKind  # noqa: F401 (reports name them here)
from socialcare.domain.privacy import ERASED

# The protocol's problems: what a customer needs solved. Praise, trolls, spam, leads,
# suppliers and partners are not.
PROBLEM_CATEGORIES = {"question", "complaint", "incident"}
SATISFIED_MIN = 4  # a 4 or 5 out of 5 counts as satisfied
BREACHED_LISTED = 50  # the breached cases a report names
SOCIAL_TEAM = {"autonomous", "spam"}
TIMES = ("first_public_response", "first_response", "department_action", "resolution")


@dataclass
class GroupStats:
    """Every indicator of one group of cases (all of them, or one channel, category...)."""

    cases: int = 0
    resolved: int = 0
    autonomous: int = 0
    derived: int = 0
    escalated_l1: int = 0
    escalated_l2: int = 0
    breached: int = 0
    hops: int = 0
    answered: int = 0  # with a first response (public reply or department action)
    within_target: int = 0
    authority: int = 0
    personal_data: int = 0
    crisis_alerts: int = 0
    returning_customers: int = 0
    problems: int = 0
    problems_solved: int = 0
    resolved_late: int = 0
    surveys_sent: int = 0
    survey_answers: int = 0
    satisfied: int = 0
    score_total: int = 0
    business: dict[str, Histogram] = field(default_factory=lambda: {t: Histogram() for t in TIMES})
    calendar: dict[str, Histogram] = field(default_factory=lambda: {t: Histogram() for t in TIMES})
    department_hours: Counter[str] = field(default_factory=Counter)

    def add(self, case: CaseFacts, target_hours: float) -> None:
        self.cases += 1
        self.resolved += case.status in CLOSED_HANDLED
        self.autonomous += case.status in SOCIAL_TEAM
        self.derived += case.derived
        self.escalated_l1 += case.escalated_l1
        self.escalated_l2 += case.escalated_l2
        self.breached += case.breached
        self.hops += case.hops
        self.authority += case.authority
        self.personal_data += case.personal_data
        self.crisis_alerts += case.crisis_alert
        self.returning_customers += case.returned
        if case.category in PROBLEM_CATEGORIES:
            self.problems += 1
            self.problems_solved += case.status in CLOSED_HANDLED
        self.resolved_late += case.resolved_late
        self.surveys_sent += case.survey_sent
        if case.survey_score is not None:
            self.survey_answers += 1
            self.satisfied += case.survey_score >= SATISFIED_MIN
            self.score_total += case.survey_score
        for name, (business, calendar) in case.times.items():
            self.business[name].add(business)
            self.calendar[name].add(calendar)
        if "first_response" in case.times:
            self.answered += 1
            self.within_target += case.times["first_response"][1] <= target_hours
        self.department_hours.update(case.department_hours)

    def indicators(self) -> dict[str, Any]:
        def share(part: int, whole: int) -> float | None:
            return round(100 * part / whole, 1) if whole else None

        return {
            "cases_received": self.cases,
            "problems_solved_pct": share(self.problems_solved, self.problems),
            "problems": self.problems,
            "resolved_pct": share(self.resolved, self.cases),
            "resolved_late": self.resolved_late,
            "satisfaction_pct": share(self.satisfied, self.survey_answers),
            "satisfaction_mean": (
                round(self.score_total / self.survey_answers, 2) if self.survey_answers else None
            ),
            "survey_response_rate_pct": share(self.survey_answers, self.surveys_sent),
            "surveys_sent": self.surveys_sent,
            "survey_answers": self.survey_answers,
            "autonomy_rate_pct": share(self.autonomous, self.cases),
            "derivation_rate_pct": share(self.derived, self.cases),
            "escalation_l1_rate_pct": share(self.escalated_l1, self.derived),
            "escalation_l2_rate_pct": share(self.escalated_l2, self.derived),
            "sla_breach_rate_pct": share(self.breached, self.derived),
            "first_response_within_target_pct": share(self.within_target, self.answered),
            "mean_hops": round(self.hops / self.derived, 2) if self.derived else None,
            "authority_mentions": self.authority,
            "personal_data_exposed": self.personal_data,
            "crisis_alerts": self.crisis_alerts,
            "returning_customers": self.returning_customers,
            **{
                f"{name}_hours": {
                    "business": self.business[name].summary(),
                    "calendar": self.calendar[name].summary(),
                }
                for name in TIMES
            },
            "business_hours_in_department": {
                k: round(v, 2) for k, v in sorted(self.department_hours.items())
            },
        }


SPLITS = ("channel", "category", "relation", "priority", "department")


@dataclass(frozen=True)
class Breached:
    """A breached case as a report names it: its id ("erased" once erased), its
    department, and how long it was past its deadline (business and calendar hours;
    None for a case that never escalated, as older data may hold)."""

    case_id: str
    department: str
    past_deadline: tuple[float, float] | None

    def rank(self) -> tuple[float, float, str, bool, str]:
        """Longest past the deadline first: the cases managers chase first, and an order
        an erased case's fact keeps (its times, measured as the case's were), so it holds
        its place as "erased" whether the erasure rewrote the report or the report was
        computed again. By id, its fact (no id) fell to the end or out of the 50, and the
        next case by id took its place. Then the department, then the id, erased after
        the ids it ties with: only a case past its deadline for the same time to the
        millisecond, in both calendars, in the same department can still move. A case
        still waiting is measured until now, as its other times are; one erased while
        waiting stops at its erasure."""
        business, calendar = self.past_deadline or (-1.0, -1.0)
        return (-business, -calendar, self.department, self.case_id == ERASED, self.case_id)

    @property
    def past_deadline_hours(self) -> dict[str, float] | None:
        """As a report writes it: to the hundredth of an hour."""
        past = self.past_deadline
        return {"business": round(past[0], 2), "calendar": round(past[1], 2)} if past else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "department": self.department,
            "past_deadline_hours": self.past_deadline_hours,
        }


class KpiAggregator:
    """Feed cases one at a time; `result()` gives overall and split indicators."""

    def __init__(self, calendar: BusinessCalendar, now: datetime, target_hours: float) -> None:
        self._calendar = calendar
        self._now = now
        self._target = target_hours
        self.overall = GroupStats()
        self.groups: dict[str, dict[str, GroupStats]] = {split: {} for split in SPLITS}
        self.volume_by_day: Counter[str] = Counter()
        self.complaint_topics: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.breached_cases: list[Breached] = []

    def add(self, case: ReportedCase, timezone: str) -> CaseFacts:
        facts = facts_of(case, self._calendar, self._now)
        self.overall.add(facts, self._target)
        for split in SPLITS:
            value = getattr(facts, split)
            groups = self.groups[split]
            # Not setdefault(value, GroupStats()): that built 8 histograms per case and split.
            stats = groups.get(value)
            if stats is None:
                stats = groups[value] = GroupStats()
            stats.add(facts, self._target)
        self.volume_by_day[facts.created.astimezone(ZoneInfo(timezone)).date().isoformat()] += 1
        self.statuses[facts.status] += 1
        if facts.category == "complaint":
            self.complaint_topics.update(facts.topics or ("other",))
        if facts.breached:
            self.note_breached([Breached(facts.id, facts.department, facts.past_deadline)])
        return facts

    def note_breached(self, cases: Iterable[Breached]) -> None:
        """The first BREACHED_LISTED by rank (see Breached): memory stays bounded however
        many breached (their count is in the indicators)."""
        self.breached_cases.extend(cases)
        if len(self.breached_cases) > 2 * BREACHED_LISTED:
            self.breached_cases = list(self.listed())

    def listed(self) -> tuple[Breached, ...]:
        """The breached cases a report names, in its order."""
        return tuple(sorted(self.breached_cases, key=Breached.rank)[:BREACHED_LISTED])

    def top_complaints(self, top: int) -> list[tuple[str, int]]:
        """Ties by name: the same whatever order the day's index reads its items in (an
        erased case's fact sits at the start of its day)."""
        return sorted(self.complaint_topics.items(), key=lambda pair: (-pair[1], pair[0]))[:top]

    def result(self, top_topics: int) -> dict[str, Any]:
        return {
            "overall": self.overall.indicators(),
            "by": {
                split: {key: stats.indicators() for key, stats in sorted(groups.items())}
                for split, groups in self.groups.items()
            },
            "volume_by_day": dict(sorted(self.volume_by_day.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "top_complaint_topics": [
                {"topic": topic, "cases": count} for topic, count in self.top_complaints(top_topics)
            ],
            # Ids, departments and hours only: no personal data in what managers are sent.
            "breached_cases": [case.as_dict() for case in self.listed()],
        }


def with_previous(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Each indicator as {"value", "previous"}: the managers' side-by-side view."""

    def pair(now: Any, before: Any) -> Any:
        if isinstance(now, dict) or isinstance(before, dict):
            now, before = now or {}, before or {}
            keys = list(dict.fromkeys([*now, *before]))
            return {k: pair(now.get(k), before.get(k)) for k in keys}
        return {"value": now, "previous": before}

    return {
        "overall": pair(current["overall"], previous["overall"]),
        "by": {
            split: {
                key: pair(groups.get(key), previous["by"][split].get(key))
                for key in dict.fromkeys([*groups, *previous["by"][split]])
            }
            for split, groups in current["by"].items()
        },
    }


def iter_in_period(cases: Iterable[ReportedCase], period: Period) -> Iterable[ReportedCase]:
    for case in cases:
        created = created_of(case)
        if created and period.contains(created):
            yield case
