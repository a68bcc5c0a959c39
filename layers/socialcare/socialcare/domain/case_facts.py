"""What a report needs of one case, measured once: from the case's item, or from the
anonymised fact an erased case left in its day.

An erasure takes the person and leaves the protocol's figures: per erased case, the facts
every indicator reads (channel, category, relation, priority, department, outcome, flags,
survey score, complaint topics, the times measured and the hours each department held
it), with no id, no name, no text, and its time cut to the start of its day. A creation
time to the second beside the channel points at one public post, and so at one person
(GDPR recital 26); the day does not. The times are durations, kept as measured, because
the means are exact sums: they say how long the brand took, not when anyone wrote."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from socialcare.domain.calendar import BusinessCalendar
from socialcare.domain.clock import utc_iso
from socialcare.domain.periods import Period, PeriodKind
from socialcare.domain.privacy import ERASED

CLOSED_HANDLED = {"resolved", "contacted", "autonomous"}
# An erased case's fact, as the table keeps it in the case's day.
ERASED_CASE = "erased_case"


@dataclass(frozen=True)
class CaseFacts:
    """What the report needs of one case item, measured once."""

    id: str
    created: datetime
    channel: str
    category: str
    relation: str
    priority: str
    department: str
    status: str
    derived: bool
    escalated_l1: bool
    escalated_l2: bool
    breached: bool
    hops: int
    authority: bool
    personal_data: bool
    crisis_alert: bool
    returned: bool
    topics: tuple[str, ...]
    resolved_late: bool
    survey_sent: bool
    survey_score: int | None
    times: dict[str, tuple[float, float]]  # name -> (business hours, calendar hours)
    department_hours: dict[str, float]  # business hours each department held the case
    # (business hours, calendar hours) from when its department's deadline passed (the
    # first escalation) until it was answered or closed, or until now while it waits
    past_deadline: tuple[float, float] | None = None


def moment(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def case_facts(item: dict[str, Any], calendar: BusinessCalendar, now: datetime) -> CaseFacts:
    if item.get("entity") == ERASED_CASE:
        return _erased_facts(item)
    triage = item.get("triage") or {}
    created = moment(item["created_at"]) or now
    written = moment(item.get("first_message_at")) or created
    derived_at = moment(item.get("derived_at"))
    closed = moment(item.get("closed_at"))
    # Answered after a breach: resolved when the department's answer came, not the breach.
    answered = moment(item.get("resolved_at")) or moment(item.get("contacted_at"))
    resolved = (answered if item.get("resolved_late") else None) or closed
    first_response = min(
        (
            m
            for m in (
                moment(item.get("first_public_response_at")),
                moment(item.get("department_action_at")),
            )
            if m
        ),
        default=None,
    )
    spans = {
        "first_public_response": (written, moment(item.get("first_public_response_at"))),
        "first_response": (written, first_response),
        "department_action": (derived_at, moment(item.get("department_action_at"))),
        "resolution": (written, resolved if item.get("status") in CLOSED_HANDLED else None),
    }
    times = {
        name: _hours(start, end, calendar) for name, (start, end) in spans.items() if start and end
    }
    escalated = moment(item.get("escalated_l1_at"))
    past_deadline = _hours(escalated, answered or closed or now, calendar) if escalated else None
    return CaseFacts(
        id=str(item["id"]),
        created=created,
        channel=str(item.get("channel", "unknown")),
        category=str(triage.get("category") or "untriaged"),
        relation=str(triage.get("relation") or "unknown"),
        priority=str(item.get("priority") or triage.get("priority") or "-"),
        department=str(item.get("department") or "social_team"),
        status=str(item.get("status", "new")),
        derived=derived_at is not None,
        escalated_l1=bool(item.get("escalated_l1_at")),
        escalated_l2=bool(item.get("escalated_l2_at")),
        breached=bool(item.get("sla_breached")),
        hops=int(item.get("hops") or 0),
        authority=bool(triage.get("authority_mentioned")),
        personal_data=bool(triage.get("personal_data_exposed")),
        crisis_alert=bool(item.get("crisis_alert_at")),
        returned=int(item.get("customer_returns") or 0) > 0,
        topics=tuple(triage.get("topics") or ()),
        resolved_late=bool(item.get("resolved_late")),
        survey_sent=bool(item.get("survey_sent_at")),
        survey_score=_score(item.get("survey_score")),
        times=times,
        department_hours=_department_hours(item.get("route") or [], closed or now, calendar),
        past_deadline=past_deadline,
    )


def _hours(start: datetime, end: datetime, calendar: BusinessCalendar) -> tuple[float, float]:
    """From `start` to `end`, in business hours and in calendar hours."""
    return (
        calendar.business_hours_between(start, end),
        max(0.0, (end - start).total_seconds() / 3600),
    )


def _score(value: Any) -> int | None:
    try:
        score = int(value)
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


def _department_hours(
    route: list[dict[str, Any]], until: datetime, calendar: BusinessCalendar
) -> dict[str, float]:
    hours: defaultdict[str, float] = defaultdict(float)
    for index, stop in enumerate(route):
        following = route[index + 1] if index + 1 < len(route) else None
        start = moment(stop.get("at"))
        end = moment(following.get("at")) if following else until
        if start and end:
            hours[str(stop.get("department"))] += calendar.business_hours_between(start, end)
    return dict(hours)


# --- erased cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasedCase:
    """What an erased case leaves for the figures, and when the table forgets it (when
    the case itself would have been forgotten)."""

    facts: CaseFacts
    expires_at: int


def anonymised(facts: CaseFacts, timezone: str) -> CaseFacts:
    """The facts without the case's id, created at the start of its day: of its day in
    the reports' time zone, within its UTC day (the table's day partition), so that
    every daily, weekly and monthly report still counts it where it did."""
    local_day = facts.created.astimezone(ZoneInfo(timezone)).date()
    local_start = Period.containing(PeriodKind.DAILY, local_day, timezone).start
    utc_start = facts.created.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return replace(facts, id=ERASED, created=max(local_start.astimezone(UTC), utc_start))


def fact_record(facts: CaseFacts) -> dict[str, Any]:
    """The anonymised facts as the table keeps them (read back by `case_facts`)."""
    return {
        "entity": ERASED_CASE,
        "created_at": utc_iso(facts.created),
        **{name: getattr(facts, name) for name in _LABELS + _FLAGS},
        "hops": facts.hops,
        "topics": list(facts.topics),
        "survey_score": facts.survey_score,
        "times": {name: list(hours) for name, hours in facts.times.items()},
        "department_hours": dict(facts.department_hours),
        "past_deadline": list(facts.past_deadline) if facts.past_deadline else None,
    }


_LABELS = ("channel", "category", "relation", "priority", "department", "status")
_FLAGS = (
    "derived",
    "escalated_l1",
    "escalated_l2",
    "breached",
    "authority",
    "personal_data",
    "crisis_alert",
    "returned",
    "resolved_late",
    "survey_sent",
)


def _erased_facts(item: dict[str, Any]) -> CaseFacts:
    # Strings for the _LABELS fields, booleans for the _FLAGS ones (a mapping spread into
    # keywords is checked against every field, whatever names it holds: hence Any).
    kept: dict[str, Any] = {name: str(item.get(name) or "-") for name in _LABELS}
    kept.update({name: bool(item.get(name)) for name in _FLAGS})
    return CaseFacts(
        id=ERASED,
        created=moment(item["created_at"]) or datetime.fromtimestamp(0, UTC),
        **kept,
        hops=int(item.get("hops") or 0),
        topics=tuple(str(topic) for topic in item.get("topics") or ()),
        survey_score=_score(item.get("survey_score")),
        times={
            str(name): (float(hours[0]), float(hours[1]))
            for name, hours in (item.get("times") or {}).items()
        },
        department_hours={
            str(name): float(hours) for name, hours in (item.get("department_hours") or {}).items()
        },
        past_deadline=_pair(item.get("past_deadline")),
    )


def _pair(hours: Any) -> tuple[float, float] | None:
    return (float(hours[0]), float(hours[1])) if hours else None
