"""Telegram Bot API webhooks: secret-token header, `message` updates become cases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.platforms.base import (
    ParsedDelivery,
    PayloadInvalid,
    PlatformSecrets,
    SignatureInvalid,
    as_dict,
    as_int,
    as_list,
    as_str,
    from_unix,
    same_secret,
)

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 (a header name)
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
)


def verify(headers: Mapping[str, str], raw_body: bytes, secrets: PlatformSecrets) -> None:
    if not secrets.telegram_secret_token:
        raise SignatureInvalid("signature check not configured")
    if not same_secret(headers.get(SECRET_HEADER), secrets.telegram_secret_token):
        raise SignatureInvalid("missing or wrong secret token")


def parse(payload: Any, received_at: datetime, *, bot_id: str) -> ParsedDelivery:
    delivery = ParsedDelivery()
    update = as_dict(payload)
    update_id = as_int(update.get("update_id"))
    if update_id is None:
        raise PayloadInvalid("update_id is required")
    message = update.get("message")
    if not isinstance(message, dict):
        other = next((k for k in update if k != "update_id"), "empty")
        delivery.ignore("other_update", update=str(other)[:40])
        return delivery
    sender = as_dict(message.get("from"))
    chat = as_dict(message.get("chat"))
    if sender.get("is_bot"):
        delivery.ignore("bot_message")
        return delivery
    chat_id = as_str(chat.get("id"))
    author_id = as_str(sender.get("id")) or chat_id
    message_id = as_str(message.get("message_id"))
    if not chat_id or not author_id or not message_id:
        delivery.ignore("malformed", reason="message without chat, sender or id")
        return delivery
    text, content_type = _describe(message)
    names = [as_str(sender.get("first_name")), as_str(sender.get("last_name"))]
    language = as_str(sender.get("language_code"))
    delivery.messages.append(
        InboundMessage.on(
            Channel.TELEGRAM,
            # Group chats are seen by every member; private chats are one to one.
            public=chat.get("type") in ("group", "supergroup"),
            dedup_key=f"telegram:{bot_id}:{update_id}",
            reply_to=ReplyTarget(account_id=bot_id, conversation_id=chat_id, message_id=message_id),
            author=Author(
                id=author_id,
                handle=as_str(sender.get("username")),
                display_name=" ".join(n for n in names if n) or None,
            ),
            text=text,
            content_type=content_type,
            language=language[:2].lower() if language else None,
            sent_at=from_unix(message.get("date")) or received_at,
            received_at=received_at,
        )
    )
    return delivery


def _describe(message: dict) -> tuple[str, str]:
    text = as_str(message.get("text"))
    if text:
        return text, "text"
    kind = next((k for k in _MEDIA_KINDS if k in message), None)
    caption = as_str(message.get("caption"))
    if kind is None:
        return caption or "[unsupported message]", "unknown"
    label = kind.replace("_", " ")
    if kind == "location":
        place = as_dict(message.get("location"))
        label = f"location ({place.get('latitude')}, {place.get('longitude')})"
    elif kind == "poll":
        label = f"poll: {as_str(as_dict(message.get('poll')).get('question')) or ''}".strip()
    elif kind == "document":
        name = as_str(as_dict(message.get("document")).get("file_name"))
        label = f"document: {name}" if name else "document"
    elif kind == "photo" and not as_list(message.get("photo")):
        label = "photo"
    return (f"[{label}] {caption}" if caption else f"[{label}]"), kind
