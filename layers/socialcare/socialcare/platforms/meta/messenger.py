"""Messenger: direct messages (the `messaging` items of a Meta delivery). Instagram direct
messages come in the same format and are read here too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialcare.domain.messages import (
    Author,
    ChangeKind,
    Channel,
    InboundMessage,
    MessageChange,
    ReplyTarget,
)
from socialcare.domain.survey_answers import TapOrigin
from socialcare.platforms import attachments as media
from socialcare.platforms.base import ParsedDelivery, as_dict, as_list, as_str
from socialcare.platforms.ids import MESSAGE_ID, NUMERIC, Malformed, optional, shaped, unix_time

# The webhook fields whose `messaging` items are read here, by the item's key: "messages"
# brings `message` (quick-reply taps too), "message_edits" brings `message_edit`
# (https://developers.facebook.com/docs/messenger-platform/webhooks#events). Postbacks,
# echoes, reads and deliveries are not needed.
CONSUMED_FIELDS = {"messages": "message", "message_edits": "message_edit"}

# Items of a thread that are not something the customer wrote. Postbacks are taps on the
# bot's buttons and menu ("Get started"), not messages.
_NOT_MESSAGES = (
    "delivery",
    "read",
    "reaction",
    "postback",
    "referral",
    "optin",
    "account_linking",
    "pass_thread_control",
    "take_thread_control",
    "request_thread_control",
    "policy_enforcement",
)


def direct_message(
    event: Any,
    channel: Channel,
    prefix: str,
    account_id: str,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    event = as_dict(event)
    sender_id = optional(as_dict(event.get("sender")).get("id"), "sender.id", NUMERIC)
    recipient_id = optional(as_dict(event.get("recipient")).get("id"), "recipient.id", NUMERIC)
    sent_at = unix_time(event.get("timestamp"), "timestamp", "ms") or received_at
    if isinstance(event.get("message_edit"), dict):
        edit = event["message_edit"]
        mid = shaped(edit.get("mid"), "message_edit.mid", MESSAGE_ID)
        _change(
            channel,
            f"{prefix}:{mid}",
            ChangeKind.EDITED,
            as_str(edit.get("text")),
            sent_at,
            delivery,
        )
        return
    message = event.get("message")
    if not isinstance(message, dict):
        delivery.ignore(next((k for k in _NOT_MESSAGES if k in event), "unknown_messaging"))
        return
    if message.get("is_echo") or (sender_id and sender_id == account_id):
        delivery.ignore("echo")
        return
    mid = shaped(message.get("mid"), "mid", MESSAGE_ID)
    if message.get("is_deleted"):
        _change(channel, f"{prefix}:{mid}", ChangeKind.DELETED, None, sent_at, delivery)
        return
    if not sender_id:
        raise Malformed("message without sender")
    quick_reply = as_dict(message.get("quick_reply")).get("payload")
    # The conversation is the sender's with the account it wrote to (`recipient`).
    origin = TapOrigin(account_id=recipient_id or account_id)
    key = f"{prefix}:{mid}"
    if delivery.survey_answer(quick_reply, channel, (sender_id,), origin, sent_at, key):
        return
    attachments = [as_dict(a) for a in as_list(message.get("attachments"))]
    # A story that mentions the brand arrives as a direct message with this attachment.
    mention = any(a.get("type") == "story_mention" for a in attachments)
    if mention and channel is Channel.INSTAGRAM_DM:
        channel, prefix = Channel.INSTAGRAM_MENTION, "instagram:story_mention"
    text, content_type = describe(message, attachments)
    delivery.messages.append(
        InboundMessage.on(
            channel,
            dedup_key=f"{prefix}:{mid}",
            reply_to=ReplyTarget(
                account_id=recipient_id or account_id, conversation_id=sender_id, message_id=mid
            ),
            author=Author(id=sender_id),
            text=text,
            content_type=content_type,
            sent_at=sent_at,
            received_at=received_at,
            attachments=media.meta(attachments),
        )
    )


def _change(
    channel: Channel,
    key: str,
    kind: ChangeKind,
    text: str | None,
    at: datetime,
    delivery: ParsedDelivery,
) -> None:
    delivery.changes.append(
        MessageChange.of(channel=channel, kind=kind, original_key=key, text=text, changed_at=at)
    )


def describe(message: dict, attachments: list[dict]) -> tuple[str, str]:
    """The text with what came along, described so a person can answer it."""
    text = as_str(message.get("text")) or ""
    parts = [_attachment(a) for a in attachments]
    if message.get("sticker_id") and not any(a.get("type") == "sticker" for a in attachments):
        parts.append("[sticker]")
    if message.get("is_unsupported"):
        parts.append("[unsupported]")
    story = as_dict(as_dict(message.get("reply_to")).get("story"))
    if story:
        parts.insert(0, f"[reply to a story] {as_str(story.get('url')) or ''}".strip())
    described = " ".join(parts)
    kinds = [str(a.get("type") or "attachment")[:20] for a in attachments]
    if text and described:
        return f"{described} {text}", kinds[0] if kinds else "text"
    if text:
        return text, "text"
    return described or "[empty message]", kinds[0] if kinds else "unknown"


def _attachment(attachment: dict) -> str:
    kind = str(attachment.get("type") or "attachment")[:20]
    payload = as_dict(attachment.get("payload"))
    url = as_str(payload.get("url")) or as_str(attachment.get("url"))
    title = as_str(payload.get("title")) or as_str(attachment.get("title"))
    if kind == "location":
        where = as_dict(payload.get("coordinates"))
        return " ".join(
            filter(None, ("[location]", title, f"({where.get('lat')}, {where.get('long')})"))
        )
    if kind == "template":
        products = as_list(as_dict(payload.get("product")).get("elements")) or as_list(
            payload.get("elements")
        )
        lines = ["[shared product]" if payload.get("product") else "[template]"]
        for element in products[:10]:
            element = as_dict(element)
            name = as_str(element.get("title")) or "product"
            reference = as_str(element.get("retailer_id")) or as_str(element.get("id"))
            lines.append(f"{name} ({reference})" if reference else name)
        return "\n".join(lines)
    label = {
        "fallback": "link",
        "share": "shared post",
        "story_mention": "story mention",
        "ig_reel": "reel",
        "reel": "reel",
        "ig_post": "post",
        "file": "file",
    }.get(kind, kind)
    if kind in ("fallback", "share", "story_mention", "ig_reel", "reel", "post", "ig_post"):
        return " ".join(filter(None, (f"[{label}]", title, url)))
    return f"[{label}]"


def conversations(
    entry: dict,
    channel: Channel,
    prefix: str,
    account_id: str,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    """Direct messages; `standby` ones are held by another app (a bot, or Meta's inbox),
    which answers them, not us."""
    messaging = as_list(entry.get("messaging"))
    delivery.each(messaging, direct_message, channel, prefix, account_id, received_at)
    if as_list(entry.get("standby")):
        delivery.ignore("standby", items=len(as_list(entry.get("standby"))))
