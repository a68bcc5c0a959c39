"""The platform adapters against the platform emulator (real HTTP on a local port): each
answer the platforms give becomes the port's outcome, and the emulator enforces their
rules, so the adapters are shown to respect them rather than assumed to."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from socialcare.adapters.platform_api.gateway import PlatformApis
from socialcare.adapters.platform_api.http import HttpClient
from socialcare.adapters.platform_api.meta import GraphApi
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.adapters.platform_api.x import XApi
from socialcare.adapters.platform_api.x_tokens import XTokens
from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.domain.outbound import Delivery, DeliveryMode, OutboundKind, OutboundTarget
from socialcare.domain.platform_errors import FateUnknown, PlatformBusy, PlatformRefused
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS, PlatformEmulator
from tests.outbound_fakes import RecordedAlarms, an_action
from tests.token_fakes import ContainerTokens, InMemoryLock, SharedSecret

PAGE = "104857600000001"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    emulator = PlatformEmulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture
def secret() -> SharedSecret:
    return SharedSecret(LOCAL_TOKENS)


@pytest.fixture
def apis(emulator: PlatformEmulator, secret: SharedSecret) -> PlatformApis:
    tokens = ContainerTokens(secret)
    http = HttpClient(read_timeout=0.5)
    x_tokens = XTokens(http, emulator.url, tokens, InMemoryLock(time.time), RecordedAlarms())
    return PlatformApis(
        GraphApi(http, f"{emulator.url}/v21.0", tokens),
        XApi(http, emulator.url, x_tokens),
        TelegramApi(http, emulator.url, tokens),
    )


def _customer_wrote(
    emulator: PlatformEmulator,
    channel: Channel,
    message_id: str,
    *,
    hours_ago: float = 1,
    conversation: str | None = None,
    thread: str | None = None,
) -> None:
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    emulator.state.learn(
        [
            InboundMessage.on(
                channel,
                text="hola",
                author=Author(id=conversation or "42"),
                dedup_key=message_id,
                reply_to=ReplyTarget(
                    account_id=PAGE,
                    message_id=message_id,
                    conversation_id=conversation,
                    thread_id=thread,
                ),
                sent_at=at,
                received_at=at,
            )
        ]
    )


def _delivery(
    kind: OutboundKind,
    channel: Channel,
    mode: DeliveryMode,
    *,
    message_id: str = "998877665544_1",
    conversation: str | None = None,
    text: str | None = "Hola Ana",
    thread: str | None = None,
) -> Delivery:
    target = OutboundTarget(
        account_id=PAGE,
        message_id=message_id,
        conversation_id=conversation,
        thread_id=thread,
        author_id="42",
    )
    return Delivery(an_action(kind, channel, text=text, target=target), mode)


def test_a_facebook_comment_is_hidden_answered_and_replied_to_privately_once(emulator, apis):
    # Given a customer's comment on the page
    _customer_wrote(emulator, Channel.FACEBOOK_COMMENT, "998877665544_1")
    # When the brand hides it, replies, and replies privately twice
    hidden = apis.send(
        _delivery(OutboundKind.HIDE, Channel.FACEBOOK_COMMENT, DeliveryMode.HIDE, text=None)
    )
    reply = _delivery(
        OutboundKind.PUBLIC_REPLY, Channel.FACEBOOK_COMMENT, DeliveryMode.COMMENT_REPLY
    )
    reply_id = apis.send(reply)
    private = _delivery(
        OutboundKind.PRIVATE_REPLY, Channel.FACEBOOK_COMMENT, DeliveryMode.PRIVATE_REPLY
    )
    apis.send(private)
    with pytest.raises(PlatformRefused) as second:
        apis.send(private)
    # Then the platform holds each once, refuses the second private reply, and can tell
    assert hidden == "998877665544_1"
    assert "10900" in str(second.value)
    assert apis.find_sent(reply) == reply_id
    assert (
        apis.find_sent(
            _delivery(OutboundKind.HIDE, Channel.FACEBOOK_COMMENT, DeliveryMode.HIDE, text=None)
        )
        == hidden
    )
    calls = emulator.calls_made()
    assert [c["path"] for c in calls[:3]] == [
        "/v21.0/998877665544_1",
        "/v21.0/998877665544_1/comments",
        f"/v21.0/{PAGE}/messages",
    ]
    assert calls[2]["body"] == {
        "recipient": {"comment_id": "998877665544_1"},
        "message": {"text": "Hola Ana"},
    }


def test_whatsapp_free_text_outside_the_window_is_refused_as_meta_does(emulator, apis):
    # Given a WhatsApp customer who wrote 30 hours ago
    _customer_wrote(emulator, Channel.WHATSAPP, "wamid.1", hours_ago=30, conversation="34600000001")
    text = _delivery(
        OutboundKind.MESSAGE,
        Channel.WHATSAPP,
        DeliveryMode.TEXT,
        message_id="wamid.1",
        conversation="34600000001",
    )
    # When free text is sent, Meta's re-engagement error comes back
    with pytest.raises(PlatformRefused) as refused:
        apis.send(text)
    assert refused.value.code == "131047"


def test_a_visitor_post_is_replied_to_privately_by_its_post_id(emulator, apis):
    # Given a visitor's post on the page (its id is its thread's) and a comment under a post
    _customer_wrote(emulator, Channel.FACEBOOK_COMMENT, "998877665544_7", thread="998877665544_7")
    _customer_wrote(emulator, Channel.FACEBOOK_COMMENT, "998877665544_8", thread="998877665544_1")
    # When the brand answers each privately
    for item, thread in (("998877665544_7", "998877665544_7"), ("998877665544_8", None)):
        apis.send(
            _delivery(
                OutboundKind.PRIVATE_REPLY,
                Channel.FACEBOOK_COMMENT,
                DeliveryMode.PRIVATE_REPLY,
                message_id=item,
                thread=thread or "998877665544_1",
            )
        )
    # Then the post was named as recipient.post_id, the comment as recipient.comment_id
    calls = [call for call in emulator.calls_made() if "/messages" in call["path"]]
    bodies = [call["body"]["recipient"] for call in calls]
    assert bodies == [{"post_id": "998877665544_7"}, {"comment_id": "998877665544_8"}]


def test_a_whatsapp_customer_known_by_a_business_scoped_id_is_addressed_as_recipient(
    emulator, apis
):
    # Given a WhatsApp customer who gave no phone, only a business-scoped user id
    bsuid = "ES.13491208655302741918"
    _customer_wrote(emulator, Channel.WHATSAPP, "wamid.2", conversation=bsuid)
    # When the brand answers them
    apis.send(
        _delivery(
            OutboundKind.MESSAGE,
            Channel.WHATSAPP,
            DeliveryMode.TEXT,
            message_id="wamid.2",
            conversation=bsuid,
        )
    )
    # Then the id went in `recipient` (a phone number goes in `to`)
    sent = [call["body"] for call in emulator.calls_made() if "/messages" in call["path"]][-1]
    assert sent["recipient"] == bsuid and "to" not in sent


def test_instagram_refuses_a_reply_to_a_comment_the_brand_hid(emulator, apis):
    # Given an Instagram comment the brand hid
    _customer_wrote(emulator, Channel.INSTAGRAM_COMMENT, "17890000000000001")
    hide = _delivery(
        OutboundKind.HIDE,
        Channel.INSTAGRAM_COMMENT,
        DeliveryMode.HIDE,
        message_id="17890000000000001",
        text=None,
    )
    apis.send(hide)
    # When the brand replies to it in public, Instagram refuses it, as its docs say
    reply = _delivery(
        OutboundKind.PUBLIC_REPLY,
        Channel.INSTAGRAM_COMMENT,
        DeliveryMode.COMMENT_REPLY,
        message_id="17890000000000001",
    )
    with pytest.raises(PlatformRefused) as refused:
        apis.send(reply)
    assert "hidden" in str(refused.value)


def test_a_rate_limit_and_a_timeout_are_told_apart(emulator, apis):
    # Given a Telegram chat and a platform that answers 429, then times out
    _customer_wrote(emulator, Channel.TELEGRAM, "7", conversation="5001")
    message = _delivery(
        OutboundKind.MESSAGE,
        Channel.TELEGRAM,
        DeliveryMode.CHAT_MESSAGE,
        message_id="7",
        conversation="5001",
    )
    emulator.set_faults({"rate": 1, "kinds": ["429"]})
    with pytest.raises(PlatformBusy) as busy:
        apis.send(message)
    emulator.set_faults({"rate": 1, "kinds": ["timeout"]})
    with pytest.raises(FateUnknown):
        apis.send(message)
    emulator.set_faults({"rate": 0})
    # Then the 429 said how long to wait, and the timeout's message did reach the chat
    assert busy.value.retry_after == 1
    assert [s["kind"] for s in emulator.state.sent] == ["message"]
    assert "/bot<token>/sendMessage" in {c["path"] for c in emulator.calls_made()}


def test_an_expired_x_token_is_refreshed_and_the_new_pair_kept(emulator, apis, secret):
    # Given the platform no longer takes the brand's access token (expired early)
    emulator.tokens["x_access_token"] = "rotated-elsewhere"
    reply = _delivery(
        OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, DeliveryMode.TWEET_REPLY, message_id="1861"
    )
    # When a reply is posted
    tweet_id = apis.send(reply)
    # Then it was refreshed once, saved, and the post went out
    assert tweet_id
    assert secret.value["x_access_token"] == emulator.tokens["x_access_token"]
    assert secret.value["x_refresh_token"] == emulator.tokens["x_refresh_token"]


def test_x_refuses_long_posts_and_a_duplicate_may_be_on_x_already(emulator, apis):
    # 281 characters, and 280 that X weighs 282 (€ and the emoji count 2 each)
    for text in ("a" * 281, "a" * 274 + " 5 € 👍"):
        long_post = _delivery(
            OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, DeliveryMode.TWEET_REPLY, text=text
        )
        with pytest.raises(PlatformRefused):
            apis.send(long_post)
    post = _delivery(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, DeliveryMode.TWEET_REPLY)
    apis.send(post)
    with pytest.raises(FateUnknown) as duplicate:  # this reply itself, posted by a lost call?
        apis.send(post)
    assert "duplicate" in str(duplicate.value)


def _refresh(emulator: PlatformEmulator, refresh_token: str, *, basic: bool = True):
    headers = {}
    if basic:  # the local app is a confidential client: it sends Basic id:secret
        pair = f"{LOCAL_TOKENS['x_client_id']}:{LOCAL_TOKENS['x_client_secret']}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": LOCAL_TOKENS["x_client_id"],
    }
    return HttpClient().request(
        "POST", f"{emulator.url}/2/oauth2/token", form=form, headers=headers
    )


def test_an_x_refresh_token_works_once_and_each_refresh_gives_a_new_pair(emulator):
    # Given the brand's refresh token
    first = LOCAL_TOKENS["x_refresh_token"]
    # When it is used, then used again, then the new one is used
    rotated = _refresh(emulator, first)
    again = _refresh(emulator, first)
    then = _refresh(emulator, rotated.body["refresh_token"])
    # Then the first use gave a new pair for two hours, the second was refused as X
    # refuses a spent token, and the new refresh token worked (once more, a new pair)
    assert rotated.status == 200 and rotated.body["expires_in"] == 7200
    assert rotated.body["refresh_token"] != first
    assert (again.status, again.body) == (
        400,
        {
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        },
    )
    assert then.status == 200
    assert then.body["access_token"] != rotated.body["access_token"]
    assert then.body["refresh_token"] != rotated.body["refresh_token"]


def test_x_refuses_a_refresh_from_a_confidential_client_without_its_credentials(emulator):
    # When the refresh comes without the app's Basic credentials
    answer = _refresh(emulator, LOCAL_TOKENS["x_refresh_token"], basic=False)
    # Then X refuses the client, and the refresh token is not spent
    assert (answer.status, answer.body["error"]) == (401, "unauthorized_client")
    assert _refresh(emulator, LOCAL_TOKENS["x_refresh_token"]).status == 200


def test_an_access_token_past_its_two_hours_is_answered_401(emulator, apis, secret):
    # Given X says the access token's time is over, and the stack still holds it
    emulator.x_tokens.expire_access_token()
    post = _delivery(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, DeliveryMode.TWEET_REPLY)
    # When a reply is posted, it is refreshed and goes out
    assert apis.send(post)
    assert [c["status"] for c in emulator.calls_made()] == [401, 200, 201]
