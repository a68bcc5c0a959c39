"""The derivation workflow's rules: who is waited on, until when, and what comes next.

Levels: 0 the department, 1 its supervisor, 2 the main derivation contact (the case is
then SLA-breached); a timeout at level 2 closes the case as breached.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from socialcare.domain.clock import utc_iso
from socialcare.domain.routing import Priority, RoutingConfig

MAX_HOPS = 3  # "Not ours" re-derivations before the main contact takes the case
LAST_LEVEL = 2


@dataclass(frozen=True)
class Recipient:
    name: str
    emails: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class WaitPlan:
    """One wait for an answer: sent to whom, until when, and why."""

    level: int
    department: str
    priority: Priority
    deadline: str  # UTC ISO, business-hours deadline
    timeout_seconds: int  # what the state machine waits (the deadline, time-scaled)
    reason: str  # derived, rederived, extended, escalated
    hops: int = 0
    extended: bool = False

    @property
    def breached(self) -> bool:
        """Waiting on the main contact means every earlier deadline passed."""
        return self.level >= LAST_LEVEL

    def milestones(self, at: str) -> dict[str, object]:
        """The case times this wait starts: derivation (the department action time
        starts here), each escalation level, and the breach."""
        marks: dict[str, object] = {}
        if self.reason == "derived":
            marks["derived_at"] = at
        if self.level >= 1:
            marks[f"escalated_l{self.level}_at"] = at
        if self.breached:
            marks["sla_breached"] = True
        return marks

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WaitPlan:
        """From the state machine's JSON or from DynamoDB (whose numbers are Decimals)."""
        return cls(
            level=int(data["level"]),
            department=str(data["department"]),
            priority=data["priority"],
            deadline=str(data["deadline"]),
            timeout_seconds=int(data["timeout_seconds"]),
            reason=str(data["reason"]),
            hops=int(data.get("hops", 0)),
            extended=bool(data.get("extended", False)),
        )


def timeout_for(deadline: datetime, now: datetime, time_scale: float) -> int:
    """Seconds the state machine waits; at least 1, as Step Functions requires."""
    return max(1, math.ceil((deadline - now).total_seconds() / time_scale))


def plan_wait(
    routing: RoutingConfig,
    *,
    department: str,
    priority: Priority,
    level: int,
    now: datetime,
    time_scale: float,
    reason: str,
    hops: int = 0,
    extended: bool = False,
    start: datetime | None = None,
) -> WaitPlan:
    """The deadline is counted in the business hours of whoever is waited on."""
    owner = department if level < LAST_LEVEL else routing.main_department
    hours = routing.departments[owner].sla_hours[priority]
    deadline = routing.calendar_of(owner).add_business_hours(start or now, hours)
    return WaitPlan(
        level=level,
        department=department,
        priority=priority,
        deadline=utc_iso(deadline),
        timeout_seconds=timeout_for(deadline, now, time_scale),
        reason=reason,
        hops=hops,
        extended=extended,
    )


def recipient_for(routing: RoutingConfig, plan: WaitPlan) -> Recipient:
    department = routing.departments[plan.department]
    if plan.level == 0:
        return Recipient(department.name, tuple(department.emails), department.language)
    if plan.level == 1:
        supervisor = department.supervisor
        language = supervisor.language or department.language
        return Recipient(supervisor.name, tuple(supervisor.emails), language)
    main = routing.departments[routing.main_department]
    return Recipient(main.name, tuple(main.emails), main.language)


def escalation_after(
    routing: RoutingConfig, plan: WaitPlan, now: datetime, time_scale: float
) -> WaitPlan | None:
    """The next level after a timeout, or None when the last level timed out too."""
    if plan.level >= LAST_LEVEL:
        return None
    return plan_wait(
        routing,
        department=plan.department,
        priority=plan.priority,
        level=plan.level + 1,
        now=now,
        time_scale=time_scale,
        reason="escalated",
        hops=plan.hops,
        extended=plan.extended,
    )


def after_more_time(
    routing: RoutingConfig, plan: WaitPlan, now: datetime, time_scale: float
) -> WaitPlan | None:
    """Once per case: the deadline moves on by the department's SLA. None if used."""
    if plan.extended:
        return None
    current = datetime.fromisoformat(plan.deadline.replace("Z", "+00:00"))
    extended = plan_wait(
        routing,
        department=plan.department,
        priority=plan.priority,
        level=plan.level,
        now=now,
        time_scale=time_scale,
        reason="extended",
        hops=plan.hops,
        extended=True,
        start=max(current, now),
    )
    return extended


def after_not_ours(
    routing: RoutingConfig, plan: WaitPlan, chosen: str, now: datetime, time_scale: float
) -> WaitPlan:
    """Re-derive to the chosen department; past MAX_HOPS, to the main contact."""
    hops = plan.hops + 1
    department = chosen if hops <= MAX_HOPS else routing.main_department
    return plan_wait(
        routing,
        department=department,
        priority=plan.priority,
        level=0,
        now=now,
        time_scale=time_scale,
        reason="rederived",
        hops=hops,
        extended=False,
    )


def hours_between(start: datetime, end: datetime) -> float:
    return (end - start) / timedelta(hours=1)
