"""Replies from the console, over fakes: one send per reply whatever the clicks and
retries, the 10-minute claim that refuses a second person naming the holder, approvals
before the send when approvals.yaml asks, and words that say what really happened."""

from __future__ import annotations

from datetime import timedelta

from socialcare.app.console_replies import (
    Claimed,
    ReplyHeld,
    ReplyRefusal,
    ReplyRefused,
    ReplySent,
    ReplySubmitted,
    claim,
    reply,
    send_reply,
)
from socialcare.app.outbound import Result
from socialcare.domain.cases import TriageRecord
from socialcare.domain.console_actions import LEASE_SECONDS
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.outbound import OutboundKind
from socialcare.domain.platform_errors import FateUnknown, PlatformRefused
from tests.outbound_fakes import NOW, ScriptedPlatform
from tests.unit.console.actions_fakes import (
    CASE_ID,
    ScriptedApprovals,
    an_open_case,
    reply_dependencies,
)


def a_draft(text: str = "Lo sentimos, ya lo revisamos", **fields) -> ReplyDraft:
    values = {"visibility": Visibility.PUBLIC, "author": "ana"}
    values.update(fields)
    return ReplyDraft(CASE_ID, text, **values)


def test_a_public_reply_goes_once_however_often_it_is_clicked():
    # Given a public case and the platform
    platform = ScriptedPlatform()
    deps = reply_dependencies(platform=platform)
    # When ana clicks "send" twice (or her request is retried)
    first = reply(a_draft(), deps)
    second = reply(a_draft(), deps)
    # Then the platform was called once, and both say it was sent, with one message id
    assert platform.calls == 1
    assert isinstance(first, ReplySent) and first.outcome.result is Result.SENT
    assert isinstance(second, ReplySent) and second.outcome.result is Result.SENT
    assert first.kind is OutboundKind.PUBLIC_REPLY
    assert second.outcome.action_id == first.outcome.action_id
    # And the timeline and the audit name who sent it
    assert deps.console.events[0][1] == "console_reply"
    assert deps.console.events[0][2]["by"] == "ana"
    assert [e.action for e in deps.audit.entries] == ["reply", "reply"]


def test_a_private_reply_on_a_private_conversation_is_a_message():
    deps = reply_dependencies(an_open_case(public=False, channel="telegram", platform="telegram"))
    sent = reply(a_draft(visibility=Visibility.PRIVATE), deps)
    assert isinstance(sent, ReplySent) and sent.kind is OutboundKind.MESSAGE
    assert sent.delivered


def test_a_public_reply_on_a_private_conversation_is_refused_and_nothing_goes():
    platform = ScriptedPlatform()
    deps = reply_dependencies(an_open_case(public=False), platform=platform)
    assert reply(a_draft(), deps) == ReplyRefused(ReplyRefusal.NO_PUBLIC_PLACE, CASE_ID)
    assert platform.calls == 0


def test_a_second_person_is_refused_while_the_first_holds_the_case_naming_her():
    # Given ana started a reply (she claimed the case)
    platform = ScriptedPlatform()
    deps = reply_dependencies(platform=platform)
    claimed = claim(CASE_ID, "ana", deps)
    assert claimed == Claimed(CASE_ID, int(NOW.timestamp()) + LEASE_SECONDS)
    # When luis sends a reply on it
    refused = reply(a_draft("Otra respuesta", author="luis"), deps)
    # Then nothing went, and he is told ana holds it
    assert refused == ReplyHeld(CASE_ID, "ana", int(NOW.timestamp()) + LEASE_SECONDS)
    assert platform.calls == 0
    # And ana's own send goes and releases the claim: luis may write now
    assert reply(a_draft(), deps).delivered
    assert deps.console.lease(CASE_ID) is None
    assert isinstance(claim(CASE_ID, "luis", deps), Claimed)


def test_an_expired_claim_is_free():
    now = [NOW]
    deps = reply_dependencies(clock=lambda: now[0])
    claim(CASE_ID, "ana", deps)
    now[0] = NOW + timedelta(seconds=LEASE_SECONDS + 1)
    assert reply(a_draft(author="luis"), deps).delivered


def test_a_claim_on_a_closed_or_unknown_case_is_refused():
    closed = reply_dependencies(an_open_case(closed_at="2026-11-24T09:30:00Z"))
    assert claim(CASE_ID, "ana", closed) == ReplyRefused(ReplyRefusal.CLOSED, CASE_ID)
    assert claim("20261124-ffffffffffffffff", "ana", closed).reason is ReplyRefusal.NOT_FOUND


def test_a_reply_that_needs_approval_waits_for_an_approver_and_nothing_goes():
    # Given approvals.yaml asks an approver for this reply
    platform = ScriptedPlatform()
    approvals = ScriptedApprovals(("authority_mentioned",))
    deps = reply_dependencies(platform=platform, approvals=approvals)
    # When ana sends it
    outcome = reply(a_draft(), deps)
    # Then it waits (the approvals area records it), and her claim is released
    assert outcome == ReplySubmitted(CASE_ID, "approval-1", ("authority_mentioned",))
    assert platform.calls == 0
    assert approvals.submitted == [a_draft()]
    assert deps.console.lease(CASE_ID) is None
    # And the approval's send (send_reply) goes once
    approved = send_reply(a_draft(), deps)
    assert isinstance(approved, ReplySent) and approved.delivered and platform.calls == 1


def test_a_dry_run_says_so_and_sends_nothing():
    platform = ScriptedPlatform()
    deps = reply_dependencies(platform=platform, mode="dry_run")
    outcome = reply(a_draft(), deps)
    assert isinstance(outcome, ReplySent) and outcome.outcome.result is Result.DRY_RUN
    assert platform.calls == 0


def test_a_refusal_by_the_platform_is_not_called_sent_and_keeps_the_claim():
    deps = reply_dependencies(
        platform=ScriptedPlatform([PlatformRefused("100", "comment deleted")])
    )
    outcome = reply(a_draft(), deps)
    assert isinstance(outcome, ReplySent) and outcome.outcome.result is Result.REFUSED
    assert not outcome.delivered
    assert deps.console.lease(CASE_ID).holder == "ana"


def test_a_send_whose_fate_is_unknown_is_never_repeated_on_retry():
    # Given the platform took the reply but the answer was lost
    platform = ScriptedPlatform([FateUnknown("timeout")])
    deps = reply_dependencies(platform=platform)
    first = reply(a_draft(), deps)
    # When ana presses send again
    second = reply(a_draft(), deps)
    # Then it is uncertain both times, and it was posted once
    assert first.outcome.result is Result.UNCERTAIN
    assert second.outcome.result is Result.UNCERTAIN
    assert len(platform.done) == 1


def test_a_saved_reply_gives_its_words_when_none_were_written():
    platform = ScriptedPlatform()
    deps = reply_dependencies(platform=platform)
    sent = reply(a_draft("", saved_reply_id="thanks"), deps)
    assert sent.delivered and platform.done[0].text.endswith(f"el caso {CASE_ID}.")
    unknown = reply(a_draft("", saved_reply_id="nope"), deps)
    assert unknown == ReplyRefused(ReplyRefusal.UNKNOWN_SAVED_REPLY, CASE_ID)


def test_empty_and_too_long_replies_are_refused():
    deps = reply_dependencies()
    assert reply(a_draft("   "), deps).reason is ReplyRefusal.EMPTY
    assert reply(a_draft("x" * 5000), deps).reason is ReplyRefusal.TOO_LONG


def test_public_words_saying_we_wrote_privately_wait_until_a_private_message_went():
    # Given a public case whose suggested public reply follows a suggested private one
    platform = ScriptedPlatform()
    triage = TriageRecord(public_reply="Te hemos escrito por privado.", private_reply="Hola")
    deps = reply_dependencies(an_open_case(triage=triage), platform=platform)
    # When ana sends the suggested public reply first
    refused = reply(a_draft("Te hemos escrito por privado."), deps)
    # Then nothing goes: the words would not be true yet
    assert refused == ReplyRefused(ReplyRefusal.CLAIMS_PRIVATE, CASE_ID)
    assert platform.calls == 0
    # And once a private message reached the customer, the same words go
    deps.console.private_sent.add(CASE_ID)
    assert reply(a_draft("Te hemos escrito por privado."), deps).delivered
