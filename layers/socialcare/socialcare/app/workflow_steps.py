"""The Lambda tasks of the case workflow: triage, derive (waits for a task token),
record the answer, escalate. Each takes its ports in a WorkflowDependencies and returns
what the state machine needs next."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from socialcare.app.triage import Triager
from socialcare.domain.action_links import Answer
from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import Case, CaseStatus, FinalStatus, TriageRecord
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.derivation import WaitPlan, escalation_after, plan_wait, recipient_for
from socialcare.domain.messages import Channel
from socialcare.domain.ports import (
    CaseEmails,
    CustomerDirectory,
    Email,
    EmailSender,
    SuggestReplies,
    TextAnalysis,
    Unavailable,
    WorkflowStore,
)
from socialcare.domain.triage import Category, Sentiment

logger = Logger(service="workflow", child=True)


def new_token() -> str:
    """Opaque, unguessable, URL-safe: 192 random bits."""
    return secrets.token_urlsafe(24)


@dataclass
class WorkflowDependencies:
    store: WorkflowStore
    customers: CustomerDirectory
    email: EmailSender
    emails: CaseEmails
    triager: Triager
    replies: SuggestReplies
    clock: Clock
    time_scale: float
    token: Callable[[], str] = field(default=new_token)
    text_signals: TextAnalysis | None = None  # Amazon Comprehend, when switched on


@dataclass(frozen=True)
class Triaged:
    case_id: str
    autonomous: bool  # closed by triage: the social team answers, or it was spam
    plan: WaitPlan | None  # the first wait, when a department must act


@dataclass(frozen=True)
class Escalated:
    case_id: str
    closed: bool  # the last level timed out too: closed as breached
    plan: WaitPlan | None


def triage_step(case_id: str, deps: WorkflowDependencies) -> Triaged:
    case = _case(case_id, deps)
    if case.closed:
        return Triaged(case_id, autonomous=True, plan=None)  # a retried step
    now = deps.clock()
    channel = Channel(case.channel)
    # A person may be known by more than one id (WhatsApp: business-scoped id and phone).
    known = any(deps.customers.is_customer(case.platform, i) for i in case.author.ids)
    options = {
        "public": case.public,
        "followers": case.author.followers,
        "known_customer": known,
        "language_hint": case.language,
        "signals": deps.text_signals.signals(case.text) if deps.text_signals else None,
    }
    assessment = deps.triager.assess(case.text, channel, **options)
    if _is_crisis(assessment, case, now, deps):
        assessment = deps.triager.assess(case.text, channel, crisis=True, **options)
    replies = deps.replies.suggest(
        assessment,
        case.text,
        channel,
        public=case.public,
        author_name=case.author.display_name,
    )
    triage = {**assessment.as_dict(), "suggested_replies": replies.as_dict()}
    triaged = replace(case, triage=TriageRecord.from_dict(triage))
    if assessment.urgent:
        _alert_urgent(triaged, now, deps)
    if assessment.autonomous:
        spam = assessment.triage.category is Category.SPAM
        deps.store.record_triage(case_id, triage, now, priority=assessment.priority)
        if not spam:  # spam needs no answer
            _send(deps, deps.triager.routing.social_team.emails, deps.emails.autonomous(triaged))
        status = FinalStatus.SPAM if spam else FinalStatus.AUTONOMOUS
        deps.store.close_case(case_id, status.value, now, actor="social team")
        return Triaged(case_id, autonomous=True, plan=None)
    plan = plan_wait(
        deps.triager.routing,
        department=str(assessment.department),
        priority=assessment.priority,
        level=0,
        now=now,
        time_scale=deps.time_scale,
        reason="derived",
    )
    deps.store.record_triage(
        case_id,
        triage,
        now,
        status=CaseStatus.TRIAGED.value,
        priority=assessment.priority,
        department=assessment.department,
    )
    return Triaged(case_id, autonomous=False, plan=plan)


def _alert_urgent(case: Case, now: datetime, deps: WorkflowDependencies) -> None:
    """The social team hears of an urgent case at once, before any department acts; one
    alert per case, whatever the retries."""
    if not deps.store.claim_urgent_alert(case.id, now):
        return
    try:
        _send(deps, deps.triager.routing.social_team.emails, deps.emails.urgent(case))
    except Exception:
        deps.store.release_urgent_alert(case.id)  # the retried step sends it
        raise


def _is_crisis(
    assessment: Assessment, case: Case, now: datetime, deps: WorkflowDependencies
) -> bool:
    """More than N negative cases on one topic (category and department) within the last
    M minutes; the crisis contacts get one alert per topic and window."""
    if assessment.triage.sentiment is not Sentiment.NEGATIVE:
        return False
    crisis = deps.triager.routing.crisis
    window = timedelta(minutes=crisis.window_minutes)
    topic = f"{assessment.triage.category.value}:{assessment.department or 'social_team'}"
    count = deps.store.count_negative(topic, case.id, case.created_at, window, now)
    if count <= crisis.negative_cases:
        return False
    if deps.store.claim_crisis_alert(topic, window, now):
        alert = deps.emails.crisis(
            count=count, topic=topic, minutes=crisis.window_minutes, case_id=case.id
        )
        _send(deps, crisis.contacts, alert)
        deps.store.record_crisis_alert(case.id, topic, now)
    return True


def derive_step(case_id: str, plan: WaitPlan, task_token: str, deps: WorkflowDependencies) -> None:
    """Store the link (task token stays here), then email whoever must act."""
    routing = deps.triager.routing
    recipient = recipient_for(routing, plan)
    action_id = deps.token()
    now = deps.clock()
    deps.store.open_derivation(
        case_id,
        action_id,
        task_token=task_token,
        csrf_token=deps.token(),
        plan=plan,
        milestones=plan.milestones(utc_iso(now)),
        recipients=list(recipient.emails),
        now=now,
        status=(CaseStatus.ESCALATED if plan.level else CaseStatus.DERIVED).value,
    )
    email = deps.emails.derivation(_case(case_id, deps), plan, action_id, recipient.language)
    _send(deps, recipient.emails, email)
    try:
        _send(deps, routing.social_team.emails, deps.emails.social_team_copy(email))
    except Unavailable:
        # Retrying the step would send the department a second email with a new link.
        logger.warning("social team copy not sent", extra={"case_id": case_id})


def answer_step(case_id: str, answer: Answer, deps: WorkflowDependencies) -> None:
    """The department's answer (sent by the action link) on the case; closes it when the
    answer does. A retried step writes the same thing again."""
    deps.store.record_answer(case_id, answer)


def escalate_step(case_id: str, plan: WaitPlan, deps: WorkflowDependencies) -> Escalated:
    """Nobody acted before the deadline: the next level, or closed as breached."""
    now = deps.clock()
    case = _case(case_id, deps)
    if case.current_action:
        deps.store.supersede_action(case.current_action, "escalated", now)
    following = escalation_after(deps.triager.routing, plan, now, deps.time_scale)
    if following is None:
        deps.store.close_case(
            case_id,
            FinalStatus.BREACHED.value,
            now,
            actor="workflow",
            sla_breached=True,
            escalation_level=plan.level,
        )
        return Escalated(case_id, closed=True, plan=None)
    return Escalated(case_id, closed=False, plan=following)


def _send(deps: WorkflowDependencies, to: Iterable[str], email: Email) -> None:
    deps.email.send(list(to), email.subject, email.text, email.html)


def _case(case_id: str, deps: WorkflowDependencies) -> Case:
    case = deps.store.case(case_id)
    if case is None:
        raise LookupError(f"case {case_id} not found")
    return case
