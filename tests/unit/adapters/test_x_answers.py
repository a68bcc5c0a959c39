"""What X API v2 answers, as it documents it, read into the outbound port's outcomes: a
5xx to a POST may have acted (never resent), rate limits wait for the limit that binds
(the 24-hour caps), setup problems defer with an alarm, and a reply to a gone post is
refused with a clear reason.

The answers are scripted (one HTTP answer each) to pin each rule on its own; the
emulator's side of the same rules is in test_x_telegram_emulator.py, Telegram's answers
in test_telegram_answers.py."""

from __future__ import annotations

import pytest

from socialcare.adapters.platform_api.http import HttpAnswer
from socialcare.adapters.platform_api.x import XApi
from socialcare.adapters.platform_api.x_tokens import XTokens
from socialcare.app.outbound import Result, deliver
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import Delivery, DeliveryMode, OutboundKind, OutboundStatus
from socialcare.domain.platform_errors import (
    FateUnknown,
    PlatformBusy,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS
from tests.http_fakes import ScriptedHttp, answer
from tests.outbound_fakes import (
    NOW,
    RecordedAlarms,
    a_conversation,
    an_action,
    outbound_dependencies,
)
from tests.token_fakes import ContainerTokens, InMemoryLock, SharedSecret

T0 = NOW.timestamp()


class _Tokens:
    """A valid X access token (rotation is test_x_token_rotation.py's)."""

    def access_token(self) -> str:
        return "local-x-access-token"

    def renew(self, spent: str) -> str:
        return spent


def _x(*answers: HttpAnswer) -> tuple[XApi, ScriptedHttp]:
    http = ScriptedHttp(list(answers))
    return XApi(http, "https://api.x.com", _Tokens(), clock=lambda: T0), http  # type: ignore[arg-type]


def _x_reply() -> Delivery:
    action = an_action(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text="@ana Hola Ana.")
    return Delivery(action, DeliveryMode.TWEET_REPLY)


X_503 = {"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank"}


# --- item 8: a 5xx answer to a POST may have acted ------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_an_x_post_answered_5xx_may_have_been_done(status):
    # Given X answering a reply's POST with a 5xx (its docs: "wait and retry"; they do not
    # say the post was not made)
    api, _ = _x(answer(status, {**X_503, "status": status}))
    # When the reply is sent, Then its fate is unknown (never "surely not sent")
    with pytest.raises(FateUnknown):
        api.send(_x_reply())


def test_an_x_reply_answered_503_is_uncertain_and_never_posted_again():
    # Given X answering 503 to the reply's POST (it may have posted it), and a resend that
    # X would refuse as a duplicate
    duplicate = {
        "title": "Forbidden",
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "status": 403,
    }
    api, http = _x(answer(503, {**X_503, "status": 503}), answer(403, duplicate))
    deps = outbound_dependencies(platform=api)  # type: ignore[arg-type]
    # When the reply is delivered
    outcome = deliver(_x_reply().action, a_conversation(), deps)
    # Then it was posted at most once, and the case says uncertain (the team checks)
    assert len(http.requests) == 1
    assert outcome.result is Result.UNCERTAIN
    assert deps.store.records[outcome.action_id].status is OutboundStatus.UNCERTAIN


def test_x_refusing_a_duplicate_is_not_taken_for_a_refusal():
    # Given X refusing a post as a duplicate of one on the brand's timeline (this reply,
    # posted by an earlier attempt whose answer was lost, or the same words sent before)
    detail = "You are not allowed to create a Tweet with duplicate content."
    api, _ = _x(answer(403, {"title": "Forbidden", "detail": detail, "type": "about:blank"}))
    # When the reply is sent, Then it may be on X already: neither refused nor resent
    with pytest.raises(FateUnknown) as unknown:
        api.send(_x_reply())
    assert "duplicate" in str(unknown.value)


# --- item 12: X's rate limits, 15 minutes and 24 hours --------------------------------------


def test_an_x_429_waits_for_the_24_hour_cap_not_the_15_minute_window():
    # Given a 429 whose 15-minute window has calls left, and the user's 24-hour cap spent
    api, _ = _x(
        answer(
            429,
            {"title": "Too Many Requests", "type": "about:blank", "status": 429},
            x_rate_limit_limit="100",
            x_rate_limit_remaining="99",
            x_rate_limit_reset=str(int(T0) + 60),
            x_user_limit_24hour_limit="17",
            x_user_limit_24hour_remaining="0",
            x_user_limit_24hour_reset=str(int(T0) + 7200),
        )
    )
    # When a reply is sent, Then it waits until the 24-hour cap resets
    with pytest.raises(PlatformBusy) as busy:
        api.send(_x_reply())
    assert busy.value.retry_after == 7200


def test_an_x_429_with_several_limits_spent_waits_for_the_latest_reset():
    # Given the 15-minute window and the app's 24-hour cap both spent
    api, _ = _x(
        answer(
            429,
            None,
            x_rate_limit_remaining="0",
            x_rate_limit_reset=str(int(T0) + 30),
            x_app_limit_24hour_remaining="0",
            x_app_limit_24hour_reset=str(int(T0) + 3600),
        )
    )
    with pytest.raises(PlatformBusy) as busy:
        api.send(_x_reply())
    assert busy.value.retry_after == 3600


@pytest.mark.parametrize("reset", ["inf", "1e12", "12.5", "-3", "", "0x10"])
def test_an_x_429_with_a_reset_that_is_not_a_unix_time_waits_the_default(reset):
    # Given a 429 whose reset header is not a whole number of seconds
    api, _ = _x(answer(429, None, x_rate_limit_remaining="0", x_rate_limit_reset=reset))
    # When a reply is sent, Then the default wait (a minute), never an absurd one
    with pytest.raises(PlatformBusy) as busy:
        api.send(_x_reply())
    assert busy.value.retry_after == 60


# --- X's problem types ----------------------------------------------------------------------


def test_an_x_app_not_attached_to_a_project_defers_with_an_alarm_not_a_refusal():
    # Given X's answer to an app outside a project (or without the access tier)
    body = {
        "client_id": "123",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use "
        "keys and tokens from a Twitter developer App that is attached to a Project.",
        "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
        "title": "Client Forbidden",
        "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled",
        "type": "https://api.twitter.com/2/problems/client-forbidden",
    }
    api, _ = _x(answer(403, body))
    deps = outbound_dependencies(platform=api)  # type: ignore[arg-type]
    # When a reply is delivered
    outcome = deliver(_x_reply().action, a_conversation(), deps)
    # Then it waits for ops to fix the app (alarm), never refused for good
    assert outcome.result is Result.DEFERRED
    assert deps.store.records[outcome.action_id].status is OutboundStatus.RETRY
    assert deps.alarm.raised == [("x", TokenProblem.NOT_ENROLLED.value)]


def test_an_x_usage_cap_spent_defers_with_an_alarm():
    # Given X's usage cap answer (the project's posts or credits for the period spent)
    body = {
        "title": "UsageCapExceeded",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": "https://api.x.com/2/problems/usage-capped",
        "period": "Monthly",
        "scope": "Product",
    }
    api, _ = _x(answer(429, body))
    # When a reply is sent, Then the brand's access is the problem: ops must act
    with pytest.raises(PlatformTokenInvalid) as invalid:
        api.send(_x_reply())
    assert invalid.value.problem is TokenProblem.USAGE_CAPPED


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            403,
            {
                "title": "Forbidden",
                "detail": "You attempted to reply to a Tweet that is deleted or not visible "
                "to you.",
                "type": "about:blank",
                "status": 403,
            },
        ),
        (
            403,
            {
                "title": "Authorization Error",
                "detail": "Sorry, you are not authorized to see the Tweet with id: [1861].",
                "type": "https://api.x.com/2/problems/not-authorized-for-resource",
            },
        ),
        (
            404,
            {
                "title": "Not Found Error",
                "detail": "Could not find tweet with id: [1861].",
                "type": "https://api.x.com/2/problems/resource-not-found",
            },
        ),
    ],
)
def test_a_reply_to_a_deleted_or_protected_post_is_refused_saying_so(status, body):
    # Given X refusing a reply to a post that is gone or protected
    api, _ = _x(answer(status, body))
    # When the reply is sent, Then it is refused for good, saying why
    with pytest.raises(PlatformRefused) as refused:
        api.send(_x_reply())
    assert refused.value.code == "post_unavailable"
    assert body["detail"] in refused.value.reason


def test_a_token_refresh_answered_429_waits_for_the_limit_that_binds():
    # Given an access token about to expire, and X's token endpoint answering 429 with the
    # app's 24-hour cap spent
    secret = SharedSecret({**LOCAL_TOKENS, "x_token_expires_at": T0 + 30})
    capped = answer(
        429,
        None,
        x_rate_limit_remaining="5",
        x_rate_limit_reset=str(int(T0) + 60),
        x_app_limit_24hour_remaining="0",
        x_app_limit_24hour_reset=str(int(T0) + 5000),
    )
    http = ScriptedHttp([capped])
    tokens = XTokens(
        http,  # type: ignore[arg-type]
        "https://api.x.com",
        ContainerTokens(secret),
        InMemoryLock(lambda: T0),
        RecordedAlarms(),
        clock=lambda: T0,
    )
    # When a token is asked for, Then it waits until the cap resets, not a fixed minute
    with pytest.raises(PlatformBusy) as busy:
        tokens.access_token()
    assert busy.value.retry_after == 5000
