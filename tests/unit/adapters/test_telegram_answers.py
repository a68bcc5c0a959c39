"""What the Telegram Bot API answers, as it documents it, read into the outbound port's
outcomes: a 5xx may have sent the message (never resent), retry_after waits only as a
whole positive number, a migrated group is answered once at its supergroup, and a
customer who blocked the bot or left is refused with a clear reason.

The answers are scripted (one HTTP answer each); the emulator's side is in
test_x_telegram_emulator.py, X's answers in test_x_answers.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from socialcare.adapters.platform_api.http import HttpAnswer
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.app.outbound import Result, deliver
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import Delivery, DeliveryMode, OutboundKind
from socialcare.domain.platform_errors import FateUnknown, PlatformBusy, PlatformRefused
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS
from tests.http_fakes import ScriptedHttp, answer
from tests.outbound_fakes import a_conversation, an_action, outbound_dependencies
from tests.token_fakes import ContainerTokens, SharedSecret


def _telegram(*answers: HttpAnswer) -> tuple[TelegramApi, ScriptedHttp]:
    http = ScriptedHttp(list(answers))
    tokens = ContainerTokens(SharedSecret(LOCAL_TOKENS))
    return TelegramApi(http, "https://api.telegram.org", tokens), http  # type: ignore[arg-type]


def _telegram_message(chat: str = "5123") -> Delivery:
    action = an_action(OutboundKind.MESSAGE, Channel.TELEGRAM, text="Hola Nuria.")
    action = replace(action, target=replace(action.target, conversation_id=chat))
    return Delivery(action, DeliveryMode.CHAT_MESSAGE)


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_telegram_message_answered_5xx_may_have_been_sent(status):
    # Given the Bot API answering sendMessage 500 (TDLib's internal error) or 502/504
    # (the gateway in front of the Bot API server)
    api, _ = _telegram(answer(status, {"ok": False, "error_code": status}))
    # When the message is sent, Then its fate is unknown
    with pytest.raises(FateUnknown):
        api.send(_telegram_message())


@pytest.mark.parametrize("retry_after", [-3, True, "34", 2.5, None])
def test_a_telegram_429_without_a_whole_positive_retry_after_waits_the_default(retry_after):
    # Given flood control whose retry_after is not a positive Integer (the documented type)
    body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1"}
    api, _ = _telegram(answer(429, {**body, "parameters": {"retry_after": retry_after}}))
    # When a message is sent, Then the default wait: never negative, never from a string
    with pytest.raises(PlatformBusy) as busy:
        api.send(_telegram_message())
    assert busy.value.retry_after == 5


def test_a_telegram_429_waits_its_retry_after():
    body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 34"}
    api, _ = _telegram(answer(429, {**body, "parameters": {"retry_after": 34}}))
    with pytest.raises(PlatformBusy) as busy:
        api.send(_telegram_message())
    assert busy.value.retry_after == 34


def test_a_group_upgraded_to_a_supergroup_is_answered_at_its_new_chat_once():
    # Given a group Telegram says was upgraded to supergroup -1001234567890
    migrated = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1001234567890},
    }
    sent = {"ok": True, "result": {"message_id": 77, "chat": {"id": -1001234567890}}}
    api, http = _telegram(answer(400, migrated), answer(200, sent))
    # When a message is sent to the old group
    message_id = api.send(_telegram_message(chat="-4001"))
    # Then it went once more, to the supergroup
    assert message_id == "77"
    assert [r["body"]["chat_id"] for r in http.requests] == ["-4001", -1001234567890]


def test_a_supergroup_that_migrates_again_is_not_followed_twice():
    migrated = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1001234567890},
    }
    api, http = _telegram(answer(400, migrated), answer(400, migrated))
    with pytest.raises(PlatformRefused):
        api.send(_telegram_message(chat="-4001"))
    assert len(http.requests) == 2


@pytest.mark.parametrize(
    ("status", "description", "code"),
    [
        (403, "Forbidden: bot was blocked by the user", "blocked"),
        (403, "Forbidden: user is deactivated", "deactivated"),
        (400, "Bad Request: chat not found", "chat_not_found"),
    ],
)
def test_a_customer_who_blocked_the_bot_or_left_is_refused_with_a_clear_reason(
    status, description, code
):
    # Given the Bot API's answer for a customer who blocked the bot, deleted their
    # account, or a chat it does not know
    api, http = _telegram(
        answer(status, {"ok": False, "error_code": status, "description": description})
    )
    deps = outbound_dependencies(platform=api)  # type: ignore[arg-type]
    # When a message is delivered
    outcome = deliver(_telegram_message().action, a_conversation(), deps)
    # Then it is refused once (not retried), with the reason's code and Telegram's words
    assert outcome.result is Result.REFUSED
    assert len(http.requests) == 1
    assert outcome.reason and outcome.reason.startswith(f"{code}: ")
    assert description in outcome.reason
