"""Replies that wait for an approver (config/approvals.yaml): put to one, approved (maybe
edited) and then sent through the actions' `send_reply` (the outbound use case: exactly
once, its rules, dry run), or returned to their writer with a comment. Deciding is a
conditional write: one decision per reply, however many approvers press at once; and an
approver never decides on a reply they wrote."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.domain.approvals import (
    APPROVAL_ID,
    ApprovalRules,
    ApprovalState,
    PendingApproval,
    approval_id_for,
    approval_reasons,
)
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_replies import ReplyDraft

if TYPE_CHECKING:
    from socialcare.ports.approvals import ApprovalStore
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_audit import ConsoleAudit

MAX_REPLY = 4096  # as the publish page (app/publish_links.py)
MAX_COMMENT = 1000

# SentReply.result when the send did not start because another person holds the case's
# reply claim (the actions' lease); the others are outbound's Result values.
HELD = "held"
# Results after which the customer has the reply, or will have it without anyone's help.
GONE_OR_GOING = frozenset({"sent", "dry_run", "deferred", "uncertain"})


@dataclass(frozen=True)
class SentReply:
    """What sending an approved reply gave, as the actions' send_reply reports it:
    `result` is outbound's Result value (sent, dry_run, blocked, refused, uncertain,
    deferred) or HELD; `detail` the reason or the holder's username."""

    result: str
    detail: str | None = None


ReplySender = Callable[[ReplyDraft], SentReply]


def _nonce() -> str:
    return secrets.token_hex(3)


@dataclass
class ApprovalDependencies:
    store: ApprovalStore
    cases: CaseReader
    rules: ApprovalRules
    # The console's send (app/console_replies.send_reply, in SentReply's words); None
    # where replies are only queued (the publish links): approvals are decided in the
    # console.
    send_reply: ReplySender | None
    clock: Clock
    audit: ConsoleAudit | None = None
    nonce: Callable[[], str] = _nonce


class ApprovalRefusal(StrEnum):
    NOT_FOUND = "not_found"  # no such case or approval
    EMPTY = "empty"  # no words (a reply, an edit, a comment)
    TOO_LONG = "too_long"
    OWN_REPLY = "own_reply"  # an approver never decides on their own reply
    NOT_NEEDED = "not_needed"  # no rule asks for an approver: send it instead


@dataclass(frozen=True)
class ApprovalRefused:
    reason: ApprovalRefusal


@dataclass(frozen=True)
class Submitted:
    approval: PendingApproval


@dataclass(frozen=True)
class AlreadyDecided:
    """Someone decided first: what they decided (no second decision, no second send)."""

    approval: PendingApproval


@dataclass(frozen=True)
class Approved:
    approval: PendingApproval
    sent: SentReply

    @property
    def gone(self) -> bool:
        """The customer has it or will have it; else it was approved and did not go."""
        return self.sent.result in GONE_OR_GOING


@dataclass(frozen=True)
class Returned:
    approval: PendingApproval


SubmitOutcome = Submitted | ApprovalRefused
DecisionOutcome = Approved | Returned | AlreadyDecided | ApprovalRefused


def needs_approval(draft: ReplyDraft, deps: ApprovalDependencies) -> tuple[str, ...]:
    """The reasons this draft waits (empty: it may go); none for a case not found."""
    case = deps.cases.case(draft.case_id)
    return approval_reasons(case, draft, deps.rules) if case else ()


def submit_for_approval(
    draft: ReplyDraft, deps: ApprovalDependencies, *, timeline: bool = True
) -> SubmitOutcome:
    """Keep the reply waiting for an approver, counted on its case and on its timeline
    (`timeline=False`: the caller records the event, as the console's `reply` does)."""
    text = draft.text.strip()
    if not text:
        return ApprovalRefused(ApprovalRefusal.EMPTY)
    if len(text) > MAX_REPLY:
        return ApprovalRefused(ApprovalRefusal.TOO_LONG)
    case = deps.cases.case(draft.case_id)
    if case is None:
        return ApprovalRefused(ApprovalRefusal.NOT_FOUND)
    draft = replace(draft, text=text)
    reasons = approval_reasons(case, draft, deps.rules)
    if not reasons:
        return ApprovalRefused(ApprovalRefusal.NOT_NEEDED)
    at = utc_iso(deps.clock())
    approval = PendingApproval(approval_id_for(draft.case_id, at, deps.nonce()), draft, reasons, at)
    deps.store.submit(approval, timeline=timeline)
    _audit(deps, draft.author, "reply_submitted_for_approval", approval, ",".join(reasons))
    return Submitted(approval)


def approve(
    approval_id: str, approver: str, edited_text: str | None, deps: ApprovalDependencies
) -> DecisionOutcome:
    """Once: then sent as the writer's reply (in the approver's words when edited). An
    approval whose send never ran (the function stopped between the two) is sent when the
    same approver presses again: the outbound use case never posts one action twice."""
    # A browser's textarea sends CRLF: the same words are not an edit.
    edited = edited_text.replace("\r\n", "\n").strip() if edited_text is not None else None
    if edited is not None and not edited:
        return ApprovalRefused(ApprovalRefusal.EMPTY)
    if edited is not None and len(edited) > MAX_REPLY:
        return ApprovalRefused(ApprovalRefusal.TOO_LONG)
    approval = _approval(approval_id, deps)
    if approval is None:
        return ApprovalRefused(ApprovalRefusal.NOT_FOUND)
    if approval.draft.author == approver:
        return ApprovalRefused(ApprovalRefusal.OWN_REPLY)
    if approval.state is not ApprovalState.WAITING:
        if _unsent(approval, approver):
            return _send(approval, deps)
        return AlreadyDecided(approval)
    decided = approval.approved(approver, utc_iso(deps.clock()), edited)
    if not deps.store.decide(decided):
        return AlreadyDecided(_approval(approval_id, deps) or approval)
    detail = "edited" if decided.edited_text is not None else ""
    _audit(deps, approver, "reply_approved", decided, detail)
    return _send(decided, deps)


def return_for_changes(
    approval_id: str, approver: str, comment: str, deps: ApprovalDependencies
) -> DecisionOutcome:
    """Back to its writer with the approver's comment; nothing goes out."""
    comment = comment.strip()
    if not comment:
        return ApprovalRefused(ApprovalRefusal.EMPTY)
    if len(comment) > MAX_COMMENT:
        return ApprovalRefused(ApprovalRefusal.TOO_LONG)
    approval = _approval(approval_id, deps)
    if approval is None:
        return ApprovalRefused(ApprovalRefusal.NOT_FOUND)
    if approval.draft.author == approver:
        return ApprovalRefused(ApprovalRefusal.OWN_REPLY)
    if approval.state is not ApprovalState.WAITING:
        return AlreadyDecided(approval)
    decided = approval.returned(approver, utc_iso(deps.clock()), comment)
    if not deps.store.decide(decided):
        return AlreadyDecided(_approval(approval_id, deps) or approval)
    _audit(deps, approver, "reply_returned", decided, "")
    return Returned(decided)


def waiting_approvals(deps: ApprovalDependencies, limit: int = 200) -> list[PendingApproval]:
    return deps.store.waiting(limit)


def approvals_of_case(case_id: str, deps: ApprovalDependencies) -> list[PendingApproval]:
    return deps.store.of_case(case_id)


def _send(approval: PendingApproval, deps: ApprovalDependencies) -> Approved:
    if deps.send_reply is None:
        raise RuntimeError("approvals are decided in the console, which sends them")
    sent = deps.send_reply(replace(approval.draft, text=approval.text_to_send))
    deps.store.record_result(approval, sent.result)
    return Approved(replace(approval, result=sent.result), sent)


def _unsent(approval: PendingApproval, approver: str) -> bool:
    approved = approval.state is ApprovalState.APPROVED
    return approved and approval.result is None and approval.decided_by == approver


def _approval(approval_id: str, deps: ApprovalDependencies) -> PendingApproval | None:
    if APPROVAL_ID.fullmatch(approval_id) is None:
        return None
    return deps.store.approval(approval_id)


def _audit(
    deps: ApprovalDependencies, who: str, action: str, approval: PendingApproval, detail: str
) -> None:
    if deps.audit is not None:
        entry = AuditEntry(who, action, utc_iso(deps.clock()), approval.case_id, detail)
        deps.audit.record(entry)
