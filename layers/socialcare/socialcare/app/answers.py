"""Answers on a case: the actions a case allows (where its customer can be answered) and
those config sends by itself after triage."""

from __future__ import annotations

from datetime import datetime

from socialcare.app.outbound import OutboundDependencies, Outcome, Result, deliver
from socialcare.domain.calendar import BusinessCalendar
from socialcare.domain.cases import Case
from socialcare.domain.languages import customer_languages
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import Origin, OutboundAction, OutboundKind
from socialcare.domain.outbound_rules import Conversation, automatic_steps, x_reply_text
from socialcare.domain.truthful_replies import PrivateFate, public_words, without_private


def conversation_of(case: Case) -> Conversation:
    first = case.first_message_at or case.created_at
    last = case.last_message_at or first
    category = case.triage.category if case.triage else None
    return Conversation(
        category=category,
        first_message_at=_at(first),
        last_message_at=_at(last),
        languages=customer_languages(case),
    )


def private_kind(case: Case) -> OutboundKind:
    """A public comment or mention is answered privately once (its private reply); a
    private conversation gets messages."""
    return OutboundKind.PRIVATE_REPLY if case.public else OutboundKind.MESSAGE


def action_on(
    case: Case,
    kind: OutboundKind,
    text: str | None,
    *,
    origin: Origin,
    actor: str,
    purpose: str = "",
) -> OutboundAction | None:
    """None when the case keeps no platform ids to answer to (cases recorded before)."""
    if case.reply_to is None:
        return None
    channel = Channel(case.channel)
    if kind is OutboundKind.PUBLIC_REPLY and channel is Channel.X_MENTION and text:
        text = x_reply_text(text, case.author.handle)
    return OutboundAction(
        case_id=case.id,
        kind=kind,
        channel=channel,
        target=case.reply_to,
        text=text,
        origin=origin,
        actor=actor,
        purpose=purpose,
    )


def send_on(
    case: Case, action: OutboundAction | None, deps: OutboundDependencies
) -> Outcome | None:
    return deliver(action, conversation_of(case), deps) if action else None


def fate_of(private: Outcome) -> PrivateFate:
    """A private reply's fate, as the public words may speak of it."""
    if private.delivered:
        return PrivateFate.SENT
    if private.result in (Result.BLOCKED, Result.REFUSED):
        return PrivateFate.NOT_SENT
    return PrivateFate.UNKNOWN


def automatic_answers(
    case: Case, deps: OutboundDependencies, calendar: BusinessCalendar
) -> list[Outcome]:
    """What config/outbound.yaml sends by itself for this triaged case, in order: the
    comment hidden first, then the private follow-up, and the notice saying so only once
    it is hidden, promising the private message only once it went."""
    triage = case.triage
    if triage is None or case.reply_to is None:
        return []
    steps = automatic_steps(
        deps.config,
        flags=triage.flags,
        category=triage.category,
        channel=Channel(case.channel),
        now=deps.clock(),
        calendar=calendar,
    )
    outcomes: list[Outcome] = []
    hidden = "hide" not in steps
    # Every notice says "we are writing to you privately": without the follow-up, none went.
    private = PrivateFate.NOT_SENT
    for step in steps:
        if step == "hide":
            kind, text = OutboundKind.HIDE, None
        elif step == "public_notice":
            if not hidden:  # never say it was hidden when it is not
                continue
            kind = OutboundKind.PUBLIC_REPLY
            written = triage.hidden_notice if "hide" in steps else triage.public_reply
            instead = without_private(deps.config, case.language, case.author.display_name)
            text = public_words(private, written=written or "", without_private=instead)
        else:
            kind, text = private_kind(case), triage.followup or triage.private_reply
        action = action_on(
            case,
            kind,
            text,
            origin=Origin.AUTOMATIC,
            actor="socialcare (automatic)",
            purpose="auto",
        )
        outcome = send_on(case, action, deps)
        if outcome is None:
            continue
        outcomes.append(outcome)
        if step == "hide":
            hidden = outcome.delivered
        if step == "private_followup":
            private = fate_of(outcome)
        if outcome.result is Result.DEFERRED:
            break  # the rest follows in order when the record is retried
    return outcomes


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))
