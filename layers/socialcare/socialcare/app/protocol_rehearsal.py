"""A proposed protocol rehearsed on past cases: each stored case re-triaged, routed, given
its deadlines, automatic actions, survey and approvals by the proposed configuration,
with the same functions production runs, and compared with what the current one did
(triage's own record of the case, its stored wait). Nothing here writes: the cases come
from a reader, the outcome is a value (presentation/rehearsal_files.py renders it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from math import ceil
from pathlib import Path

from socialcare.app.triage import Triager
from socialcare.config.loaders import approval_rules, outbound_config, routing_config, survey_config
from socialcare.domain.approvals import ApprovalRules, approval_reasons
from socialcare.domain.cases import TRIAGE_FLAGS, Case, CaseAuthor, TriageRecord
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.derivation import WaitPlan, plan_wait
from socialcare.domain.outbound_config import OutboundConfig
from socialcare.domain.outbound_rules import automatic_steps
from socialcare.domain.rehearsal import CaseChange, Course, PastCase, Tally, changes_between
from socialcare.domain.rehearsal_cost import PATH_COST_PER_1000, path_of
from socialcare.domain.rehearsal_deadlines import case_wait
from socialcare.domain.routing import RoutingConfig
from socialcare.domain.surveys import SurveyConfig
from socialcare.domain.triage import Category, TextTriage

EXAMPLES_PER_KIND = 10


@dataclass(frozen=True)
class Protocol:
    """One configuration folder as the rehearsal uses it."""

    routing: RoutingConfig
    outbound: OutboundConfig
    surveys: SurveyConfig
    approvals: ApprovalRules
    triager: Triager

    @classmethod
    def read(cls, directory: Path) -> Protocol:
        """The folder's files read as the functions read them (the model file in it)."""
        return cls(
            routing=routing_config(directory),
            outbound=outbound_config(directory),
            surveys=survey_config(directory),
            approvals=approval_rules(directory),
            triager=Triager(directory),
        )


@dataclass
class Rehearsal:
    """The outcome: counts, every changed case, each department's emails, the cost."""

    tally: Tally = field(default_factory=Tally)
    changes: list[CaseChange] = field(default_factory=list)
    # department -> [before, after]: derivation and escalation emails over the period
    emails: dict[str, list[int]] = field(default_factory=dict)
    cost: dict[str, float] = field(default_factory=lambda: {"before": 0.0, "after": 0.0})
    retriaged: int = 0  # cases whose words were read again (rules or model changed)

    def examples(self, kind: str) -> list[CaseChange]:
        return [c for c in self.changes if kind in c.kinds][:EXAMPLES_PER_KIND]


def rehearse(
    cases: Iterable[PastCase],
    current: Protocol,
    proposed: Protocol,
    time_scale: float = 1.0,
    *,
    retriage: bool = False,
) -> Rehearsal:
    """Every case through both protocols; the cases read in the order given. Where the
    proposed triage rules and model are the current ones (and not `retriage`), a case's
    kept text triage is taken as made, and only what follows it runs again."""
    outcome = Rehearsal()
    reuse = not retriage and proposed.triager.reads_text_as(current.triager)
    same = _Same.of(current, proposed)
    for case in cases:
        before = course_before(case, current, time_scale)
        kept = case.triage.text_triage() if reuse else None
        outcome.retriaged += kept is None
        after = course_after(case, proposed, before, time_scale, kept, same)
        outcome.tally.cases_read += 1
        outcome.tally.add_escalations(before, after)
        _count_emails(outcome, before, after, current, proposed)
        outcome.cost["before"] += PATH_COST_PER_1000[_path(before)]
        outcome.cost["after"] += PATH_COST_PER_1000[_path(after)]
        kinds = changes_between(before, after)
        if kinds:
            change = CaseChange(case.id, case.created_at, kinds, before, after)
            outcome.tally.add(change)
            outcome.changes.append(change)
    return outcome


def course_before(case: PastCase, current: Protocol, time_scale: float) -> Course:
    """What happened: triage's record of the case, its stored wait, and what the current
    configuration's rules send, survey and ask approval for on that record."""
    triage = case.triage
    levels, escalations = None, 0
    if triage.department is not None and case.plan is not None and case.derived_at:
        waited = case_wait(current.routing, case.plan, case, time_scale)
        levels, escalations = waited.compared_levels, waited.escalation_emails
    return Course(
        department=triage.department,
        priority=triage.priority,
        urgent=triage.urgent,
        authority=triage.authority,
        needs_review=triage.needs_review,
        automatic=_automatic(case, current, triage.category, triage.flags, case.status),
        approvals=_approvals(case, current, triage.category, triage.flags),
        late_levels=levels,
        escalation_emails=escalations,
    )


@dataclass(frozen=True)
class _Same:
    """Which rules the two protocols share: where their inputs are the case's own too, a
    rule's answer is the one already worked out for the current protocol."""

    actions: bool = False  # outbound.yaml, surveys.yaml and the reports' calendar
    approvals: bool = False

    @classmethod
    def of(cls, current: Protocol, proposed: Protocol) -> _Same:
        calendar = (current.routing.reports, current.routing.calendars)
        return cls(
            actions=current.outbound == proposed.outbound
            and current.surveys == proposed.surveys
            and calendar == (proposed.routing.reports, proposed.routing.calendars),
            approvals=current.approvals == proposed.approvals,
        )


def course_after(
    case: PastCase,
    proposed: Protocol,
    before: Course,
    time_scale: float,
    kept: TextTriage | None = None,
    same: _Same = _Same(),
) -> Course:
    """The same case, triaged, routed and timed by the proposed configuration (from its
    `kept` text triage when the proposed rules and model would read it the same)."""
    if kept is not None:
        assessment = proposed.triager.assess_triaged(
            kept, case.text, public=case.public, followers=case.followers, crisis=case.triage.crisis
        )
    else:
        assessment = proposed.triager.assess(
            case.text,
            case.channel,
            public=case.public,
            followers=case.followers,
            known_customer=case.known_customer,
            language_hint=case.language,
            crisis=case.triage.crisis,
        )
    department = None if assessment.autonomous else assessment.department
    flags = tuple(flag for flag in TRIAGE_FLAGS if flag in assessment.flags)
    category = assessment.triage.category.value
    status = _status_after(case, before, department, category)
    as_before = (category, flags) == (case.triage.category, case.triage.flags)
    automatic = before.automatic
    if not (same.actions and as_before and status == case.status):
        automatic = _automatic(case, proposed, category, flags, status)
    approvals = before.approvals
    if not (same.approvals and as_before):
        approvals = _approvals(case, proposed, category, flags)
    course = Course(
        department=department,
        priority=assessment.priority,
        urgent=assessment.urgent,
        authority=assessment.triage.authority_mentioned,
        needs_review=assessment.needs_review,
        automatic=automatic,
        approvals=approvals,
    )
    if department is None or before.late_levels is None:
        return course
    # A moved case is timed as if its new department answered when the old one did (its
    # emails and cost); its deadline is compared only where the same department waited.
    return _timed(course, case, proposed, time_scale)


def _timed(course: Course, case: PastCase, proposed: Protocol, time_scale: float) -> Course:
    stored = case.plan
    assert stored is not None and case.derived_at is not None and course.department
    plan = plan_wait(
        proposed.routing,
        department=course.department,
        priority=course.priority or stored.priority,  # type: ignore[arg-type]
        level=0,
        now=case.triaged_at,
        time_scale=time_scale,
        reason="derived",
    )
    plan = _against_stored(plan, stored, case.triaged_at, time_scale)
    waited = case_wait(proposed.routing, plan, case, time_scale)
    return replace(
        course, late_levels=waited.compared_levels, escalation_emails=waited.escalation_emails
    )


def _against_stored(
    plan: WaitPlan, stored: WaitPlan, triaged_at: datetime, time_scale: float
) -> WaitPlan:
    """The stored wait when the deadline is the same (its timeout is what the workflow
    waited, to the second); else the new deadline's timeout from triage's moment."""
    if plan.deadline == stored.deadline:
        return stored
    deadline = datetime.fromisoformat(plan.deadline.replace("Z", "+00:00"))
    seconds = max(1, ceil((deadline - triaged_at).total_seconds() / time_scale))
    return replace(plan, timeout_seconds=seconds)


def _status_after(case: PastCase, before: Course, department: str | None, category: str) -> str:
    """How the case would have closed: as it did when its course (social team or a
    department) is the same; else as that course closes one (a department's answer:
    resolved)."""
    if (before.department is None) == (department is None) or case.status in ("new", "triaged"):
        return case.status
    if department is None:
        return "spam" if category == Category.SPAM.value else "autonomous"
    return "resolved"


def _automatic(
    case: PastCase, protocol: Protocol, category: str | None, flags: tuple[str, ...], status: str
) -> tuple[str, ...]:
    """What goes out by itself: the outbound rules' steps at triage's moment, then the
    satisfaction survey when the case closes as the survey rules ask."""
    steps: tuple[str, ...] = ()
    if case.answerable:
        steps = automatic_steps(
            protocol.outbound,
            flags=flags,
            category=category,
            channel=case.channel,
            now=case.triaged_at,
            calendar=protocol.routing.report_calendar(),
        )
    if case.answerable and protocol.surveys.asks(status, category, case.channel):
        steps = (*steps, "survey")
    return steps


def _approvals(
    case: PastCase, protocol: Protocol, category: str | None, flags: tuple[str, ...]
) -> tuple[str, ...]:
    """The approval rules the case's suggested public reply meets (its words as stored)."""
    as_case = Case(
        id=case.id,
        platform=case.channel.platform.value,
        channel=case.channel.value,
        created_at=case.created_at,
        author=CaseAuthor(id="", followers=case.followers),
        triage=TriageRecord(category=category, flags=flags),
        crisis_topic=case.crisis_topic,
    )
    draft = ReplyDraft(case.id, case.triage.public_reply or "", Visibility.PUBLIC, "rehearsal")
    return approval_reasons(as_case, draft, protocol.approvals)


def _path(course: Course) -> str:
    return path_of(course.department is not None, course.late_levels)


def _count_emails(
    outcome: Rehearsal,
    before: Course,
    after: Course,
    current: Protocol,
    proposed: Protocol,
) -> None:
    """The derivation email and each escalation's, by the department they belong to (the
    main contact's by the main department)."""
    for side, course, protocol in ((0, before, current), (1, after, proposed)):
        if course.department is None:
            continue
        levels = min(course.late_levels or 0, 2)
        owners = [course.department] * min(levels + 1, 2)
        if levels >= 2:
            owners.append(protocol.routing.main_department)
        for owner in owners:
            outcome.emails.setdefault(owner, [0, 0])[side] += 1
