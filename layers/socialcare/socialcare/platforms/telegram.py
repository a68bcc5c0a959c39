"""Telegram Bot API webhooks: secret-token header; what customers write to the bot
(`message`) or to the brand's business account (`business_message`) becomes cases, and
their edits and deletions are noted on them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialcare.domain.credentials import PlatformSecrets
from socialcare.domain.messages import (
    Author,
    ChangeKind,
    Channel,
    InboundMessage,
    MessageChange,
    ReplyTarget,
)
from socialcare.domain.survey_answers import TapOrigin
from socialcare.platforms import attachments
from socialcare.platforms.base import (
    ParsedDelivery,
    SignatureInvalid,
    as_dict,
    as_list,
    as_str,
    same_secret,
)
from socialcare.platforms.ids import (
    MESSAGE_ID,
    Malformed,
    optional,
    shaped,
    telegram_int,
    unix_time,
)

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 (a header name)
# What a person can send; a message with none of these is a service message (members
# joined or left, a title or photo changed, a pin...): nobody wrote anything.
_MEDIA_KINDS = (
    "photo",
    "video",
    "voice",
    "audio",
    "document",
    "sticker",
    "animation",
    "video_note",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "checklist",
    "paid_media",
)
_MESSAGES = ("message", "business_message")
_EDITS = ("edited_message", "edited_business_message")
# Every update type parse() reads: what the webhook must ask Telegram for
# (setWebhook's allowed_updates; left out, Telegram keeps the previous list,
# https://core.telegram.org/bots/api#setwebhook). A survey tap is a callback_query.
CONSUMED_UPDATES = (*_MESSAGES, *_EDITS, "callback_query", "deleted_business_messages")


def verify(headers: Mapping[str, str], raw_body: bytes, secrets: PlatformSecrets) -> None:
    if not secrets.telegram_secret_token:
        raise SignatureInvalid("signature check not configured")
    if not same_secret(headers.get(SECRET_HEADER), secrets.telegram_secret_token):
        raise SignatureInvalid("missing or wrong secret token")


def parse(payload: Any, received_at: datetime, *, bot_id: str) -> ParsedDelivery:
    delivery = ParsedDelivery()
    update = as_dict(payload)
    delivery.each([update], _update, bot_id, received_at)
    return delivery


def _update(update: dict, bot_id: str, received_at: datetime, delivery: ParsedDelivery) -> None:
    telegram_int(update.get("update_id"), "update_id")
    kind = next((k for k in (*_MESSAGES, *_EDITS) if isinstance(update.get(k), dict)), None)
    if kind is None and isinstance(update.get("callback_query"), dict):
        _callback(update["callback_query"], bot_id, received_at, delivery)
        return
    if kind is None and isinstance(update.get("deleted_business_messages"), dict):
        _deleted(update["deleted_business_messages"], bot_id, received_at, delivery)
        return
    if kind is None:
        other = next((k for k in update if k != "update_id"), "empty")
        delivery.ignore("other_update", update=str(other)[:40])
        return
    message = update[kind]
    sender = as_dict(message.get("from"))
    chat = as_dict(message.get("chat"))
    chat_id = telegram_int(chat.get("id"), "chat.id", signed=True)
    message_id = telegram_int(message.get("message_id"), "message_id")
    author_id = telegram_int(sender.get("id"), "from.id") if "from" in message else chat_id
    connection = optional(
        message.get("business_connection_id"), "business_connection_id", MESSAGE_ID
    )
    if sender.get("is_bot") or (connection and author_id != chat_id):
        # A bot, or the business account itself writing to its customer.
        delivery.ignore("own_message" if connection else "bot_message")
        return
    key = _key(bot_id, connection, chat_id, message_id)
    sent_at = unix_time(message.get("date"), "date") or received_at
    if kind in _EDITS:
        text, _ = _describe(message)
        delivery.changes.append(
            MessageChange.of(
                channel=Channel.TELEGRAM,
                kind=ChangeKind.EDITED,
                original_key=key,
                text=text,
                changed_at=unix_time(message.get("edit_date"), "edit_date") or received_at,
            )
        )
        return
    text, content_type = _describe(message)
    if content_type == "service":
        delivery.ignore("service_message", chat=str(chat.get("type"))[:20])
        return
    names = [as_str(sender.get("first_name")), as_str(sender.get("last_name"))]
    language = as_str(sender.get("language_code"))
    delivery.messages.append(
        InboundMessage.on(
            Channel.TELEGRAM,
            # Group chats are seen by every member; private chats are one to one.
            public=chat.get("type") in ("group", "supergroup"),
            dedup_key=key,
            reply_to=ReplyTarget(
                account_id=bot_id,
                conversation_id=str(chat_id),
                message_id=str(message_id),
                business_connection_id=connection,
            ),
            author=Author(
                id=str(author_id),
                handle=as_str(sender.get("username")),
                display_name=" ".join(n for n in names if n) or None,
            ),
            text=text,
            content_type=content_type,
            language=language[:2].lower() if language else None,
            sent_at=sent_at,
            received_at=received_at,
            extra={"business_connection_id": connection} if connection else {},
            attachments=attachments.telegram(message),
        )
    )


def _callback(query: dict, bot_id: str, received_at: datetime, delivery: ParsedDelivery) -> None:
    """A tap on one of the bot's buttons: a survey's choice is its answer; others are not
    something the customer wrote. Where it was tapped travels with it: the chat of the
    message that had the button (a group, or another private chat, is not where a survey
    went), or no chat for a message sent via the bot in inline mode
    (https://core.telegram.org/bots/api#callbackquery: `message` or `inline_message_id`)."""
    query_id = shaped(query.get("id"), "callback_query.id", MESSAGE_ID)
    sender = telegram_int(as_dict(query.get("from")).get("id"), "from.id")
    message = as_dict(query.get("message"))
    chat = as_dict(message.get("chat"))
    chat_id = telegram_int(chat.get("id"), "chat.id", signed=True) if chat else None
    origin = TapOrigin(account_id=bot_id, chat_id=None if chat_id is None else str(chat_id))
    key = f"telegram:{bot_id}:callback:{query_id}"
    answered = delivery.survey_answer(
        query.get("data"), Channel.TELEGRAM, (str(sender),), origin, received_at, key
    )
    language = as_str(as_dict(query.get("from")).get("language_code"))
    delivery.reply_call = {
        "method": "answerCallbackQuery",
        "callback_query_id": query_id,
        "language": (language or "")[:2].lower(),
    }
    if not answered:
        delivery.ignore("other_update", update="callback_query")


def _key(bot_id: str, connection: str | None, chat_id: int, message_id: int) -> str:
    """A message's identity: its chat and id (an update, an edit and a deletion of it all
    name the same message); a business account's chats are apart from the bot's own."""
    if connection:
        return f"telegram:{bot_id}:business:{connection}:{chat_id}:{message_id}"
    return f"telegram:{bot_id}:{chat_id}:{message_id}"


def _deleted(deleted: dict, bot_id: str, received_at: datetime, delivery: ParsedDelivery) -> None:
    connection = optional(
        deleted.get("business_connection_id"), "business_connection_id", MESSAGE_ID
    )
    chat_id = telegram_int(as_dict(deleted.get("chat")).get("id"), "chat.id", signed=True)
    if connection is None:
        raise Malformed("business_connection_id is missing")
    for value in as_list(deleted.get("message_ids"))[:100]:
        message_id = telegram_int(value, "message_ids")
        delivery.changes.append(
            MessageChange.of(
                channel=Channel.TELEGRAM,
                kind=ChangeKind.DELETED,
                original_key=_key(bot_id, connection, chat_id, message_id),
                changed_at=received_at,
            )
        )


def _describe(message: dict) -> tuple[str, str]:
    text = as_str(message.get("text"))
    if text:
        return text, "text"
    kind = next((k for k in _MEDIA_KINDS if k in message), None)
    caption = as_str(message.get("caption"))
    if kind is None:
        return (caption, "unknown") if caption else ("[service message]", "service")
    label = kind.replace("_", " ")
    if kind in ("location", "venue"):
        place = as_dict(message.get(kind))
        where = as_dict(place.get("location")) or place
        title = " ".join(filter(None, (as_str(place.get("title")), as_str(place.get("address")))))
        label = f"{kind} {title} ({where.get('latitude')}, {where.get('longitude')})"
        label = label.replace("  ", " ")
    elif kind == "contact":
        person = as_dict(message.get("contact"))
        names = filter(None, (as_str(person.get("first_name")), as_str(person.get("last_name"))))
        label = f"contact: {' '.join(names)} {as_str(person.get('phone_number')) or ''}".strip()
    elif kind == "poll":
        label = f"poll: {as_str(as_dict(message.get('poll')).get('question')) or ''}".strip()
    elif kind == "document":
        name = as_str(as_dict(message.get("document")).get("file_name"))
        label = f"document: {name}" if name else "document"
    elif kind == "photo" and not as_list(message.get("photo")):
        label = "photo"
    return (f"[{label}] {caption}" if caption else f"[{label}]"), kind
