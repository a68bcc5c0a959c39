"""The Lambda tasks of a derived case's workflow: derive (waits for a task token),
record the answer, escalate. Each takes its ports in a WorkflowDependencies and returns
what the state machine needs next."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from socialcare.app.owed_emails import OwedEmailsRun, Pacing, send_or_owe, send_owed_emails
from socialcare.app.team_mail import mail_team
from socialcare.domain.action_links import Answer
from socialcare.domain.cases import CaseStatus, FinalStatus, SuggestedReplies
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.derivation import WaitPlan, escalation_after, recipient_for
from socialcare.domain.email_delivery import EmailHold
from socialcare.domain.failures import Unavailable
from socialcare.domain.routing import RoutingConfig

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.email import CaseEmails, EmailSender
    from socialcare.ports.owed_emails import OwedEmailStore
    from socialcare.ports.text import SuggestReplies
    from socialcare.ports.workflow import ActionLinkRecords, CaseClosing

logger = Logger(service="workflow", child=True)


def new_token() -> str:
    """Opaque, unguessable, URL-safe: 192 random bits."""
    return secrets.token_urlsafe(24)


def until_next_second() -> None:
    time.sleep(1 - time.time() % 1)


# How long one OwedEmails run waits for room in the rate: the workflow function's timeout
# is 30 s (template.yaml), and the schedule runs every minute.
DRAIN_SECONDS = 20


@dataclass
class WorkflowDependencies:
    cases: CaseReader
    actions: ActionLinkRecords
    closing: CaseClosing
    owed_emails: OwedEmailStore  # the OwedEmails schedule runs in the workflow's function
    email: EmailSender
    emails: CaseEmails
    routing: RoutingConfig
    clock: Clock
    time_scale: float
    token: Callable[[], str] = field(default=new_token)
    replies: SuggestReplies | None = None  # recomposes them when the plan changes
    wait: Callable[[], None] = until_next_second  # the OwedEmails run's pacing


def drain_owed_emails(deps: WorkflowDependencies) -> OwedEmailsRun:
    """The OwedEmails schedule's run: what SES or the rate held, sent at the rate for up
    to DRAIN_SECONDS; the rest waits for the next run."""
    pacing = Pacing(deps.clock() + timedelta(seconds=DRAIN_SECONDS), deps.wait)
    return send_owed_emails(
        deps.email, deps.owed_emails, deps.clock, deps.emails.team_digest, pacing
    )


# What the suggested replies promised (the department, its deadline) changes with these.
_NEW_PROMISE = {"rederived", "extended"}


@dataclass(frozen=True)
class Escalated:
    case_id: str
    closed: bool  # the last level timed out too: closed as breached
    plan: WaitPlan | None


def derive_step(
    case_id: str, plan: WaitPlan, task_token: str, deps: WorkflowDependencies
) -> tuple[EmailHold, ...]:
    """Store the link (task token stays here), then email whoever must act; what SES
    holds is owed (the step returns, the workflow waits), and why is returned. A case no
    longer there (erased) gets neither: nobody can answer, so the wait times out into
    escalate_step, which ends the workflow."""
    routing = deps.routing
    recipient = recipient_for(routing, plan)
    action_id = deps.token()
    now = deps.clock()
    replies = _restated(case_id, plan, now, deps) if plan.reason in _NEW_PROMISE else None
    try:
        deps.actions.open_derivation(
            case_id,
            action_id,
            task_token=task_token,
            csrf_token=deps.token(),
            plan=plan,
            milestones=plan.milestones(utc_iso(now)),
            recipients=list(recipient.emails),
            now=now,
            status=(CaseStatus.ESCALATED if plan.level else CaseStatus.DERIVED).value,
            replies=replies,
        )
    except LookupError:
        if deps.cases.case(case_id) is not None:
            raise  # there, but closed: not this step's to decide
        _gone(case_id, "derive")
        return ()
    case = deps.cases.case(case_id)
    if case is None:
        _gone(case_id, "derive")
        return ()
    email = deps.emails.derivation(case, plan, action_id, recipient.language)
    held = [
        send_or_owe(
            deps.email,
            deps.owed_emails,
            email,
            recipient.emails,
            case_id=case_id,
            key=action_id,
            now=now,
            action_id=action_id,
        )
    ]
    try:
        # The team's copy, in its language, also carries the link that publishes the
        # suggested reply.
        copy = deps.emails.social_team_copy(case, plan, action_id)
        to = routing.social_team.emails
        # At most one email a case an hour to the team: the rest wait for its digest.
        key = f"{action_id}#team"
        held.append(
            mail_team(
                deps.email,
                deps.owed_emails,
                copy,
                to,
                case=case,
                key=key,
                now=now,
                action_id=action_id,
            )
        )
    except Unavailable:
        # Retrying the step would send the department a second email with a new link.
        logger.warning("social team copy not sent", extra={"case_id": case_id})
    return tuple(hold for hold in held if hold is not None)


def _restated(
    case_id: str, plan: WaitPlan, now: datetime, deps: WorkflowDependencies
) -> SuggestedReplies | None:
    """The replies naming the new department or deadline, so the team's copy and the
    publish page never promise the first ones."""
    case = deps.cases.case(case_id)
    if deps.replies is None or case is None:
        return None
    return deps.replies.restate(case, plan, now)


def answer_step(case_id: str, state: dict[str, Any], deps: WorkflowDependencies) -> Answer:
    """The department's answer (sent by the action link) on the case; closes it when the
    answer does. The state carries codes and ids; the note and who answered are read from
    the link's item. A retried step writes the same thing again."""
    link = deps.actions.action(str(state["action_id"])) if state.get("action_id") else None
    answer = Answer.from_state(state, link)
    try:
        deps.closing.record_answer(case_id, answer)
    except LookupError:
        if deps.cases.case(case_id) is not None:
            raise
        _gone(case_id, "answer")
    return answer


def escalate_step(case_id: str, plan: WaitPlan, deps: WorkflowDependencies) -> Escalated:
    """Nobody acted before the deadline: the next level, or closed as breached."""
    now = deps.clock()
    case = deps.cases.case(case_id)
    if case is None:
        _gone(case_id, "escalate")
        return Escalated(case_id, closed=True, plan=None)
    if case.closed:  # closed meanwhile (the console): nobody is waited on any more
        logger.info("case closed before its deadline", extra={"case_id": case_id})
        return Escalated(case_id, closed=True, plan=None)
    if case.current_action:
        deps.actions.supersede_action(case.current_action, "escalated", now)
    following = escalation_after(deps.routing, plan, now, deps.time_scale)
    if following is None:
        deps.closing.close_case(
            case_id,
            FinalStatus.BREACHED.value,
            now,
            actor="workflow",
            sla_breached=True,
            escalation_level=plan.level,
        )
        return Escalated(case_id, closed=True, plan=None)
    return Escalated(case_id, closed=False, plan=following)


def _gone(case_id: str, step: str) -> None:
    """The case is no longer there (erased while its workflow ran): the step does nothing
    and the workflow ends, rather than failing with nothing anyone could retry."""
    logger.info("case no longer exists", extra={"case_id": case_id, "step": step})
