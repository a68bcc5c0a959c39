"""Instagram: comments, live comments, mentions, and direct messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialcare.domain.accounts import BrandAccounts
from socialcare.domain.messages import Channel, InboundMessage, ReplyTarget
from socialcare.platforms.base import ParsedDelivery, as_dict, as_list, as_str
from socialcare.platforms.ids import NUMERIC, Malformed, optional, shaped, unix_time
from socialcare.platforms.meta.common import author, brand_account
from socialcare.platforms.meta.messenger import conversations

# The Instagram webhook fields read here (changes[].field); direct messages come in the
# `messaging` items Messenger's parser reads (the "messages" field).
CONSUMED_FIELDS = ("comments", "live_comments", "mentions")


def instagram_entry(
    entry: Any, accounts: BrandAccounts, received_at: datetime, delivery: ParsedDelivery
) -> None:
    entry = as_dict(entry)
    account_id = brand_account(entry, "instagram_accounts", accounts, delivery)
    if account_id is None:
        return
    sent_at = unix_time(entry.get("time"), "entry.time", "auto") or received_at
    conversations(entry, Channel.INSTAGRAM_DM, "instagram_dm", account_id, received_at, delivery)
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
            reply_to=ReplyTarget(
                account_id=account_id,
                thread_id=media_id,
                message_id=comment_id,
                parent_id=parent_id,
            ),
            author=author(author_id, comment_id, handle=as_str(sender.get("username"))),
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
    # Meta sends only ids for mentions; triage reads the words through the Graph API
    # (app/case_details.py: `mentioned_comment`, `mentioned_media`) before classifying.
    # Until then, and if the read fails, the case says what it is (no developer words).
    comment_id = optional(value.get("comment_id"), "comment_id", NUMERIC)
    media_id = optional(value.get("media_id"), "media_id", NUMERIC)
    message_id = comment_id or media_id
    if not message_id:
        raise Malformed("mention without ids")
    sender = as_dict(value.get("from"))
    where = "a comment" if comment_id else "a post caption"
    text = as_str(value.get("text")) or f"[mention in {where}]"
    delivery.messages.append(
        InboundMessage.on(
            Channel.INSTAGRAM_MENTION,
            dedup_key=f"instagram:mention:{message_id}",
            reply_to=ReplyTarget(account_id=account_id, thread_id=media_id, message_id=message_id),
            author=author(
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
