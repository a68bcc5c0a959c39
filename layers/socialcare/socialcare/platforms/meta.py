"""Meta webhooks: Facebook Page feed, Messenger, Instagram and WhatsApp Cloud API.

One endpoint serves the three `object` kinds. Every entry and every change or messaging
item of a delivery is looked at; only customer messages become InboundMessages.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialcare.domain.messages import (
    Author,
    Channel,
    InboundMessage,
    ReplyTarget,
)
from socialcare.platforms.base import (
    HandshakeRefused,
    HttpReply,
    ParsedDelivery,
    PlatformSecrets,
    SignatureInvalid,
    as_dict,
    as_list,
    as_str,
    from_unix,
    hmac_sha256,
    same_secret,
)

SIGNATURE_HEADER = "x-hub-signature-256"
_FEED_ITEMS = {"comment", "post", "status", "photo", "video", "share"}
# Meta's challenge is a number; only that is echoed (an echo of anything would let a
# caller make the stack serve content of its choosing).
_CHALLENGE = re.compile(r"[0-9]{1,64}")


def handshake(query: Mapping[str, str], secrets: PlatformSecrets) -> HttpReply:
    """GET subscription check: echo hub.challenge when the verify token matches."""
    mode = query.get("hub.mode")
    token = query.get("hub.verify_token")
    challenge = query.get("hub.challenge", "")
    if mode != "subscribe" or not same_secret(token, secrets.meta_verify_token):
        raise HandshakeRefused("verification failed")
    if not _CHALLENGE.fullmatch(challenge):
        raise HandshakeRefused("verification failed")
    return HttpReply(200, challenge, "text/plain")


def verify(headers: Mapping[str, str], raw_body: bytes, secrets: PlatformSecrets) -> None:
    provided = headers.get(SIGNATURE_HEADER)
    if not secrets.meta_app_secret:
        raise SignatureInvalid("signature check not configured")
    if not provided or not provided.startswith("sha256="):
        raise SignatureInvalid("missing or malformed signature")
    expected = "sha256=" + hmac_sha256(secrets.meta_app_secret, raw_body).hex()
    if not hmac.compare_digest(provided.lower().encode("utf-8"), expected.encode("utf-8")):
        raise SignatureInvalid("signature does not match")


def sign(raw_body: bytes, app_secret: str) -> str:
    """The header value Meta would send; used by samples, the demo and tests."""
    return "sha256=" + hmac_sha256(app_secret, raw_body).hex()


def parse(payload: Any, received_at: datetime) -> ParsedDelivery:
    delivery = ParsedDelivery()
    body = as_dict(payload)
    kind = body.get("object")
    for entry in as_list(body.get("entry")):
        entry = as_dict(entry)
        if kind == "page":
            _page_entry(entry, received_at, delivery)
        elif kind == "instagram":
            _instagram_entry(entry, received_at, delivery)
        elif kind == "whatsapp_business_account":
            _whatsapp_entry(entry, received_at, delivery)
        else:
            delivery.ignore("unknown_object", object=str(kind)[:40])
    if not as_list(body.get("entry")):
        delivery.ignore("empty_delivery", object=str(kind)[:40])
    return delivery


# --- Facebook Page ---------------------------------------------------------------------


def _page_entry(entry: dict, received_at: datetime, delivery: ParsedDelivery) -> None:
    page_id = as_str(entry.get("id"))
    entry_time = from_unix(entry.get("time"), millis=_looks_like_millis(entry.get("time")))
    for change in as_list(entry.get("changes")):
        change = as_dict(change)
        if change.get("field") != "feed":
            delivery.ignore("unknown_field", field=str(change.get("field"))[:40])
            continue
        _feed_change(page_id, as_dict(change.get("value")), entry_time, received_at, delivery)
    for event in as_list(entry.get("messaging")):
        _direct_message(
            Channel.MESSENGER, "messenger", page_id, as_dict(event), received_at, delivery
        )


def _feed_change(
    page_id: str | None,
    value: dict,
    entry_time: datetime | None,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    # Strings or nothing: a list or an object here must not reach a set lookup.
    item, verb = as_str(value.get("item")), as_str(value.get("verb"))
    sender = as_dict(value.get("from"))
    author_id = as_str(sender.get("id"))
    if item in ("reaction", "like"):
        delivery.ignore("reaction")
        return
    if item not in _FEED_ITEMS:
        delivery.ignore("unknown_feed_item", item=str(item)[:40])
        return
    if verb != "add":
        delivery.ignore("edit_or_remove", verb=str(verb)[:20])
        return
    comment_id = as_str(value.get("comment_id"))
    post_id = as_str(value.get("post_id"))
    if author_id and author_id == page_id:
        # The page answering in public: a reply to a comment, or a comment on a post.
        parent_id = as_str(value.get("parent_id")) if item == "comment" else None
        kind = "post" if parent_id == post_id else "comment"
        delivery.brand_reply(
            Channel.FACEBOOK_COMMENT,
            f"facebook:{kind}:{parent_id}" if parent_id else None,
            comment_id,
            _feed_time(value.get("created_time")) or entry_time or received_at,
        )
        return
    message_id = comment_id if item == "comment" else post_id
    if not page_id or not message_id:
        delivery.ignore("malformed", reason="feed change without page or item id")
        return
    text = as_str(value.get("message")) or ""
    if not text:
        text = f"[{item}]" if item != "comment" else "[comment without text]"
    sent_at = _feed_time(value.get("created_time")) or entry_time or received_at
    delivery.messages.append(
        InboundMessage.on(
            Channel.FACEBOOK_COMMENT,
            dedup_key=f"facebook:{'comment' if item == 'comment' else 'post'}:{message_id}",
            reply_to=ReplyTarget(account_id=page_id, thread_id=post_id, message_id=message_id),
            author=_author(author_id, message_id, display_name=as_str(sender.get("name"))),
            text=text,
            content_type="text" if item in ("comment", "status", "post") else item,
            sent_at=sent_at,
            received_at=received_at,
            extra={k: v for k, v in {"parent_id": as_str(value.get("parent_id"))}.items() if v},
        )
    )


def _feed_time(value: Any) -> datetime | None:
    if isinstance(value, str) and not value.isdigit():
        try:
            return datetime.fromisoformat(value.replace("+0000", "+00:00"))
        except ValueError:
            return None
    return from_unix(value)


def _looks_like_millis(value: Any) -> bool:
    try:
        return float(value) > 10**11
    except (TypeError, ValueError):
        return False


# --- Messenger and Instagram direct messages -------------------------------------------


def _direct_message(
    channel: Channel,
    prefix: str,
    account_id: str | None,
    event: dict,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    sender_id = as_str(as_dict(event.get("sender")).get("id"))
    recipient_id = as_str(as_dict(event.get("recipient")).get("id")) or account_id
    message = event.get("message")
    if not isinstance(message, dict):
        kind = next(
            (k for k in ("delivery", "read", "reaction", "postback", "message_edit") if k in event),
            "unknown_messaging",
        )
        delivery.ignore(kind if kind != "message_edit" else "edit_or_remove")
        return
    if message.get("is_echo") or (sender_id and sender_id == account_id):
        delivery.ignore("echo")
        return
    if message.get("is_deleted"):
        delivery.ignore("edit_or_remove", verb="deleted")
        return
    mid = as_str(message.get("mid"))
    if not mid or not sender_id or not recipient_id:
        delivery.ignore("malformed", reason="message without mid, sender or recipient")
        return
    text, content_type = _describe_dm(message)
    sent_at = from_unix(event.get("timestamp"), millis=True) or received_at
    delivery.messages.append(
        InboundMessage.on(
            channel,
            dedup_key=f"{prefix}:{mid}",
            reply_to=ReplyTarget(
                account_id=recipient_id, conversation_id=sender_id, message_id=mid
            ),
            author=Author(id=sender_id),
            text=text,
            content_type=content_type,
            sent_at=sent_at,
            received_at=received_at,
        )
    )


def _describe_dm(message: dict) -> tuple[str, str]:
    text = as_str(message.get("text")) or ""
    kinds = [
        str(as_dict(a).get("type") or "attachment")[:20]
        for a in as_list(message.get("attachments"))
    ]
    if message.get("sticker_id"):
        kinds.append("sticker")
    if message.get("is_unsupported"):
        kinds.append("unsupported")
    described = " ".join(f"[{kind}]" for kind in kinds)
    if text and described:
        return f"{described} {text}", kinds[0]
    if text:
        return text, "text"
    return described or "[empty message]", kinds[0] if kinds else "unknown"


# --- Instagram ----------------------------------------------------------------------------


def _instagram_entry(entry: dict, received_at: datetime, delivery: ParsedDelivery) -> None:
    account_id = as_str(entry.get("id"))
    entry_time = from_unix(entry.get("time"), millis=_looks_like_millis(entry.get("time")))
    for event in as_list(entry.get("messaging")):
        _direct_message(
            Channel.INSTAGRAM_DM, "instagram_dm", account_id, as_dict(event), received_at, delivery
        )
    for change in as_list(entry.get("changes")):
        change = as_dict(change)
        field = change.get("field")
        value = as_dict(change.get("value"))
        sent_at = entry_time or received_at
        if field in ("comments", "live_comments"):
            _instagram_comment(account_id, value, sent_at, received_at, delivery)
        elif field == "mentions":
            _instagram_mention(account_id, value, sent_at, received_at, delivery)
        else:
            delivery.ignore("unknown_field", field=str(field)[:40])


def _instagram_comment(
    account_id: str | None,
    value: dict,
    sent_at: datetime,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    sender = as_dict(value.get("from"))
    author_id = as_str(sender.get("id"))
    comment_id = as_str(value.get("id"))
    media_id = as_str(as_dict(value.get("media")).get("id"))
    if author_id and author_id == account_id:
        parent_id = as_str(value.get("parent_id"))
        replied = f"instagram:comment:{parent_id}" if parent_id else None
        delivery.brand_reply(Channel.INSTAGRAM_COMMENT, replied, comment_id, sent_at)
        return
    if not account_id or not comment_id:
        delivery.ignore("malformed", reason="comment without account or id")
        return
    delivery.messages.append(
        InboundMessage.on(
            Channel.INSTAGRAM_COMMENT,
            dedup_key=f"instagram:comment:{comment_id}",
            reply_to=ReplyTarget(account_id=account_id, thread_id=media_id, message_id=comment_id),
            author=_author(author_id, comment_id, handle=as_str(sender.get("username"))),
            text=as_str(value.get("text")) or "[comment without text]",
            sent_at=sent_at,
            received_at=received_at,
            extra={k: v for k, v in {"parent_id": as_str(value.get("parent_id"))}.items() if v},
        )
    )


def _instagram_mention(
    account_id: str | None,
    value: dict,
    sent_at: datetime,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    # Meta sends only ids for mentions; the text is read later through the Graph API
    # (`/{ig-user-id}/mentioned_comment` or `mentioned_media`), so the case says so.
    comment_id = as_str(value.get("comment_id"))
    media_id = as_str(value.get("media_id"))
    message_id = comment_id or media_id
    if not account_id or not message_id:
        delivery.ignore("malformed", reason="mention without account or ids")
        return
    sender = as_dict(value.get("from"))
    where = "a comment" if comment_id else "a post caption"
    text = as_str(value.get("text")) or f"[mention in {where}: text to fetch from the Graph API]"
    delivery.messages.append(
        InboundMessage.on(
            Channel.INSTAGRAM_MENTION,
            dedup_key=f"instagram:mention:{message_id}",
            reply_to=ReplyTarget(account_id=account_id, thread_id=media_id, message_id=message_id),
            author=_author(
                as_str(sender.get("id")), message_id, handle=as_str(sender.get("username"))
            ),
            text=text,
            content_type="mention",
            sent_at=sent_at,
            received_at=received_at,
        )
    )


# --- WhatsApp -----------------------------------------------------------------------------


def _whatsapp_entry(entry: dict, received_at: datetime, delivery: ParsedDelivery) -> None:
    for change in as_list(entry.get("changes")):
        change = as_dict(change)
        if change.get("field") != "messages":
            delivery.ignore("unknown_field", field=str(change.get("field"))[:40])
            continue
        value = as_dict(change.get("value"))
        phone_number_id = as_str(as_dict(value.get("metadata")).get("phone_number_id"))
        names = {
            as_str(as_dict(c).get("wa_id")): as_str(as_dict(as_dict(c).get("profile")).get("name"))
            for c in as_list(value.get("contacts"))
        }
        for status in as_list(value.get("statuses")):
            status = as_dict(status)
            errors = [
                {"code": as_dict(e).get("code"), "title": str(as_dict(e).get("title"))[:120]}
                for e in as_list(status.get("errors"))
            ]
            delivery.ignore("status", status=str(status.get("status"))[:20], errors=errors)
        for message in as_list(value.get("messages")):
            _whatsapp_message(phone_number_id, as_dict(message), names, received_at, delivery)


def _whatsapp_message(
    phone_number_id: str | None,
    message: dict,
    names: dict[str | None, str | None],
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    kind = as_str(message.get("type")) or "unknown"
    if kind == "reaction":
        delivery.ignore("reaction")
        return
    if kind in ("system", "ephemeral", "request_welcome"):
        delivery.ignore("system", type=kind)
        return
    wamid = as_str(message.get("id"))
    wa_id = as_str(message.get("from"))
    if not phone_number_id or not wamid or not wa_id:
        delivery.ignore("malformed", reason="message without phone number id, id or sender")
        return
    delivery.messages.append(
        InboundMessage.on(
            Channel.WHATSAPP,
            dedup_key=f"whatsapp:{wamid}",
            reply_to=ReplyTarget(
                account_id=phone_number_id, conversation_id=wa_id, message_id=wamid
            ),
            author=Author(id=wa_id, display_name=names.get(wa_id)),
            text=describe_whatsapp(kind, message),
            content_type=kind,
            sent_at=from_unix(message.get("timestamp")) or received_at,
            received_at=received_at,
        )
    )


def describe_whatsapp(kind: str, message: dict) -> str:
    """Readable text for every WhatsApp message type, so a department can act on it."""
    body = as_dict(message.get(kind))
    if kind == "text":
        return as_str(body.get("body")) or "[empty message]"
    if kind in ("image", "video", "document", "audio", "sticker"):
        label = kind
        if kind == "audio" and body.get("voice"):
            label = "voice note"
        if kind == "document" and as_str(body.get("filename")):
            label = f"document: {as_str(body.get('filename'))}"
        caption = as_str(body.get("caption"))
        return f"[{label}] {caption}" if caption else f"[{label}]"
    if kind == "location":
        place = ", ".join(p for p in (as_str(body.get("name")), as_str(body.get("address"))) if p)
        coords = f"({body.get('latitude')}, {body.get('longitude')})"
        return f"[location] {place} {coords}".replace("  ", " ").strip()
    if kind == "contacts":
        people = [
            as_str(as_dict(as_dict(c).get("name")).get("formatted_name")) or "contact"
            for c in as_list(message.get("contacts"))
        ]
        return "[contacts] " + ", ".join(people) if people else "[contacts]"
    if kind == "interactive":
        choice = as_dict(body.get("button_reply")) or as_dict(body.get("list_reply"))
        return f"[choice] {as_str(choice.get('title')) or as_str(choice.get('id')) or ''}".strip()
    if kind == "button":
        return f"[button] {as_str(body.get('text')) or ''}".strip()
    if kind == "order":
        items = as_list(body.get("product_items"))
        return f"[order] {len(items)} item(s)"
    return f"[{kind} message: not supported by WhatsApp Cloud API]"


def _author(
    author_id: str | None,
    message_id: str,
    *,
    handle: str | None = None,
    display_name: str | None = None,
) -> Author:
    if author_id:
        return Author(id=author_id, handle=handle, display_name=display_name)
    # Meta withholds the author in some payloads: the case stands alone (no threading).
    return Author(id=f"unknown:{message_id}", handle=handle, display_name=display_name)
