"""Sending an outbound action at most once, whatever the platform answers (the use case
with in-memory fakes; the stack tests prove the DynamoDB store keeps the same promises)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from socialcare.app.outbound import ACCESS_PROBLEM, Result, deliver
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind, OutboundStatus
from socialcare.domain.platform_errors import (
    CannotTell,
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)
from tests.outbound_fakes import (
    NOW,
    InMemoryOutboundStore,
    ScriptedPlatform,
    a_conversation,
    an_action,
    outbound_dependencies,
)


def test_an_action_is_sent_once_and_a_second_request_finds_it_sent():
    # Given a reply the platform accepts
    platform = ScriptedPlatform(["reply_1"])
    deps = outbound_dependencies(platform=platform)
    action = an_action()
    # When it is asked for twice (a second click, a retried invocation)
    first = deliver(action, a_conversation(), deps)
    second = deliver(action, a_conversation(), deps)
    # Then the platform was called once and both say sent, with its id
    assert (first.result, first.message_id) == (Result.SENT, "reply_1")
    assert (second.result, second.message_id) == (Result.SENT, "reply_1")
    assert platform.calls == 1
    assert deps.store.kinds() == ["outbound_sent"]
    assert "first_public_response_at" in deps.store.case_fields[action.case_id]


def test_a_rate_limit_is_waited_out_then_sent():
    # Given a platform that answers 429 with retry_after 2, then accepts
    platform = ScriptedPlatform([PlatformBusy(2), "m_1"])
    deps = outbound_dependencies(platform=platform)
    # When the action is delivered
    outcome = deliver(an_action(), a_conversation(), deps)
    # Then it waited as told and was sent on the second call
    assert outcome.result is Result.SENT
    assert deps.sleeps == [2]
    assert platform.calls == 2


def test_a_long_rate_limit_defers_and_the_next_request_sends_it_once():
    # Given a platform blocked for ten minutes (Meta's estimated time to regain access)
    platform = ScriptedPlatform([PlatformBusy(600), "m_2"])
    deps = outbound_dependencies(platform=platform)
    action = an_action()
    # When it is delivered now, and again once the ten minutes are over
    first = deliver(action, a_conversation(), deps)
    later = outbound_dependencies(deps.store, platform, clock=lambda: NOW + timedelta(minutes=10))
    second = deliver(action, a_conversation(), later)
    # Then the first waits for nobody (deferred, surely not sent), the second sends it
    assert first.result is Result.DEFERRED
    assert deps.sleeps == []
    assert second.result is Result.SENT
    assert len(platform.done) == 1
    assert deps.store.records[action.id].attempts == 2


def test_platform_errors_that_did_nothing_are_retried_with_backoff_then_deferred():
    # Given a platform down for every call of this invocation
    platform = ScriptedPlatform([PlatformFailed("500")] * 3)
    deps = outbound_dependencies(platform=platform)
    action = an_action()
    # When the action is delivered
    outcome = deliver(action, a_conversation(), deps)
    # Then three calls with growing waits, and it is left to retry (nothing on the timeline)
    assert outcome.result is Result.DEFERRED
    assert deps.sleeps == [1.0, 2.0]
    assert deps.store.records[action.id].status is OutboundStatus.RETRY
    assert deps.store.kinds() == []


def test_a_timeout_is_checked_on_the_platform_and_never_resent_when_it_went_out():
    # Given a reply whose answer never came back, though the platform posted it
    platform = ScriptedPlatform([FateUnknown("timeout")], found=["reply_9"])
    deps = outbound_dependencies(platform=platform)
    # When it is delivered
    outcome = deliver(an_action(), a_conversation(), deps)
    # Then the platform's own list of replies shows it: sent, with one call only
    assert (outcome.result, outcome.message_id) == (Result.SENT, "reply_9")
    assert platform.calls == 1


def test_a_timeout_the_platform_shows_was_not_done_is_sent_again():
    # Given a hide whose answer never came back, and the comment still visible
    platform = ScriptedPlatform([FateUnknown("timeout"), "c_1"], found=[None])
    deps = outbound_dependencies(platform=platform)
    # When it is delivered
    outcome = deliver(an_action(OutboundKind.HIDE, text=None), a_conversation(), deps)
    # Then it is asked again, once
    assert outcome.result is Result.SENT
    assert platform.calls == 2


def test_a_timeout_where_the_platform_cannot_tell_is_uncertain_and_never_resent():
    # Given a Telegram message whose answer never came back (a bot cannot read its chat)
    platform = ScriptedPlatform([FateUnknown("timeout")], found=[CannotTell("telegram")])
    deps = outbound_dependencies(platform=platform)
    action = an_action(OutboundKind.MESSAGE, Channel.TELEGRAM, purpose="reply:x")
    # When it is delivered, and again
    first = deliver(action, a_conversation(), deps)
    second = deliver(action, a_conversation(), deps)
    # Then it is uncertain, on the timeline and for the social team, and sent no more
    assert first.result is Result.UNCERTAIN
    assert second.result is Result.UNCERTAIN
    assert platform.calls == 1
    assert deps.store.kinds() == ["outbound_uncertain"]
    assert [r.id for r in deps.store.unreported_uncertain()] == [action.id]


def test_a_claim_abandoned_mid_call_is_checked_never_blindly_resent():
    # Given an action claimed by an invocation that died during its call
    store = InMemoryOutboundStore()
    deps = outbound_dependencies(store=store)
    action = an_action()
    store.claim_outbound(action, {}, NOW - timedelta(minutes=10), 120)
    platform = ScriptedPlatform(found=[CannotTell("x")])
    deps.platforms = platform
    # When a later invocation delivers it
    outcome = deliver(action, a_conversation(), deps)
    # Then it asks the platform instead of sending: uncertain, no call
    assert outcome.result is Result.UNCERTAIN
    assert platform.calls == 0


def test_a_claim_still_being_sent_is_left_alone():
    # Given an action another invocation is sending right now
    store = InMemoryOutboundStore()
    deps = outbound_dependencies(store=store)
    action = an_action()
    store.claim_outbound(action, {}, NOW, 120)
    # When it is delivered again
    outcome = deliver(action, a_conversation(), deps)
    # Then nothing is sent
    assert outcome.result is Result.DEFERRED
    assert deps.platforms.calls == 0


def test_a_refusal_is_recorded_and_not_retried():
    # Given a platform that says the comment was replied to privately already
    platform = ScriptedPlatform([PlatformRefused("10900", "Activity already replied to")])
    deps = outbound_dependencies(platform=platform)
    action = an_action(OutboundKind.PRIVATE_REPLY)
    # When it is delivered twice
    first = deliver(action, a_conversation(), deps)
    second = deliver(action, a_conversation(), deps)
    # Then it is refused once, with the platform's reason
    assert first.result is Result.REFUSED and "10900" in (first.reason or "")
    assert second.result is Result.REFUSED
    assert platform.calls == 1


def test_what_a_rule_blocks_is_never_sent_and_the_case_says_why():
    # Given a Messenger message two days after the customer last wrote
    deps = outbound_dependencies()
    action = an_action(OutboundKind.MESSAGE, Channel.MESSENGER)
    # When it is delivered
    outcome = deliver(action, a_conversation(hours_ago=48), deps)
    # Then nothing is called and the timeline says why
    assert outcome.result is Result.BLOCKED
    assert "24 h" in (outcome.reason or "")
    assert deps.platforms.calls == 0
    assert deps.store.kinds() == ["outbound_blocked"]


def test_a_dry_run_records_the_request_once_and_calls_nothing():
    # Given a stack in dry_run
    deps = outbound_dependencies(mode="dry_run")
    action = an_action()
    # When an action is delivered twice
    first = deliver(action, a_conversation(), deps)
    deliver(action, a_conversation(), deps)
    # Then it is recorded as it would have gone, once, and nothing is sent
    assert first.result is Result.DRY_RUN and first.delivered
    assert deps.platforms.calls == 0
    assert deps.store.events == [
        (
            action.case_id,
            "outbound_dry_run",
            {"kind": "public_reply", "mode": "comment_reply", "text": action.text},
        )
    ]


def test_one_public_reply_per_comment_whoever_asks_but_messages_per_purpose():
    # Given the automatic notice and the social team's reply on one comment
    notice = an_action(purpose="auto")
    published = replace(notice, purpose="publish", text="Otra respuesta")
    # Then they are the same action (one public reply per comment) ...
    assert notice.id == published.id
    # ... while two departments' messages in one chat are two
    first = an_action(OutboundKind.MESSAGE, Channel.TELEGRAM, purpose="reply:a")
    second = replace(first, purpose="reply:b")
    assert first.id != second.id


def test_a_timeout_the_platform_cannot_be_asked_about_now_is_asked_again_before_any_resend():
    # Given a reply whose answer never came back, and a platform too busy to be asked
    platform = ScriptedPlatform([FateUnknown("timeout")], found=[PlatformFailed("500"), "reply_3"])
    deps = outbound_dependencies(platform=platform)
    action = an_action()
    # When it is delivered, and again later
    first = deliver(action, a_conversation(), deps)
    second = deliver(action, a_conversation(), deps)
    # Then the second asks first, finds it, and never posts it again
    assert first.result is Result.DEFERRED
    assert deps.store.records[action.id].status is OutboundStatus.SENT
    assert (second.result, second.message_id) == (Result.SENT, "reply_3")
    assert platform.calls == 1


def test_a_second_private_reply_to_a_comment_is_blocked_not_taken_for_sent():
    # Given the automatic follow-up went out as the comment's one private reply
    platform = ScriptedPlatform(["m_auto"])
    deps = outbound_dependencies(platform=platform)
    automatic = an_action(OutboundKind.PRIVATE_REPLY, purpose="auto")
    deliver(automatic, a_conversation(), deps)
    # When a department then replies privately to the same comment
    department = replace(automatic, purpose="reply:link", text="Le llamamos mañana")
    outcome = deliver(department, a_conversation(), deps)
    # Then it is not claimed as sent: blocked, with the reason, and nothing called
    assert outcome.result is Result.BLOCKED and "auto" in (outcome.reason or "")
    assert platform.calls == 1


def test_a_token_the_platform_no_longer_takes_defers_with_an_alarm_and_a_later_call_sends():
    # Given a platform that refuses the brand's token once (expired), then takes it
    platform = ScriptedPlatform([PlatformTokenInvalid("facebook", TokenProblem.REJECTED), "m_7"])
    deps = outbound_dependencies(platform=platform)
    action = an_action()
    # When the action is delivered, and again once the token is renewed
    first = deliver(action, a_conversation(), deps)
    # Then the first is deferred (not refused), said as a token problem, with the alarm
    assert (first.result, first.code) == (Result.DEFERRED, ACCESS_PROBLEM)
    assert deps.store.records[action.id].status is OutboundStatus.RETRY
    assert deps.alarm.raised == [("facebook", "rejected")]
    assert deps.sleeps == []  # a token does not fix itself in seconds: no retry now
    # And the next attempt sends it, once
    second = deliver(action, a_conversation(), deps)
    assert (second.result, second.message_id) == (Result.SENT, "m_7")
    assert platform.calls == 2
    assert deps.store.kinds() == ["outbound_sent"]


def test_a_token_problem_while_asking_about_a_timeout_is_asked_again_before_any_resend():
    # Given a reply whose answer never came back, and a token refused while asking
    invalid = PlatformTokenInvalid("facebook", TokenProblem.REJECTED)
    platform = ScriptedPlatform([FateUnknown("timeout")], found=[invalid, "reply_9"])
    deps = outbound_dependencies(platform=platform)
    action = an_action()
    # When it is delivered, and again later
    first = deliver(action, a_conversation(), deps)
    second = deliver(action, a_conversation(), deps)
    # Then the first is deferred with the alarm, its fate still to be asked; the second
    # asks first, finds it, and never posts it again
    assert (first.result, first.code) == (Result.DEFERRED, ACCESS_PROBLEM)
    assert deps.alarm.raised == [("facebook", "rejected")]
    assert (second.result, second.message_id) == (Result.SENT, "reply_9")
    assert platform.calls == 1
