"""A department's answer against a wait's deadlines, as the case workflow times them: the
wait starts when the case is derived and lasts the plan's `timeout_seconds` (the business
-hour deadline, divided by the stack's time scale: 1 in AWS); each timeout escalates
(supervisor, then the main contact, then the case closes breached)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from socialcare.domain.cases import FinalStatus
from socialcare.domain.derivation import LAST_LEVEL, WaitPlan, escalation_after
from socialcare.domain.rehearsal import PastCase
from socialcare.domain.routing import RoutingConfig


@dataclass(frozen=True)
class WaitOutcome:
    levels: int  # timeouts before the answer: 0 on time, 1 supervisor, 2 main contact...
    emails: tuple[str, ...]  # whose inbox each derivation or escalation email reaches

    # None: no answer and no breach yet, nothing to call late or on time (a case still
    # open and unanswered; its emails so far still count).
    compared_levels: int | None = None

    @property
    def escalation_emails(self) -> int:
        return len(self.emails) - 1  # the first is the derivation's own


def case_wait(
    routing: RoutingConfig, plan: WaitPlan, case: PastCase, time_scale: float
) -> WaitOutcome:
    """A past case's wait under `plan`: a case nobody answered that closed breached would
    have escalated to the end under any deadlines (not only as far as its old ones reached
    by its closing)."""
    assert case.derived_at is not None
    breached = case.answered_at is None and case.status == FinalStatus.BREACHED
    waited = wait_outcome(
        routing,
        plan,
        case.derived_at,
        case.answered_at,
        case.last_seen_at,
        time_scale,
        breached=breached,
    )
    if case.answered_at is None and not breached:
        return waited
    return replace(waited, compared_levels=waited.levels)


def wait_outcome(
    routing: RoutingConfig,
    plan: WaitPlan,
    started: datetime,
    answered_at: datetime | None,
    seen_until: datetime | None,
    time_scale: float,
    *,
    breached: bool = False,
) -> WaitOutcome:
    """How many of the workflow's timeouts would have passed before the department's
    answer (or, unanswered, before `seen_until`; `breached`, never answered: every one),
    with the emails each level sends: the department's at level 0, its supervisor's at 1
    (both counted for the department), the main contact's at 2."""
    emails = [plan.department]
    levels, start, current = 0, started, plan
    never = datetime.max.replace(tzinfo=UTC)
    moment = answered_at or (never if breached else seen_until)
    while True:
        end = start + timedelta(seconds=current.timeout_seconds)
        if moment is None or moment <= end:
            return WaitOutcome(levels, tuple(emails))
        levels += 1
        following = escalation_after(routing, current, end, time_scale)
        if following is None:  # the main contact's timeout: closed as breached
            return WaitOutcome(levels, tuple(emails))
        emails.append(routing.main_department if following.level >= LAST_LEVEL else plan.department)
        start, current = end, following
