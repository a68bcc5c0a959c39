"""Replies written in the console: claiming the case to write one (a 10-minute lease),
and sending it through the outbound use case (exactly once, the outbound rules, dry
run), unless approvals.yaml says an approver must see it first. `send_reply` is also
what an approver's approval calls (app/approvals.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.answers import action_on, private_kind, send_on
from socialcare.app.outbound import OutboundDependencies, Outcome, Result
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_actions import (
    MAX_REPLY,
    Lease,
    claims_a_private_message,
    reply_purpose,
)
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.outbound import Origin, OutboundKind

if TYPE_CHECKING:
    from socialcare.domain.cases import Case
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_actions import ConsoleCases, ReplyApprovals, SavedReplies
    from socialcare.ports.console_audit import ConsoleAudit


@dataclass
class ReplyDependencies:
    cases: CaseReader
    console: ConsoleCases
    outbound: OutboundDependencies
    audit: ConsoleAudit
    clock: Clock
    # approvals.yaml's rules and queue; None where approvals are not wired (no rule asks).
    approvals: ReplyApprovals | None = None
    saved: SavedReplies | None = None


class ReplyRefusal(StrEnum):
    NOT_FOUND = "not_found"  # no such case (or erased)
    CLOSED = "closed"  # reopen it first
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_PUBLIC_PLACE = "no_public_place"  # a private conversation has nowhere public
    NO_ADDRESS = "no_address"  # the case keeps no platform ids to answer to
    UNKNOWN_SAVED_REPLY = "unknown_saved_reply"
    # Public words saying the brand wrote privately, when no private message went yet.
    CLAIMS_PRIVATE = "claims_private"


@dataclass(frozen=True)
class ReplyRefused:
    reason: ReplyRefusal
    case_id: str


@dataclass(frozen=True)
class ReplyHeld:
    """Someone else is writing on this case: nothing was sent."""

    case_id: str
    holder: str
    until: int  # epoch seconds


@dataclass(frozen=True)
class ReplySubmitted:
    """It waits for an approver ("needs approval"); nothing was sent."""

    case_id: str
    approval_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ReplySent:
    """The outbound use case's outcome says what happened: sent, dry run, blocked by a
    rule, refused by the platform, uncertain, or deferred."""

    case_id: str
    kind: OutboundKind
    outcome: Outcome

    @property
    def delivered(self) -> bool:
        return self.outcome.delivered


@dataclass(frozen=True)
class Claimed:
    case_id: str
    until: int  # epoch seconds


ReplyOutcome = ReplyRefused | ReplyHeld | ReplySubmitted | ReplySent
ClaimOutcome = Claimed | ReplyHeld | ReplyRefused


def claim(case_id: str, username: str, deps: ReplyDependencies) -> ClaimOutcome:
    """Starting a reply claims the case for 10 minutes (or extends one's own claim)."""
    now = deps.clock()
    try:
        held = deps.console.claim(case_id, username, now)
    except LookupError:
        case = deps.cases.case(case_id)
        reason = ReplyRefusal.CLOSED if case is not None else ReplyRefusal.NOT_FOUND
        return ReplyRefused(reason, case_id)
    if held is not None:
        return ReplyHeld(case_id, held.holder, held.until)
    lease = deps.console.lease(case_id)
    _audit(deps, username, "claim", case_id, "")
    return Claimed(case_id, lease.until if lease else 0)


def reply(draft: ReplyDraft, deps: ReplyDependencies) -> ReplyOutcome:
    """What a person's "Send" does: the saved reply's words when none were written, then
    an approver first when approvals.yaml asks for one, else the send itself."""
    written = _with_saved_text(draft, deps)
    if isinstance(written, ReplyRefused):
        return written
    draft = written
    case = deps.cases.case(draft.case_id)
    refused = _refusal(case, draft)
    if refused is not None or case is None:
        return refused or ReplyRefused(ReplyRefusal.NOT_FOUND, draft.case_id)
    held = _held_by_other(draft, deps)
    if held is not None:
        return held
    reasons = deps.approvals.reasons(case, draft) if deps.approvals else ()
    if deps.approvals is None or not reasons:
        return _send(case, draft, deps)  # read and claimed just now
    approval_id = deps.approvals.submit(draft)  # its timeline event and audit with it
    if approval_id is None:
        return ReplyRefused(ReplyRefusal.NOT_FOUND, case.id)
    deps.console.release(case.id, draft.author)  # the approver has it now
    return ReplySubmitted(case.id, approval_id, reasons)


def send_reply(draft: ReplyDraft, deps: ReplyDependencies) -> ReplyOutcome:
    """Send the reply once, through the outbound use case; refused when someone other
    than its author holds the case. The same words to the same place are one action:
    a second click or a retry finds the first one's outcome and sends nothing."""
    case = deps.cases.case(draft.case_id)
    refused = _refusal(case, draft)
    if refused is not None or case is None:
        return refused or ReplyRefused(ReplyRefusal.NOT_FOUND, draft.case_id)
    held = _held_by_other(draft, deps)
    if held is not None:
        return held
    return _send(case, draft, deps)


def _untrue(case: Case, draft: ReplyDraft, deps: ReplyDependencies) -> ReplyRefused | None:
    """Public words may say a private message went only once one has."""
    config = deps.outbound.config
    phrases = [p for ps in config.private_message_claims.values() for p in ps]
    triage = case.triage
    suggested = (triage.public_reply, triage.private_reply) if triage else (None, None)
    if not claims_a_private_message(draft, phrases, *suggested):
        return None
    if deps.console.private_reply_sent(case.id):
        return None
    return ReplyRefused(ReplyRefusal.CLAIMS_PRIVATE, case.id)


def _send(case: Case, draft: ReplyDraft, deps: ReplyDependencies) -> ReplySent | ReplyRefused:
    untrue = _untrue(case, draft, deps)
    if untrue is not None:
        return untrue
    kind = (
        OutboundKind.PUBLIC_REPLY if draft.visibility is Visibility.PUBLIC else private_kind(case)
    )
    action = action_on(
        case,
        kind,
        draft.text,
        origin=Origin.SOCIAL_TEAM,
        actor=draft.author,
        purpose=reply_purpose(draft),
    )
    outcome = send_on(case, action, deps.outbound)
    if outcome is None:
        return ReplyRefused(ReplyRefusal.NO_ADDRESS, case.id)
    now = deps.clock()
    deps.console.record(
        case.id,
        "console_reply",
        now,
        draft.author,
        visibility=draft.visibility.value,
        result=outcome.result.value,
        outbound_action=outcome.action_id,
        saved_reply=draft.saved_reply_id,
    )
    if outcome.delivered or outcome.result is Result.UNCERTAIN:
        deps.console.release(case.id, draft.author)  # the holder's send ends the claim
    _audit(deps, draft.author, "reply", case.id, f"{draft.visibility.value} {outcome.result}")
    return ReplySent(case.id, kind, outcome)


def _refusal(case: Case | None, draft: ReplyDraft) -> ReplyRefused | None:
    if case is None:
        return ReplyRefused(ReplyRefusal.NOT_FOUND, draft.case_id)
    if case.closed:
        return ReplyRefused(ReplyRefusal.CLOSED, case.id)
    if not draft.text.strip():
        return ReplyRefused(ReplyRefusal.EMPTY, case.id)
    if len(draft.text) > MAX_REPLY:
        return ReplyRefused(ReplyRefusal.TOO_LONG, case.id)
    if draft.visibility is Visibility.PUBLIC and not case.public:
        return ReplyRefused(ReplyRefusal.NO_PUBLIC_PLACE, case.id)
    if case.reply_to is None:
        return ReplyRefused(ReplyRefusal.NO_ADDRESS, case.id)
    return None


def _held_by_other(draft: ReplyDraft, deps: ReplyDependencies) -> ReplyHeld | None:
    """Claims (or extends) the case for the draft's author; someone else's live claim
    refuses the send, naming them."""
    try:
        held: Lease | None = deps.console.claim(draft.case_id, draft.author, deps.clock())
    except LookupError:
        return None  # closed between the read and now: the outbound rules decide
    return ReplyHeld(draft.case_id, held.holder, held.until) if held else None


def _with_saved_text(draft: ReplyDraft, deps: ReplyDependencies) -> ReplyDraft | ReplyRefused:
    if draft.text.strip() or not draft.saved_reply_id:
        return replace(draft, text=draft.text.strip())
    saved = None
    if deps.saved is not None:
        saved = deps.saved.text_for(draft.saved_reply_id, draft.case_id, draft.language)
    if saved is None:
        return ReplyRefused(ReplyRefusal.UNKNOWN_SAVED_REPLY, draft.case_id)
    return replace(draft, text=saved.strip())


def _audit(deps: ReplyDependencies, username: str, action: str, case_id: str, detail: str) -> None:
    deps.audit.record(AuditEntry(username, action, utc_iso(deps.clock()), case_id, detail))
