"""Facebook Page: feed changes (comments, posts, their edits and removals, the page's own
replies) and the page's Messenger conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialcare.domain.accounts import BrandAccounts
from socialcare.domain.messages import (
    ChangeKind,
    Channel,
    InboundMessage,
    MessageChange,
    ReplyTarget,
)
from socialcare.platforms.base import ParsedDelivery, as_dict, as_list, as_str
from socialcare.platforms.ids import FEED, NUMERIC, Malformed, optional, unix_time
from socialcare.platforms.meta.common import author, brand_account
from socialcare.platforms.meta.messenger import conversations

# The Page webhook fields read here (changes[].field); `socialcare connect meta` subscribes
# them (with Messenger's) on each Page.
CONSUMED_FIELDS = ("feed",)
_FEED_ITEMS = {"comment", "post", "status", "photo", "video", "share"}
_EDITED = {"edited", "edit", "update"}
_REMOVED = {"remove", "delete"}


def page_entry(
    entry: Any, accounts: BrandAccounts, received_at: datetime, delivery: ParsedDelivery
) -> None:
    entry = as_dict(entry)
    page_id = brand_account(entry, "facebook_pages", accounts, delivery)
    if page_id is None:
        return
    entry_time = unix_time(entry.get("time"), "entry.time", "auto") or received_at
    for change in as_list(entry.get("changes")):
        change = as_dict(change)
        if change.get("field") not in CONSUMED_FIELDS:
            delivery.ignore("unknown_field", field=str(change.get("field"))[:40])
            continue
        delivery.each(
            [as_dict(change.get("value"))], _feed_change, page_id, entry_time, received_at
        )
    conversations(entry, Channel.MESSENGER, "messenger", page_id, received_at, delivery)


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
            author=author(author_id, message_id, display_name=as_str(sender.get("name"))),
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
