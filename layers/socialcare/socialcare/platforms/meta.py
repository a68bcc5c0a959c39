"""Meta webhooks: Facebook Page feed, Messenger, Instagram and WhatsApp Cloud API.

One endpoint serves the three `object` kinds. Every entry and every change or messaging
item of a delivery is looked at, each on its own (a malformed one does not stop the
others); customer messages become InboundMessages, their edits and deletions
MessageChanges, the brand's own public replies BrandResponses.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialcare.domain.accounts import ANY_ACCOUNT, AccountKind, BrandAccounts
from socialcare.domain.messages import (
    Author,
    ChangeKind,
    Channel,
    InboundMessage,
    MessageChange,
    ReplyTarget,
)
from socialcare.domain.ports import PlatformSecrets
from socialcare.platforms import whatsapp
from socialcare.platforms.base import (
    HandshakeRefused,
    HttpReply,
    ParsedDelivery,
    SignatureInvalid,
    as_dict,
    as_list,
    as_str,
    hmac_sha256,
    same_secret,
)
from socialcare.platforms.ids import FEED, NUMERIC, Malformed, optional, shaped, unix_time
from socialcare.platforms.meta_messaging import direct_message

SIGNATURE_HEADER = "x-hub-signature-256"
_FEED_ITEMS = {"comment", "post", "status", "photo", "video", "share"}
_EDITED = {"edited", "edit", "update"}
_REMOVED = {"remove", "delete"}
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


def parse(
    payload: Any, received_at: datetime, accounts: BrandAccounts = ANY_ACCOUNT
) -> ParsedDelivery:
    delivery = ParsedDelivery()
    body = as_dict(payload)
    kind = body.get("object")
    entries = as_list(body.get("entry"))
    if kind == "page":
        delivery.each(entries, _page_entry, accounts, received_at)
    elif kind == "instagram":
        delivery.each(entries, _instagram_entry, accounts, received_at)
    elif kind == "whatsapp_business_account":
        delivery.each(entries, whatsapp.entry, accounts, received_at)
    elif entries:
        delivery.ignore("unknown_object", object=str(kind)[:40])
    if not entries:
        delivery.ignore("empty_delivery", object=str(kind)[:40])
    return delivery


def _brand_account(
    entry: dict, kind: AccountKind, accounts: BrandAccounts, delivery: ParsedDelivery
) -> str | None:
    """The entry's account id, when it is one of the brand's (else the entry is ignored)."""
    account_id = shaped(entry.get("id"), "entry.id", NUMERIC)
    if accounts.owns(kind, account_id):
        return account_id
    delivery.ignore("other_account", account_kind=kind)
    return None


def _conversations(
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


# --- Facebook Page ---------------------------------------------------------------------


def _page_entry(
    entry: Any, accounts: BrandAccounts, received_at: datetime, delivery: ParsedDelivery
) -> None:
    entry = as_dict(entry)
    page_id = _brand_account(entry, "facebook_pages", accounts, delivery)
    if page_id is None:
        return
    entry_time = unix_time(entry.get("time"), "entry.time", "auto") or received_at
    for change in as_list(entry.get("changes")):
        change = as_dict(change)
        if change.get("field") != "feed":
            delivery.ignore("unknown_field", field=str(change.get("field"))[:40])
            continue
        delivery.each(
            [as_dict(change.get("value"))], _feed_change, page_id, entry_time, received_at
        )
    _conversations(entry, Channel.MESSENGER, "messenger", page_id, received_at, delivery)


def _feed_change(
    value: dict,
    page_id: str,
    entry_time: datetime,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    # Strings or nothing: a list or an object here must not reach a set lookup.
    item, verb = as_str(value.get("item")), as_str(value.get("verb"))
    sender = as_dict(value.get("from"))
    author_id = optional(sender.get("id"), "from.id", NUMERIC)
    if item in ("reaction", "like"):
        delivery.ignore("reaction")
        return
    if item not in _FEED_ITEMS:
        delivery.ignore("unknown_feed_item", item=str(item)[:40])
        return
    comment_id = optional(value.get("comment_id"), "comment_id", FEED)
    post_id = optional(value.get("post_id"), "post_id", FEED)
    parent_id = optional(value.get("parent_id"), "parent_id", FEED)
    message_id = comment_id if item == "comment" else post_id
    sent_at = _feed_time(value.get("created_time")) or entry_time
    key = f"facebook:{'comment' if item == 'comment' else 'post'}:{message_id}"
    if verb in _EDITED or verb in _REMOVED:
        if not message_id:
            raise Malformed("feed change without item id")
        delivery.changes.append(
            MessageChange.of(
                channel=Channel.FACEBOOK_COMMENT,
                kind=ChangeKind.EDITED if verb in _EDITED else ChangeKind.DELETED,
                original_key=key,
                text=as_str(value.get("message")) if verb in _EDITED else None,
                changed_at=sent_at,
            )
        )
        return
    if verb != "add":
        delivery.ignore("feed_change", verb=str(verb)[:20])
        return
    if author_id and author_id == page_id:
        # The page answering in public: a reply to a comment, or a comment on a post.
        replied = parent_id if item == "comment" else None
        kind = "post" if replied == post_id else "comment"
        delivery.brand_reply(
            Channel.FACEBOOK_COMMENT,
            f"facebook:{kind}:{replied}" if replied else None,
            comment_id,
            sent_at,
        )
        return
    if not message_id:
        raise Malformed("feed change without item id")
    text = as_str(value.get("message")) or ""
    if not text:
        text = f"[{item}]" if item != "comment" else "[comment without text]"
    delivery.messages.append(
        InboundMessage.on(
            Channel.FACEBOOK_COMMENT,
            dedup_key=key,
            reply_to=ReplyTarget(account_id=page_id, thread_id=post_id, message_id=message_id),
            author=_author(author_id, message_id, display_name=as_str(sender.get("name"))),
            text=text,
            content_type="text" if item in ("comment", "status", "post") else item,
            sent_at=sent_at,
            received_at=received_at,
            extra={"parent_id": parent_id} if parent_id else {},
        )
    )


def _feed_time(value: Any) -> datetime | None:
    """Page feed times come as Unix seconds or as ISO 8601 ("2026-11-24T09:01:00+0000")."""
    if isinstance(value, str) and not value.isdigit():
        try:
            return datetime.fromisoformat(value.replace("+0000", "+00:00"))
        except ValueError:
            raise Malformed("created_time is not a time") from None
    return unix_time(value, "created_time")


# --- Instagram ----------------------------------------------------------------------------


def _instagram_entry(
    entry: Any, accounts: BrandAccounts, received_at: datetime, delivery: ParsedDelivery
) -> None:
    entry = as_dict(entry)
    account_id = _brand_account(entry, "instagram_accounts", accounts, delivery)
    if account_id is None:
        return
    sent_at = unix_time(entry.get("time"), "entry.time", "auto") or received_at
    _conversations(entry, Channel.INSTAGRAM_DM, "instagram_dm", account_id, received_at, delivery)
    for change in as_list(entry.get("changes")):
        change = as_dict(change)
        field = change.get("field")
        value = as_dict(change.get("value"))
        if field in ("comments", "live_comments"):
            delivery.each([value], _instagram_comment, account_id, sent_at, received_at)
        elif field == "mentions":
            delivery.each([value], _instagram_mention, account_id, sent_at, received_at)
        else:
            delivery.ignore("unknown_field", field=str(field)[:40])


def _instagram_comment(
    value: dict,
    account_id: str,
    sent_at: datetime,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    sender = as_dict(value.get("from"))
    author_id = optional(sender.get("id"), "from.id", NUMERIC)
    comment_id = shaped(value.get("id"), "id", NUMERIC)
    media_id = optional(as_dict(value.get("media")).get("id"), "media.id", NUMERIC)
    parent_id = optional(value.get("parent_id"), "parent_id", NUMERIC)
    if author_id and author_id == account_id:
        replied = f"instagram:comment:{parent_id}" if parent_id else None
        delivery.brand_reply(Channel.INSTAGRAM_COMMENT, replied, comment_id, sent_at)
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
            extra={"parent_id": parent_id} if parent_id else {},
        )
    )


def _instagram_mention(
    value: dict,
    account_id: str,
    sent_at: datetime,
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    # Meta sends only ids for mentions; the text is read later through the Graph API
    # (`/{ig-user-id}/mentioned_comment` or `mentioned_media`), so the case says so.
    comment_id = optional(value.get("comment_id"), "comment_id", NUMERIC)
    media_id = optional(value.get("media_id"), "media_id", NUMERIC)
    message_id = comment_id or media_id
    if not message_id:
        raise Malformed("mention without ids")
    sender = as_dict(value.get("from"))
    where = "a comment" if comment_id else "a post caption"
    text = as_str(value.get("text")) or f"[mention in {where}: text to fetch from the Graph API]"
    delivery.messages.append(
        InboundMessage.on(
            Channel.INSTAGRAM_MENTION,
            dedup_key=f"instagram:mention:{message_id}",
            reply_to=ReplyTarget(account_id=account_id, thread_id=media_id, message_id=message_id),
            author=_author(
                optional(sender.get("id"), "from.id", NUMERIC),
                message_id,
                handle=as_str(sender.get("username")),
            ),
            text=text,
            content_type="mention",
            sent_at=sent_at,
            received_at=received_at,
        )
    )


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
