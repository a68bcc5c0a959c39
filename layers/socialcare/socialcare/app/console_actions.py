"""What the social team does to a case in the console besides replying: assign it,
correct its triage, mark a crisis, write an internal note (@mentions get an email),
close it with a reason, reopen it. Every action is on the case's timeline with the
username and in the console's audit; derivations are in app/console_routing.py."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.surveys import SurveyDependencies, ask_for_satisfaction
from socialcare.domain.action_links import ActionChoice, Answer, LinkStatus
from socialcare.domain.cases import TRIAGE_FLAGS, Case
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_actions import (
    CLOSING_STATUS,
    MAX_NOTE,
    CloseReason,
    Correction,
    correction_for,
    mentions_in,
)
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.emails import Email
from socialcare.domain.failures import TaskGone, Unavailable

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_actions import ConsoleCases, MentionAddresses
    from socialcare.ports.console_audit import ConsoleAudit
    from socialcare.ports.email import EmailSender
    from socialcare.ports.workflow import ActionLinkRecords, CaseClosing, TaskTokens

logger = logging.getLogger(__name__)

# The case, who mentioned, the console's address -> the email that tells the mentioned.
MentionEmail = Callable[[str, str, str], Email]
# A crisis topic as the crisis alerts name them: a short word or two, no free text.
_TOPIC = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass
class CaseActionDependencies:
    cases: CaseReader
    console: ConsoleCases
    closing: CaseClosing
    links: ActionLinkRecords  # a derived case's department link (its task token)
    tokens: TaskTokens  # a derived case's waiting workflow ends when the team closes it
    audit: ConsoleAudit
    people: MentionAddresses
    email: EmailSender
    mention_email: MentionEmail
    clock: Clock
    # The survey a closing asks, as today, its page under the given address (the links'
    # domain, or the API's as the request came to it).
    surveys: Callable[[str], SurveyDependencies] | None = None


class ActionRefusal(StrEnum):
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # a closed case: reopen it first
    NOT_CLOSED = "not_closed"  # reopen: it is open
    UNKNOWN_USER = "unknown_user"  # assign: no such console user
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_VALUE = "unknown_value"
    UNCHANGED = "unchanged"  # a correction to the value it has
    NOT_TRIAGED = "not_triaged"  # nothing to correct yet
    INVALID = "invalid"  # an empty or too long note, an unknown reason, a bad topic
    AUTHOR_HAS_OPEN_CASE = "author_has_open_case"  # reopen: the customer wrote again since
    UNAVAILABLE = "unavailable"  # the workflow could not be reached now: try again


@dataclass(frozen=True)
class ActionRefused:
    reason: ActionRefusal
    case_id: str


@dataclass(frozen=True)
class ActionDone:
    """`action`: what was done (a ConsoleAction's value); `unreached`: people mentioned
    whom no email reached (unknown, or the email could not go now)."""

    case_id: str
    action: str
    detail: str = ""
    unreached: tuple[str, ...] = ()


ActionOutcome = ActionDone | ActionRefused


def assign(case_id: str, assignee: str, by: str, deps: CaseActionDependencies) -> ActionOutcome:
    """To a console user, or to nobody (an empty name)."""
    assignee = assignee.strip()
    if assignee and deps.people.email_of(assignee) is None:
        return ActionRefused(ActionRefusal.UNKNOWN_USER, case_id)
    if not deps.console.assign(case_id, assignee or None, deps.clock(), by):
        return _missing_or_closed(case_id, deps)
    return _done(deps, by, case_id, "assign", assignee)


def correct(
    case_id: str, field: str, value: str, by: str, deps: CaseActionDependencies
) -> ActionOutcome:
    """Change category, priority or flags: a correction triage can learn from."""
    case = deps.cases.case(case_id)
    if case is None:
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    if case.triage is None:
        return ActionRefused(ActionRefusal.NOT_TRIAGED, case_id)
    current: dict[str, object] = {
        "category": case.triage.category,
        "priority": case.triage.priority,
        **{flag: flag in case.triage.flags for flag in TRIAGE_FLAGS},
    }
    correction = correction_for(field, value.strip(), current)
    if not isinstance(correction, Correction):
        return ActionRefused(ActionRefusal(correction), case_id)
    if not deps.console.correct(case_id, correction, deps.clock(), by):
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    detail = f"{correction.field.value}: {correction.before} -> {correction.after}"
    return _done(deps, by, case_id, "correct", detail)


def mark_crisis(case_id: str, topic: str, by: str, deps: CaseActionDependencies) -> ActionOutcome:
    topic = topic.strip().lower()
    if _TOPIC.fullmatch(topic) is None:
        return ActionRefused(ActionRefusal.INVALID, case_id)
    case = deps.cases.case(case_id)
    if case is None:
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    if not deps.console.mark_crisis(case_id, topic, deps.clock(), by):
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    return _done(deps, by, case_id, "mark_crisis", topic)


def add_note(
    case_id: str, text: str, by: str, deps: CaseActionDependencies, console_url: str = ""
) -> ActionOutcome:
    """An internal note on the timeline; each console user it @mentions gets an email
    (the link to the case at `console_url`, never the note: emails leave the console)."""
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        return ActionRefused(ActionRefusal.INVALID, case_id)
    if deps.cases.case(case_id) is None:
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    mentioned = mentions_in(text)
    deps.console.record(case_id, "note", deps.clock(), by, text=text, mentions=list(mentioned))
    unreached = tuple(
        m for m in mentioned if m != by and not _tell(m, case_id, by, console_url, deps)
    )
    done = _done(deps, by, case_id, "note", f"{len(mentioned)} mentioned")
    return ActionDone(case_id, "note", done.detail, unreached)


def close(
    case_id: str,
    reason: str,
    comment: str,
    by: str,
    deps: CaseActionDependencies,
    console_url: str = "",
) -> ActionOutcome:
    """Closed through the existing closing path (the author may open a new case, the
    retention clock starts, the survey goes as config says); a derived case's waiting
    workflow is told it is over, so it neither escalates nor emails again."""
    if reason not in set(CloseReason) or len(comment) > MAX_NOTE:
        return ActionRefused(ActionRefusal.INVALID, case_id)
    case = deps.cases.case(case_id)
    if case is None:
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    if case.closed:
        return ActionRefused(ActionRefusal.CLOSED, case_id)
    status = CLOSING_STATUS[CloseReason(reason)]
    now = deps.clock()
    milestone = {"resolved": "resolved_at", "contacted": "contacted_at"}.get(status.value)
    fields = {milestone: utc_iso(now)} if milestone else {}
    closed = deps.closing.close_case(
        case_id, status.value, now, actor=by, closed_reason=reason, closed_by=by, **fields
    )
    if not closed:
        return ActionRefused(ActionRefusal.CLOSED, case_id)
    if comment.strip():
        deps.console.record(case_id, "note", now, by, text=comment.strip(), mentions=[])
    _end_workflow(case, by, deps)
    _survey(case, status.value, deps, console_url)
    return _done(deps, by, case_id, "close", reason)


def reopen(case_id: str, by: str, deps: CaseActionDependencies) -> ActionOutcome:
    why = deps.console.reopen(case_id, deps.clock(), by)
    if why == "missing":
        return ActionRefused(ActionRefusal.NOT_FOUND, case_id)
    if why is not None:
        return ActionRefused(ActionRefusal(why), case_id)
    return _done(deps, by, case_id, "reopen", "")


def _end_workflow(case: Case, by: str, deps: CaseActionDependencies) -> None:
    """A derived case waits on its department's link: resuming it as closed ends the
    workflow (its answer step finds the case closed and writes nothing more)."""
    if not case.current_action:
        return
    link = deps.links.action(case.current_action)
    if link is None or link.status is not LinkStatus.PENDING:
        return
    answer = Answer(
        ActionChoice.RESOLVED,
        "",
        link.plan.department,
        by,
        utc_iso(deps.clock()),
    )
    output = {"case_id": case.id, "outcome": "closed", "plan": None, "answer": answer.as_state()}
    try:
        deps.tokens.succeed(link.task_token, output)
    except (TaskGone, Unavailable):  # it no longer waits; or it will time out, see README
        logger.warning("workflow not told of the closing", extra={"case_id": case.id})


def _survey(case: Case, status: str, deps: CaseActionDependencies, console_url: str) -> None:
    if deps.surveys is None:
        return
    try:
        ask_for_satisfaction(case, status, deps.surveys(console_url))
    except Unavailable:
        logger.warning("survey not sent", extra={"case_id": case.id})


def _tell(
    username: str, case_id: str, by: str, console_url: str, deps: CaseActionDependencies
) -> bool:
    address = deps.people.email_of(username)
    if not address:
        return False
    email = deps.mention_email(case_id, by, console_url)
    try:
        deps.email.send([address], email.subject, email.text, email.html)
    except Unavailable:
        return False
    return True


def _missing_or_closed(case_id: str, deps: CaseActionDependencies) -> ActionRefused:
    case = deps.cases.case(case_id)
    return ActionRefused(ActionRefusal.CLOSED if case else ActionRefusal.NOT_FOUND, case_id)


def _done(
    deps: CaseActionDependencies, by: str, case_id: str, action: str, detail: str
) -> ActionDone:
    deps.audit.record(AuditEntry(by, action, utc_iso(deps.clock()), case_id, detail))
    return ActionDone(case_id, action, detail)
