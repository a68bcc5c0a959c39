"""A platform's rate limit longer than one invocation can wait (X's 24-hour caps): the
action waits until the limit resets, without calling the platform again before then, and
the reader is told until when."""

from __future__ import annotations

from datetime import timedelta

from socialcare.app.outbound import RATE_LIMITED, Result, deliver
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind, OutboundStatus
from socialcare.domain.platform_errors import PlatformBusy
from socialcare.presentation.pages import outcome_line
from socialcare.presentation.rendering import strings
from tests.outbound_fakes import (
    NOW,
    InMemoryOutboundStore,
    ScriptedPlatform,
    a_conversation,
    an_action,
    outbound_dependencies,
)


def _reply():
    return an_action(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text="@ana Hola Ana.")


def test_an_action_rate_limited_for_hours_is_not_tried_again_before_the_limit_resets():
    # Given X's 24-hour cap, spent for two more hours, then lifted
    store, action = InMemoryOutboundStore(), _reply()
    platform = ScriptedPlatform([PlatformBusy(7200), "post_1"])

    def at(later: timedelta):
        deps = outbound_dependencies(store, platform, clock=lambda: NOW + later)
        return deliver(action, a_conversation(), deps)

    # When the reply is sent, again a minute later, and again once the cap reset
    first = at(timedelta(0))
    soon = at(timedelta(minutes=1))
    calls_before_reset = platform.calls
    after = at(timedelta(hours=2, seconds=1))
    # Then it waited without calling X in between, said until when, and went once after
    assert first.result is Result.DEFERRED and soon.result is Result.DEFERRED
    assert calls_before_reset == 1
    assert soon.code == RATE_LIMITED and soon.retry_at == NOW + timedelta(hours=2)
    assert after.result is Result.SENT and platform.calls == 2
    assert store.records[action.id].status is OutboundStatus.SENT


def test_a_short_rate_limit_is_still_waited_out_within_the_call():
    # Given a 429 with 2 seconds to wait (within the invocation's patience)
    platform = ScriptedPlatform([PlatformBusy(2), "post_1"])
    deps = outbound_dependencies(platform=platform)
    # When sent, Then it waited and sent, with no retry time recorded
    outcome = deliver(_reply(), a_conversation(), deps)
    assert outcome.result is Result.SENT and deps.sleeps == [2]


def test_the_reader_is_told_until_when_the_platform_limits_the_brand():
    # Given a reply deferred by a limit that resets at 12:00 UTC
    platform = ScriptedPlatform([PlatformBusy(7200)])
    outcome = deliver(_reply(), a_conversation(), outbound_dependencies(platform=platform))
    # When the page words it, Then it names the time, not "try again in a few minutes"
    line = outcome_line(strings("es"), OutboundKind.PUBLIC_REPLY, outcome)
    assert "12:00 UTC" in line and "unos minutos" not in line
