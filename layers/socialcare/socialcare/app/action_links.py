"""The department's action link: `show` changes nothing (mail scanners open every link);
`submit` (with the page's CSRF token) records the answer once and resumes the workflow,
which records it on the case. Both return what happened; presentation/action_pages.py
turns that into a page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.answers import action_on, conversation_of, private_kind, send_on
from socialcare.app.outbound import OutboundDependencies, Outcome, Result
from socialcare.app.surveys import SurveyDependencies, ask_for_satisfaction
from socialcare.domain.action_links import (
    MAX_NOTE,
    ActionChoice,
    ActionLink,
    Answer,
    GoneReason,
    is_action_id,
)
from socialcare.domain.cases import Case
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.derivation import WaitPlan, after_more_time, after_not_ours, recipient_for
from socialcare.domain.failures import TaskGone, Unavailable
from socialcare.domain.outbound import Delivery, Origin, OutboundKind, WhatsAppTemplate
from socialcare.domain.outbound_rules import plan_delivery
from socialcare.domain.routing import RoutingConfig

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.workflow import ActionLinkRecords, CaseClosing, TaskTokens


@dataclass
class ActionDependencies:
    cases: CaseReader
    actions: ActionLinkRecords
    closing: CaseClosing
    tokens: TaskTokens
    routing: RoutingConfig
    clock: Clock
    time_scale: float
    # The reply form: the department answers the customer in the customer's channel.
    outbound: OutboundDependencies | None = None
    # The satisfaction survey a case's closing sends its customer.
    surveys: SurveyDependencies | None = None


MAX_REPLY = 2000


class Refusal(StrEnum):
    FORBIDDEN = "forbidden"  # the form's CSRF token is not the link's
    INVALID = "invalid"  # no such choice, or no such other department
    NO_DEPARTMENT = "no_department"  # "not ours" with no department chosen
    REPLY_NEEDS_CONTACTED = "reply_needs_contacted"  # a message to the customer, not "contacted"
    EXTENSION_USED = "extension_used"  # "more time" was used once already
    UNAVAILABLE = "unavailable"  # the workflow could not be resumed now: try again


class LateAnswer(StrEnum):
    NOTED = "late_noted"
    RESOLVED_LATE = "late_resolved"  # the case had breached: now closed as answered, late
    ALREADY_NOTED = "late_already_noted"  # one per link
    ON_FILE = "late_on_file"  # shown on the page: one was noted before


@dataclass(frozen=True)
class NotFound:
    language: str


@dataclass(frozen=True)
class Confirmation:
    """The page that asks the department to confirm its answer."""

    link: ActionLink
    case: Case
    language: str
    selected: ActionChoice | None
    # What a reply to the customer becomes now: the approved template, its words and not
    # the department's, when the channel's window is closed (WhatsApp past 24 hours).
    template: WhatsAppTemplate | None = None


@dataclass(frozen=True)
class LinkGone:
    """The link no longer acts; a late answer may have been noted, or may be offered."""

    link: ActionLink
    reason: GoneReason
    language: str
    late: LateAnswer | None = None
    offers_late_answer: bool = False


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    language: str
    case_id: str


@dataclass(frozen=True)
class Answered:
    answer: Answer
    case_id: str
    language: str
    following: WaitPlan | None  # the next wait, when the answer does not close the case
    survey: Outcome | None = None  # the customer's satisfaction survey, when one was asked
    template: WhatsAppTemplate | None = None  # sent instead of the department's reply


@dataclass(frozen=True)
class ReplyNotSent:
    """The reply to the customer did not go out (or may have: uncertain); the link still
    acts, and the case is not marked contacted."""

    outcome: Outcome
    kind: OutboundKind
    case_id: str
    language: str


ActionOutcome = NotFound | Confirmation | LinkGone | Refused | Answered | ReplyNotSent


def show(action_id: str, selected: str | None, deps: ActionDependencies) -> ActionOutcome:
    link = _link(action_id, deps)
    if link is None:
        return NotFound(deps.routing.default_language)
    language = recipient_for(deps.routing, link.plan).language
    case = deps.cases.case(link.case_id)
    gone = link.gone_reason(case, deps.clock())
    if gone:
        if link.late_answer_at:
            return LinkGone(link, gone, language, late=LateAnswer.ON_FILE)
        return LinkGone(link, gone, language, offers_late_answer=True)
    if case is None:
        return NotFound(language)
    chosen = selected if selected in set(ActionChoice) else None
    template = _template_instead(case, "-", deps) if deps.outbound else None
    return Confirmation(link, case, language, ActionChoice(chosen) if chosen else None, template)


def submit(action_id: str, form: dict[str, str], deps: ActionDependencies) -> ActionOutcome:
    link = _link(action_id, deps)
    if link is None:
        return NotFound(deps.routing.default_language)
    recipient = recipient_for(deps.routing, link.plan)
    language = recipient.language
    refusal = _form_refusal(link, form)
    if refusal:
        return Refused(refusal, language, link.case_id)
    now = deps.clock()
    answer = _answer(link, form, recipient.name, now)
    choice = answer.choice
    case = deps.cases.case(link.case_id)
    if case is None:  # erased or expired: nothing to answer, nothing to note it on
        return NotFound(language)
    gone = link.gone_reason(case, now)
    if gone:
        return _late(link, answer, gone, language, deps, case)
    following = _following(link.plan, answer, deps)
    if isinstance(following, Refusal):
        return Refused(following, language, link.case_id)
    reply = form.get("reply", "").strip()[:MAX_REPLY]
    refusal = _reply_refusal(reply, choice, deps)
    if refusal:
        return Refused(refusal, language, link.case_id)
    # The link's item keeps what the workflow records: the department's own reply, then its
    # note (the one form carries both); what went to the customer (a template's words when
    # it replaced the reply) is recorded apart, as sent. False: another click spent the
    # link first.
    template = _template_instead(case, reply, deps) if reply else None
    note = "\n\n".join(part for part in (reply, answer.note) if part)
    if not deps.actions.use_action(link.id, choice.value, note, now, actor=answer.actor):
        fresh = deps.actions.action(link.id) or link
        reason = fresh.gone_reason(case, now) or GoneReason.USED
        return _late(fresh, answer, reason, language, deps, case)
    if reply and case is not None:
        sent = _reply_to_customer(link, case, reply, answer, deps)
        if sent is not None:
            deps.actions.release_action(link.id, "pending")
            return ReplyNotSent(sent, private_kind(case), link.case_id, language)
        answer = replace(answer, note=note)
    return _resume(link, answer, following, language, deps, case, template)


def _form_refusal(link: ActionLink, form: dict[str, str]) -> Refusal | None:
    """Why the form cannot act on the link at all: not the link's own, or no action named."""
    if not link.csrf_matches(form.get("csrf_token", "")):
        return Refusal.FORBIDDEN
    if form.get("action", "") not in set(ActionChoice):
        return Refusal.INVALID
    return None


def _answer(link: ActionLink, form: dict[str, str], recipient: str, now: datetime) -> Answer:
    """The department's answer as the form gives it (its action checked by _form_refusal)."""
    choice = ActionChoice(form["action"])
    return Answer(
        choice=choice,
        note=form.get("note", "")[:MAX_NOTE],
        department=link.plan.department,
        actor=f"{recipient} (level {link.plan.level})",
        at=utc_iso(now),
        to=form.get("department", "") if choice is ActionChoice.NOT_OURS else None,
        action_id=link.id,
    )


def _reply_refusal(reply: str, choice: ActionChoice, deps: ActionDependencies) -> Refusal | None:
    """A reply to the customer goes only with "contacted", and only where outbound is wired."""
    if reply and choice is not ActionChoice.CONTACTED:
        return Refusal.REPLY_NEEDS_CONTACTED
    if reply and deps.outbound is None:
        return Refusal.INVALID
    return None


def _template_instead(case: Case, reply: str, deps: ActionDependencies) -> WhatsAppTemplate | None:
    """The approved template the sender's rule sends instead of the reply now (WhatsApp
    past its 24 hours), if it does."""
    assert deps.outbound is not None
    action = action_on(case, private_kind(case), reply, origin=Origin.DEPARTMENT, actor="-")
    if action is None:
        return None
    planned = plan_delivery(action, conversation_of(case), deps.outbound.config, deps.clock())
    return planned.template if isinstance(planned, Delivery) else None


def _reply_to_customer(
    link: ActionLink, case: Case, reply: str, answer: Answer, deps: ActionDependencies
) -> Outcome | None:
    """Send the department's reply in the customer's channel (once per link, whatever
    the clicks and retries); None when it went out, else what happened."""
    assert deps.outbound is not None
    action = action_on(
        case,
        private_kind(case),
        reply,
        origin=Origin.DEPARTMENT,
        actor=answer.actor,
        purpose=f"reply:{link.id}",
    )
    outcome = send_on(case, action, deps.outbound)
    if outcome is None:
        return Outcome(
            "-", Result.BLOCKED, reason="the case keeps no address to answer to", code="no_address"
        )
    return None if outcome.delivered else outcome


def _following(
    plan: WaitPlan, answer: Answer, deps: ActionDependencies
) -> WaitPlan | Refusal | None:
    """The wait that follows the answer; None when it closes the case."""
    routing, now = deps.routing, deps.clock()
    if answer.choice is ActionChoice.NOT_OURS:
        if not answer.to:
            return Refusal.NO_DEPARTMENT
        if answer.to not in routing.departments or answer.to == plan.department:
            return Refusal.INVALID
        return after_not_ours(routing, plan, answer.to, now, deps.time_scale)
    if answer.choice is ActionChoice.MORE_TIME:
        extended = after_more_time(routing, plan, now, deps.time_scale)
        return extended if extended is not None else Refusal.EXTENSION_USED
    return None


def _resume(
    link: ActionLink,
    answer: Answer,
    following: WaitPlan | None,
    language: str,
    deps: ActionDependencies,
    case: Case | None,
    template: WhatsAppTemplate | None = None,
) -> ActionOutcome:
    """Hand the answer to the waiting workflow (its own retried step records it)."""
    output = {
        "case_id": link.case_id,
        "outcome": "wait" if following else "closed",
        "plan": following.as_dict() if following else None,
        "answer": answer.as_state(),
    }
    try:
        deps.tokens.succeed(link.task_token, output)
    except TaskGone:
        deps.actions.release_action(link.id, "escalated")
        return _late(link, answer, GoneReason.ESCALATED, language, deps, case)
    except Unavailable:
        deps.actions.release_action(link.id, "pending")
        return Refused(Refusal.UNAVAILABLE, language, link.case_id)
    survey = _survey(case, answer, deps)
    return Answered(answer, link.case_id, language, following, survey, template)


def _survey(case: Case | None, answer: Answer, deps: ActionDependencies) -> Outcome | None:
    """A closing answer asks the customer's satisfaction (never failing the answer); the
    case as the answer found it (its survey is sent once whatever it says)."""
    status = answer.closing_status
    if status is None or deps.surveys is None or case is None:
        return None
    try:
        return ask_for_satisfaction(case, status.value, deps.surveys)
    except Unavailable:
        return None


def _late(
    link: ActionLink,
    answer: Answer,
    reason: GoneReason,
    language: str,
    deps: ActionDependencies,
    case: Case | None,
) -> LinkGone:
    noted = deps.actions.record_late_answer(link, answer, reason, deps.clock())
    if not noted:
        return LinkGone(link, reason, language, late=LateAnswer.ALREADY_NOTED)
    status = answer.closing_status
    # The department did answer the customer after the case breached: it is answered,
    # late (resolved_at set, sla_breached kept), and its customer is asked as any other.
    if status is not None and deps.closing.resolve_late(link.case_id, answer, deps.clock()):
        _survey(case, answer, deps)
        return LinkGone(link, reason, language, late=LateAnswer.RESOLVED_LATE)
    return LinkGone(link, reason, language, late=LateAnswer.NOTED)


def _link(action_id: str, deps: ActionDependencies) -> ActionLink | None:
    """The link, if the id is one the stack could have made (else no lookup at all)."""
    return deps.actions.action(action_id) if is_action_id(action_id) else None
