"""The emulator answers X and Telegram as they document it (problem JSON with `type` and
`status`; X's 15-minute and 24-hour rate headers; Telegram's `ok: false`, `error_code`,
`description`, `parameters`), and can act on a POST then answer 5xx: the adapters, and
the outbound use case behind them, are shown to keep their promises against it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from socialcare.adapters.platform_api.http import HttpClient
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.adapters.platform_api.x import XApi
from socialcare.adapters.platform_api.x_tokens import XTokens
from socialcare.app.outbound import Result, deliver
from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.domain.outbound import (
    Delivery,
    DeliveryMode,
    OutboundKind,
    OutboundStatus,
    OutboundTarget,
)
from socialcare.domain.platform_errors import (
    PlatformBusy,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)
from socialcare_cli.local.platform_emulator import PlatformEmulator
from tests.outbound_fakes import RecordedAlarms, a_conversation, an_action, outbound_dependencies
from tests.token_fakes import ContainerTokens, InMemoryLock, SharedSecret

CHAT = "5123"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    emulator = PlatformEmulator().start()
    yield emulator
    emulator.stop()


def _x(emulator: PlatformEmulator) -> XApi:
    http = HttpClient(read_timeout=0.5)
    tokens = ContainerTokens(SharedSecret(emulator.tokens))
    x_tokens = XTokens(http, emulator.url, tokens, InMemoryLock(time.time), RecordedAlarms())
    return XApi(http, emulator.url, x_tokens)


def _telegram(emulator: PlatformEmulator) -> TelegramApi:
    tokens = ContainerTokens(SharedSecret(emulator.tokens))
    return TelegramApi(HttpClient(read_timeout=0.5), emulator.url, tokens)


def _deliver(api, action):
    deps = outbound_dependencies(platform=api)
    return deliver(action, a_conversation(), deps), deps


def _x_reply(text: str = "@ana Hola Ana, lo miramos.", post: str = "1861"):
    target = OutboundTarget(account_id="99", message_id=post, author_id="42")
    return an_action(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text=text, target=target)


def _x_dm(text: str):
    target = OutboundTarget(account_id="99", message_id="e1", conversation_id="42", author_id="42")
    return an_action(OutboundKind.MESSAGE, Channel.X_DM, text=text, target=target)


def _telegram_message(chat: str = CHAT):
    target = OutboundTarget(account_id="bot", message_id="7", conversation_id=chat, author_id=chat)
    return an_action(OutboundKind.MESSAGE, Channel.TELEGRAM, text="Hola Nuria.", target=target)


def _customer_wrote_on_telegram(emulator: PlatformEmulator, chat: str = CHAT) -> None:
    at = datetime.now(UTC) - timedelta(minutes=5)
    emulator.state.learn(
        [
            InboundMessage.on(
                Channel.TELEGRAM,
                text="hola",
                author=Author(id=chat),
                dedup_key=f"{chat}-7",
                reply_to=ReplyTarget(account_id="bot", message_id="7", conversation_id=chat),
                sent_at=at,
                received_at=at,
            )
        ]
    )


def _errors(emulator: PlatformEmulator) -> list[dict]:
    return [c["error"] for c in emulator.calls_made() if "error" in c]


# --- acted, then 5xx ------------------------------------------------------------------------


def test_an_x_reply_x_posted_then_answered_503_is_uncertain_and_posted_once(emulator):
    # Given X that posts the reply, then answers 503 (and refuses a duplicate)
    emulator.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When the reply is delivered
    outcome, deps = _deliver(_x(emulator), _x_reply())
    # Then X holds it once, and the case says uncertain, for the social team to check
    assert [s["kind"] for s in emulator.state.sent] == ["tweet_reply"]
    assert outcome.result is Result.UNCERTAIN
    assert deps.store.records[outcome.action_id].status is OutboundStatus.UNCERTAIN
    [call] = emulator.calls_made()
    assert call["status"] == 503 and call["fault"] == "acted_then_5xx"


def test_a_telegram_message_sent_then_answered_502_is_uncertain_and_sent_once(emulator):
    # Given a chat, and a Bot API gateway that answers 502 after the message went
    _customer_wrote_on_telegram(emulator)
    emulator.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When a message is delivered
    outcome, _ = _deliver(_telegram(emulator), _telegram_message())
    # Then the chat got it once, and it is uncertain
    assert len(emulator.state.sent) == 1
    assert outcome.result is Result.UNCERTAIN
    [call] = emulator.calls_made()
    assert call["status"] == 502


# --- X's error bodies and rate headers ------------------------------------------------------


def test_x_errors_are_problem_json_with_type_and_status(emulator):
    # Given X's rules: 280 weighted characters, no duplicate posts
    api = _x(emulator)
    # When a post too long (past the outbound rules: sent as is), then a post twice
    with pytest.raises(PlatformRefused):
        api.send(_delivery(_x_reply("a" * 281)))
    _deliver(api, _x_reply("@ana una vez"))
    _deliver(api, _x_reply("@ana una vez", post="1862"))
    # Then each refusal is problem JSON: type, title, detail, status
    too_long, duplicate = _errors(emulator)
    assert too_long["type"] == "https://api.x.com/2/problems/invalid-request"
    assert too_long["status"] == 400 and too_long["title"] == "Invalid Request"
    assert duplicate == {
        "title": "Forbidden",
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "status": 403,
    }


def test_every_x_answer_carries_its_15_minute_window(emulator):
    # When a reply is posted
    _deliver(_x(emulator), _x_reply())
    # Then the answer said the window's limit, what is left, and when it resets
    headers = emulator.calls_made()[0]["headers"]
    assert headers["x-rate-limit-limit"] == "100"
    assert headers["x-rate-limit-remaining"] == "99"
    assert 0 < int(headers["x-rate-limit-reset"]) - time.time() <= 900


def test_a_brand_past_its_24_hour_cap_waits_for_the_cap_not_the_window(emulator):
    # Given a brand whose X user may post twice a day (X's per-user 24-hour cap)
    emulator.x_rules.user_cap_24h = 2
    api = _x(emulator)
    _deliver(api, _x_reply("@ana uno"))
    _deliver(api, _x_reply("@ana dos"))
    # When a third reply is sent
    with pytest.raises(PlatformBusy) as busy:
        api.send(_delivery(_x_reply("@ana tres")))
    # Then X answered 429 in its shape, with both windows' headers, and the reply waits
    # about a day (the cap), not the 15-minute window that still has calls left
    last = emulator.calls_made()[-1]
    assert last["status"] == 429
    assert last["error"]["type"] == "about:blank" and last["error"]["status"] == 429
    assert last["headers"]["x-rate-limit-remaining"] == "98"
    assert last["headers"]["x-user-limit-24hour-remaining"] == "0"
    assert 86_000 < busy.value.retry_after <= 86_400
    assert len(emulator.state.sent) == 2


def test_a_direct_message_past_its_15_minute_window_is_refused_429(emulator):
    # Given the 15-minute windows enforced (X: 15 DMs per user per 15 minutes)
    emulator.x_rules.enforce_windows = True
    api = _x(emulator)
    for n in range(15):
        api.send(_delivery(_x_dm(f"Hola {n}")))
    # When a 16th is sent, Then X says wait for the window's reset
    with pytest.raises(PlatformBusy) as busy:
        api.send(_delivery(_x_dm("Hola 16")))
    assert 0 < busy.value.retry_after <= 900
    assert emulator.calls_made()[-1]["headers"]["x-rate-limit-remaining"] == "0"


def test_an_x_app_outside_a_project_is_answered_client_forbidden(emulator):
    # Given an app X does not let use v2 (not attached to a project)
    emulator.x_rules.client_forbidden = True
    # When a reply is sent, Then X's client-forbidden problem, read as an access problem
    with pytest.raises(PlatformTokenInvalid) as invalid:
        _x(emulator).send(_delivery(_x_reply()))
    assert invalid.value.problem is TokenProblem.NOT_ENROLLED
    [error] = _errors(emulator)
    assert error["type"] == "https://api.twitter.com/2/problems/client-forbidden"
    assert error["reason"] == "client-not-enrolled"


def test_a_reply_to_a_deleted_post_is_refused_as_x_refuses_it(emulator):
    # Given the customer deleted the post the brand answers
    emulator.x_rules.deleted.add("1861")
    # When the reply is delivered, Then refused for good, saying the post is gone
    outcome, _ = _deliver(_x(emulator), _x_reply())
    assert outcome.result is Result.REFUSED
    assert outcome.reason and outcome.reason.startswith("post_unavailable: ")
    assert emulator.state.sent == []


# --- Telegram -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("switch", "description", "code"),
    [
        ("blocked", "Forbidden: bot was blocked by the user", "blocked"),
        ("deactivated", "Forbidden: user is deactivated", "deactivated"),
    ],
)
def test_a_customer_who_blocked_the_bot_is_refused_once_in_telegrams_words(
    emulator, switch, description, code
):
    # Given a customer who wrote, then blocked the bot (or deleted their account)
    _customer_wrote_on_telegram(emulator)
    getattr(emulator.telegram_rules, switch).add(CHAT)
    # When a message is delivered
    outcome, _ = _deliver(_telegram(emulator), _telegram_message())
    # Then Telegram's exact answer, and a refusal with its code (not retried)
    assert _errors(emulator) == [{"ok": False, "error_code": 403, "description": description}]
    assert outcome.result is Result.REFUSED
    assert outcome.reason == f"{code}: {description}"


def test_a_group_upgraded_to_a_supergroup_gets_the_reply_in_the_supergroup(emulator):
    # Given a group chat that became supergroup -1001234567890
    _customer_wrote_on_telegram(emulator, chat="-4001")
    emulator.telegram_rules.migrate("-4001", -1001234567890, emulator.state)
    # When a reply is delivered to the group
    outcome, _ = _deliver(_telegram(emulator), _telegram_message(chat="-4001"))
    # Then Telegram said where the group went, and the reply is there, once
    [error] = _errors(emulator)
    assert error["parameters"] == {"migrate_to_chat_id": -1001234567890}
    assert [s["target"] for s in emulator.state.sent] == ["-1001234567890"]
    assert outcome.result is Result.SENT


def _delivery(action) -> Delivery:
    modes = {Channel.X_MENTION: DeliveryMode.TWEET_REPLY, Channel.X_DM: DeliveryMode.DIRECT_MESSAGE}
    return Delivery(action, modes[action.channel])
