"""A token the platform no longer takes (expired, revoked), a token not set up, secrets
that cannot be read now: the action is left for a later attempt, never refused for good
(the adapters against the platform emulator, through the outbound use case)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialcare.adapters.platform_api.gateway import PlatformApis
from socialcare.adapters.platform_api.http import HttpClient
from socialcare.adapters.platform_api.meta import GraphApi
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.adapters.platform_api.x import XApi
from socialcare.adapters.platform_api.x_tokens import XTokens
from socialcare.app.outbound import Result, deliver
from socialcare.domain.credentials import PlatformTokens
from socialcare.domain.failures import SecretsUnavailable
from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.domain.outbound import OutboundKind, OutboundStatus
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS, PlatformEmulator
from tests.outbound_fakes import (
    NOW,
    RecordedAlarms,
    a_conversation,
    an_action,
    outbound_dependencies,
)
from tests.token_fakes import ContainerTokens, InMemoryLock, SharedSecret

PAGE = "104857600000001"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    emulator = PlatformEmulator().start()
    yield emulator
    emulator.stop()


def _apis(emulator: PlatformEmulator, tokens: Any) -> PlatformApis:
    http = HttpClient(read_timeout=0.5)
    clock = NOW.timestamp
    x_tokens = XTokens(
        http, emulator.url, tokens, InMemoryLock(clock), RecordedAlarms(), clock=clock
    )
    return PlatformApis(
        GraphApi(http, f"{emulator.url}/v21.0", tokens),
        XApi(http, emulator.url, x_tokens, clock=clock),
        TelegramApi(http, emulator.url, tokens),
    )


def _message(channel: Channel):
    return an_action(OutboundKind.MESSAGE, channel, text="Hola, seguimos con tu caso.")


def _customer_wrote(emulator: PlatformEmulator, channel: Channel) -> None:
    """The customer of an_action's conversation wrote an hour ago (its window is open)."""
    at = datetime.now(UTC) - timedelta(hours=1)
    target = ReplyTarget(account_id=PAGE, message_id="7", conversation_id="5123")
    message = InboundMessage.on(
        channel,
        text="hola",
        author=Author(id="5123"),
        dedup_key="7",
        reply_to=target,
        sent_at=at,
        received_at=at,
    )
    emulator.state.learn([message])


def _deliver(apis, action):
    deps = outbound_dependencies(platform=apis)
    return deliver(action, a_conversation(), deps), deps


def test_an_expired_meta_page_token_defers_the_action(emulator):
    # Given a page token Meta no longer takes (Graph API OAuthException 190)
    secret = SharedSecret({**LOCAL_TOKENS, "facebook_page_tokens": {"*": "expired-page-token"}})
    # When a Messenger reply is sent
    outcome, deps = _deliver(_apis(emulator, ContainerTokens(secret)), _message(Channel.MESSENGER))
    # Then it is left for a later attempt, not refused for good, and the alarm rings
    assert outcome.result is Result.DEFERRED
    assert deps.store.records[outcome.action_id].status is OutboundStatus.RETRY
    assert deps.alarm.raised == [("facebook", "rejected")]


def test_a_revoked_telegram_bot_token_defers_the_action(emulator):
    # Given a bot token Telegram answers 401 to (revoked in BotFather)
    secret = SharedSecret({**LOCAL_TOKENS, "telegram_bot_token": "123456:revoked"})
    # When a Telegram message is sent
    outcome, deps = _deliver(_apis(emulator, ContainerTokens(secret)), _message(Channel.TELEGRAM))
    # Then it is left for a later attempt, and the alarm rings
    assert outcome.result is Result.DEFERRED
    assert deps.store.records[outcome.action_id].status is OutboundStatus.RETRY
    assert deps.alarm.raised == [("telegram", "rejected")]


@pytest.mark.parametrize(
    ("channel", "emptied"),
    [
        (Channel.MESSENGER, {"facebook_page_tokens": {}}),
        (Channel.WHATSAPP, {"whatsapp_token": ""}),
        (Channel.X_DM, {"x_access_token": ""}),
        (Channel.TELEGRAM, {"telegram_bot_token": ""}),
    ],
)
def test_a_token_not_set_up_defers_the_action(emulator, channel, emptied):
    # Given a platform whose token is not in the secret yet
    secret = SharedSecret({**LOCAL_TOKENS, **emptied})
    # When an action on it is sent
    outcome, deps = _deliver(_apis(emulator, ContainerTokens(secret)), _message(channel))
    # Then it waits for the token instead of being refused for good
    assert outcome.result is Result.DEFERRED
    assert deps.alarm.raised == [(channel.platform.value, "missing")]


def test_tokens_that_cannot_be_read_now_leave_the_action_to_retry(emulator):
    # Given a tokens secret Secrets Manager cannot serve now
    def unreadable() -> PlatformTokens:
        raise SecretsUnavailable("ThrottlingException")

    apis = _apis(emulator, unreadable)
    # When a message is sent
    outcome, deps = _deliver(apis, _message(Channel.TELEGRAM))
    # Then nothing was sent and the action waits for a retry (never left "sending", which
    # a later attempt would have to take for a call of unknown fate)
    assert outcome.result is Result.DEFERRED
    assert deps.store.records[outcome.action_id].status is OutboundStatus.RETRY
    assert emulator.state.sent == []
    assert deps.alarm.raised == []  # Secrets Manager, not a token: retried, no token alarm


def test_a_token_refresh_whose_answer_never_came_is_not_an_uncertain_send(emulator):
    # Given an X token about to expire, and a token endpoint whose answer never arrives
    secret = SharedSecret({**LOCAL_TOKENS, "x_token_expires_at": NOW.timestamp() + 60})
    apis = _apis(emulator, ContainerTokens(secret))
    emulator.set_faults({"rate": 1, "kinds": ["timeout"]})
    # When an X message is sent
    outcome, _ = _deliver(apis, _message(Channel.X_DM))
    emulator.set_faults({"rate": 0})
    # Then the message surely did not go out, and it is left for a later attempt
    assert emulator.state.sent == []
    assert outcome.result is Result.DEFERRED


@pytest.mark.parametrize(
    ("channel", "field", "renewed"),
    [
        (Channel.MESSENGER, "facebook_page_tokens", {"*": "local-page-token"}),
        (Channel.TELEGRAM, "telegram_bot_token", "123456:local-telegram-bot-token"),
    ],
)
def test_a_token_ops_renewed_is_used_at_once_not_when_the_cache_expires(
    emulator, channel, field, renewed
):
    # Given a container that cached a revoked token, and ops who since put the new one in
    # the secret (the platform takes only the new one)
    secret = SharedSecret(
        {**LOCAL_TOKENS, field: {"*": "revoked"} if field.startswith("face") else "1:revoked"}
    )
    tokens = ContainerTokens(secret)
    tokens()
    secret.put({**secret.value, field: renewed}, "ops")
    _customer_wrote(emulator, channel)
    # When a message is sent
    outcome, deps = _deliver(_apis(emulator, tokens), _message(channel))
    # Then the refusal made it read the secret afresh, and the message went with the new one
    assert outcome.result is Result.SENT
    assert deps.alarm.raised == []
