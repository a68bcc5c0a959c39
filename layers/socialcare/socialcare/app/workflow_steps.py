"""The Lambda tasks of the case workflow: triage, derive (waits for a task token),
escalate. Each takes its adapters in a WorkflowDependencies."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

from socialcare.app.triage import Triager
from socialcare.domain.cases import CaseStatus
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.derivation import (
    CLOSING_CHOICES,
    ActionChoice,
    FinalStatus,
    WaitPlan,
    escalation_after,
    plan_wait,
    recipient_for,
)
from socialcare.domain.messages import Channel
from socialcare.domain.ports import CustomerDirectory, EmailSender, TextAnalysis, Unavailable
from socialcare.domain.triage import Category, Sentiment
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.rendering import render, strings

logger = Logger(service="workflow", child=True)


def new_token() -> str:
    """Opaque, unguessable, URL-safe: 192 random bits."""
    return secrets.token_urlsafe(24)


@dataclass
class WorkflowDependencies:
    store: Any  # CaseWorkflowStore
    customers: CustomerDirectory
    email: EmailSender
    triager: Triager
    clock: Clock
    time_scale: float
    actions_base_url: str
    token: Callable[[], str] = field(default=new_token)
    text_signals: TextAnalysis | None = None  # Amazon Comprehend, when switched on


def triage_step(case_id: str, deps: WorkflowDependencies) -> dict[str, Any]:
    case = _case(case_id, deps)
    if case.get("closed_at"):
        return {"case_id": case_id, "autonomous": True, "plan": None}  # a retried step
    now = deps.clock()
    channel = Channel(case["channel"])
    text = "\n".join(m["text"] for m in case["messages"])
    author = case.get("author", {})
    # A person may be known by more than one id (WhatsApp: business-scoped id and phone).
    known = any(
        deps.customers.is_customer(case["platform"], author_id)
        for author_id in [author.get("id", ""), *(author.get("aliases") or [])]
    )
    options = {
        "public": case.get("public"),
        "followers": author.get("followers"),
        "known_customer": known,
        "language_hint": case.get("language"),
        "signals": deps.text_signals.signals(text) if deps.text_signals else None,
    }
    assessment = deps.triager.assess(text, channel, **options)
    if _is_crisis(assessment, case, now, deps):
        assessment = deps.triager.assess(text, channel, crisis=True, **options)
    replies = deps.triager.replies(
        assessment, text, channel, public=case.get("public"), author_name=author.get("display_name")
    )
    triage = {**assessment.as_dict(), "suggested_replies": replies.as_dict()}
    if assessment.urgent:
        _alert_urgent({**case, "triage": {**triage, "priority": assessment.priority}}, now, deps)
    if assessment.autonomous:
        status = (
            FinalStatus.SPAM
            if assessment.triage.category is Category.SPAM
            else FinalStatus.AUTONOMOUS
        )
        deps.store.record_triage(case_id, triage, now, priority=assessment.priority)
        if status is FinalStatus.AUTONOMOUS:  # spam needs no answer
            subject, body, html = autonomous_email({**case, "triage": triage}, deps)
            deps.email.send(list(deps.triager.routing.social_team.emails), subject, body, html)
        deps.store.close_case(case_id, status.value, now, actor="social team")
        return {"case_id": case_id, "autonomous": True, "plan": None}
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
    return {"case_id": case_id, "autonomous": False, "plan": plan.as_dict()}


def _alert_urgent(case: dict[str, Any], now: datetime, deps: WorkflowDependencies) -> None:
    """The social team hears of an urgent case at once, before any department acts; one
    alert per case, whatever the retries."""
    if not deps.store.claim_urgent_alert(case["id"], now):
        return
    routing = deps.triager.routing
    subject, text, html = _case_email(
        case,
        language=routing.default_language,
        timezone=routing.timezone_of(routing.main_department),
        subject_key="urgent_subject",
        intro_key="intro_urgent",
        priority=case["triage"]["priority"],
        level=0,
        links=[],
        deadline=None,
    )
    try:
        deps.email.send(list(routing.social_team.emails), subject, text, html)
    except Exception:
        deps.store.release_urgent_alert(case["id"])  # the retried step sends it
        raise


def _is_crisis(
    assessment: Any, case: dict[str, Any], now: datetime, deps: WorkflowDependencies
) -> bool:
    """More than N negative cases on one topic (category and department) within the last
    M minutes; the crisis contacts get one alert per topic and window."""
    if assessment.triage.sentiment is not Sentiment.NEGATIVE:
        return False
    crisis = deps.triager.routing.crisis
    window = timedelta(minutes=crisis.window_minutes)
    topic = f"{assessment.triage.category.value}:{assessment.department or 'social_team'}"
    count = deps.store.count_negative(topic, case["id"], case["created_at"], window, now)
    if count <= crisis.negative_cases:
        return False
    if deps.store.claim_crisis_alert(topic, window, now):
        t = strings(deps.triager.routing.default_language)
        values = {
            "count": count,
            "topic": topic,
            "minutes": crisis.window_minutes,
            "case_id": case["id"],
        }
        body = t["crisis_body"].format(**values)
        deps.email.send(list(crisis.contacts), t["crisis_subject"].format(**values), body, body)
        deps.store.record_crisis_alert(case["id"], topic, now)
    return True


def derive_step(
    case_id: str, plan_data: dict[str, Any], task_token: str, deps: WorkflowDependencies
) -> None:
    """Store the link (task token stays here), then email whoever must act."""
    routing = deps.triager.routing
    plan = WaitPlan.from_dict(plan_data)
    recipient = recipient_for(routing, plan)
    action_id = deps.token()
    now = deps.clock()
    deps.store.open_derivation(
        case_id,
        action_id,
        task_token=task_token,
        csrf_token=deps.token(),
        plan=plan.as_dict(),
        milestones=plan.milestones(utc_iso(now)),
        recipients=list(recipient.emails),
        now=now,
        status=(CaseStatus.ESCALATED if plan.level else CaseStatus.DERIVED).value,
    )
    case = _case(case_id, deps)
    subject, text, html = derivation_email(case, plan, action_id, recipient.language, deps)
    deps.email.send(list(recipient.emails), subject, text, html)
    copy = strings(routing.default_language)["copy_prefix"]
    try:
        deps.email.send(list(routing.social_team.emails), copy + subject, text, html)
    except Unavailable:
        # Retrying the step would send the department a second email with a new link.
        logger.warning("social team copy not sent", extra={"case_id": case_id})


def derivation_email(
    case: dict[str, Any], plan: WaitPlan, action_id: str, language: str, deps: WorkflowDependencies
) -> tuple[str, str, str]:
    routing = deps.triager.routing
    t = strings(language)
    owner = plan.department if plan.level < 2 else routing.main_department
    timezone = routing.timezone_of(owner)
    subject_key = {
        "escalated": "escalation_subject",
        "extended": "extended_subject",
    }.get(plan.reason, "derivation_subject")
    base = f"{deps.actions_base_url.rstrip('/')}/actions/{action_id}"
    links = [
        {"label": t[choice.value], "url": f"{base}?do={choice.value}"} for choice in ActionChoice
    ]
    return _case_email(
        case,
        language=language,
        timezone=timezone,
        subject_key=subject_key,
        intro_key=f"intro_{plan.reason}",
        priority=plan.priority,
        level=plan.level,
        links=links,
        deadline=plan.deadline,
    )


def autonomous_email(case: dict[str, Any], deps: WorkflowDependencies) -> tuple[str, str, str]:
    """What the social team answers by itself: the case and the suggested replies."""
    routing = deps.triager.routing
    return _case_email(
        case,
        language=routing.default_language,
        timezone=routing.timezone_of(routing.main_department),
        subject_key="autonomous_subject",
        intro_key="intro_autonomous",
        priority=(case.get("triage") or {}).get("priority", ""),
        level=0,
        links=[],
        deadline=None,
    )


def _case_email(
    case: dict[str, Any],
    *,
    language: str,
    timezone: str,
    subject_key: str,
    intro_key: str,
    priority: str,
    level: int,
    links: list[dict[str, str]],
    deadline: str | None,
) -> tuple[str, str, str]:
    t = strings(language)
    triage = case.get("triage") or {}
    values = {
        "priority": priority,
        "category": triage.get("category", ""),
        "channel": case["channel"],
        "case_id": case["id"],
        "level": level,
    }
    subject = t[subject_key].format(**values)
    context = {
        **case_context(case, timezone=timezone, language=language),
        "deadline_local": local_time(deadline, timezone, language),
        "t": t,
        "language": language,
        "subject": subject,
        "intro": t[intro_key].format(**values),
        "breached": level >= 2,
        "links": links,
    }
    return subject, render("derivation.txt", **context), render("derivation.html", **context)


def answer_step(case_id: str, answer: dict[str, Any], deps: WorkflowDependencies) -> None:
    """The department's answer (sent by the action link) on the case; closes it when the
    answer does. A retried step writes the same thing again."""
    choice = ActionChoice(answer["action"])
    closing = CLOSING_CHOICES.get(choice)
    stamps = {ActionChoice.RESOLVED: "resolved_at", ActionChoice.CONTACTED: "contacted_at"}
    deps.store.record_answer(
        case_id,
        datetime.fromisoformat(answer["at"].replace("Z", "+00:00")),
        actor=answer["actor"],
        answer={k: answer[k] for k in ("action", "note", "department", "to") if k in answer},
        close_status=closing.value if closing else None,
        stamp=stamps.get(choice),
    )


def escalate_step(
    case_id: str, plan_data: dict[str, Any], deps: WorkflowDependencies
) -> dict[str, Any]:
    """Nobody acted before the deadline: the next level, or closed as breached."""
    now = deps.clock()
    plan = WaitPlan.from_dict(plan_data)
    case = _case(case_id, deps)
    if case.get("current_action"):
        deps.store.supersede_action(case["current_action"], "escalated", now)
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
        return {"case_id": case_id, "closed": True, "plan": None}
    return {"case_id": case_id, "closed": False, "plan": following.as_dict()}


def _case(case_id: str, deps: WorkflowDependencies) -> dict[str, Any]:
    case = deps.store.get_case(case_id)
    if case is None:
        raise LookupError(f"case {case_id} not found")
    return case
