"""Telegram updates normalised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from socialcare.domain.messages import Channel
from socialcare.platforms import telegram
from tests.conftest import NOW, sample_payload


def parse(payload):
    return telegram.parse(payload, NOW, bot_id="socialcare_bot")


def test_private_message():
    [message] = parse(sample_payload("telegram_message")).messages
    assert message.channel is Channel.TELEGRAM
    assert message.public is False
    # a message's identity is its chat and id (its edits name the same message)
    assert message.dedup_key == "telegram:socialcare_bot:555000111:4411"
    assert message.author.handle == "nuriacampos"
    assert message.author.display_name == "Nuria Campos"
    assert message.language == "es"
    assert message.reply_to.conversation_id == "555000111"
    assert message.reply_to.message_id == "4411"


def test_photo_with_caption_is_described():
    [message] = parse(sample_payload("telegram_photo")).messages
    assert message.text == "[photo] Este es el parte amistoso firmado"
    assert message.content_type == "photo"


def test_group_messages_are_public():
    payload = sample_payload("telegram_message")
    payload["message"]["chat"]["type"] = "supergroup"
    [message] = parse(payload).messages
    assert message.public is True


@pytest.mark.parametrize(
    "service",
    [
        {"new_chat_members": [{"id": 7, "is_bot": False, "first_name": "Luis"}]},
        {"left_chat_member": {"id": 7, "is_bot": False, "first_name": "Luis"}},
        {"new_chat_title": "Clientes"},
        {"pinned_message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "group"}}},
        {"group_chat_created": True},
        {"message_auto_delete_timer_changed": {"message_auto_delete_time": 86400}},
    ],
)
def test_service_messages_are_acknowledged_without_a_case(service):
    # Given a message in which nobody wrote anything (someone joined, a title changed...)
    payload = sample_payload("telegram_message")
    del payload["message"]["text"]
    payload["message"].update(service)
    # When it is parsed
    delivery = parse(payload)
    # Then it is acknowledged only
    assert delivery.messages == []
    assert [i.kind for i in delivery.ignored] == ["service_message"]


def test_other_updates_are_acknowledged():
    delivery = parse({"update_id": 1, "my_chat_member": {"chat": {"id": 1}}})
    assert delivery.messages == []
    assert delivery.ignored[0].detail == {"update": "my_chat_member"}


def test_an_edit_names_the_message_it_changes():
    # Given the customer editing the message of the sample
    delivery = parse(sample_payload("telegram_edited"))
    # Then no message, one change of that message with its new text
    [change] = delivery.changes
    assert delivery.messages == []
    assert change.kind == "edited"
    assert change.original_key == "telegram:socialcare_bot:555000111:4411"
    assert "412,30" in change.text


def test_business_account_messages_are_customer_messages():
    # Given a customer writing to the brand's Telegram Business account, and the owner
    # answering in the same chat
    message = sample_payload("telegram_message")["message"]
    customer = {**message, "business_connection_id": "BCn0xYz-123"}
    owner = {**customer, "from": {"id": 42, "is_bot": False, "first_name": "Marea"}}
    deleted = {
        "business_connection_id": "BCn0xYz-123",
        "chat": {"id": 555000111, "type": "private"},
        "message_ids": [4411],
    }
    # When each arrives
    [case] = parse({"update_id": 1, "business_message": customer}).messages
    own = parse({"update_id": 2, "business_message": owner})
    [gone] = parse({"update_id": 3, "deleted_business_messages": deleted}).changes
    # Then the customer's is a message that keeps its connection, the owner's is ignored
    assert case.extra == {"business_connection_id": "BCn0xYz-123"}
    assert case.reply_to.business_connection_id == "BCn0xYz-123"  # answers go through it
    assert case.dedup_key == "telegram:socialcare_bot:business:BCn0xYz-123:555000111:4411"
    assert own.messages == [] and [i.kind for i in own.ignored] == ["own_message"]
    assert (gone.kind, gone.original_key) == ("deleted", case.dedup_key)


@pytest.mark.parametrize(
    "update",
    [
        {"message": {"text": "hola"}},
        {"update_id": "1" * 3000, "message": {"text": "hola"}},
        {"update_id": 2**60},
        {"update_id": 1.5},
        {"update_id": True},
        {"update_id": 1, "message": {"message_id": "4411", "chat": {"id": 1}, "text": "x"}},
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": "\u0661"}, "text": "x"}},
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "from": {"id": -1}}},
    ],
)
def test_ids_that_cannot_be_telegrams_make_the_update_malformed(update):
    # Given an update with an id Telegram cannot send (missing, too long, a float, text)
    # When it is parsed
    delivery = parse(update)
    # Then it is acknowledged as malformed, without a case (never a retry that fails again)
    assert delivery.messages == []
    assert [i.kind for i in delivery.ignored] == ["malformed"]


def test_messages_from_bots_are_ignored():
    payload = sample_payload("telegram_message")
    payload["message"]["from"]["is_bot"] = True
    assert parse(payload).messages == []


def test_texts_and_names_longer_than_any_platform_allows_are_cut():
    # Given a message of 100,000 characters from an author with a 1,000-character name
    payload = sample_payload("telegram_message")
    payload["message"]["text"] = "a" * 100_000
    payload["message"]["from"]["first_name"] = "N" * 1_000
    # When it is parsed
    [message] = parse(payload).messages
    # Then it still fits one DynamoDB item: text and name cut, and said so
    assert len(message.text) < 25_010 and message.text.endswith("[…]")
    assert len(message.author.display_name) < 210


@pytest.mark.parametrize("kind", telegram.CONSUMED_UPDATES)
def test_every_update_type_asked_of_telegram_is_read_by_the_parser(kind):
    # Given an update of a type the webhook asks Telegram for (a minimal, odd body)
    delivery = parse({"update_id": 1, kind: {}})
    # Then the parser reads it as its own kind, not as an update it does not know
    assert all(ignored.kind != "other_update" for ignored in delivery.ignored)


def test_the_readme_asks_telegram_for_exactly_the_updates_the_parser_reads():
    # Given the setWebhook command the README's deploy section gives
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    asked = re.search(r"allowed_updates='(\[[^']*\])'", readme)
    # Then it lists every type the parser reads and no other (left out, a type is never
    # sent: with ["message"] alone no survey tap, edit or business chat arrived)
    assert asked is not None
    assert sorted(json.loads(asked.group(1))) == sorted(telegram.CONSUMED_UPDATES)
