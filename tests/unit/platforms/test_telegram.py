"""Telegram updates normalised."""

from __future__ import annotations

import pytest

from socialcare.domain.messages import Channel
from socialcare.platforms import telegram
from socialcare.platforms.base import PayloadInvalid
from tests.conftest import NOW, sample_payload


def parse(payload):
    return telegram.parse(payload, NOW, bot_id="socialcare_bot")


def test_private_message():
    [message] = parse(sample_payload("telegram_message")).messages
    assert message.channel is Channel.TELEGRAM
    assert message.public is False
    assert message.dedup_key == "telegram:socialcare_bot:918273001"
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
    "update",
    [
        "telegram_ignored",
    ],
)
def test_other_updates_are_acknowledged(update):
    delivery = parse(sample_payload(update))
    assert delivery.messages == []
    assert delivery.ignored[0].detail == {"update": "edited_message"}


def test_messages_from_bots_are_ignored():
    payload = sample_payload("telegram_message")
    payload["message"]["from"]["is_bot"] = True
    assert parse(payload).messages == []


def test_an_update_without_update_id_is_invalid():
    with pytest.raises(PayloadInvalid):
        parse({"message": {"text": "hola"}})
