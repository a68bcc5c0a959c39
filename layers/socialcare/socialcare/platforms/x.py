"""X Account Activity webhooks: CRC challenge, signature, mentions and direct messages."""

from __future__ import annotations

import base64
import hmac
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialcare.domain.accounts import ANY_ACCOUNT, BrandAccounts
from socialcare.domain.credentials import PlatformSecrets
from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.platforms.base import (
    HttpReply,
    ParsedDelivery,
    PayloadInvalid,
    SignatureInvalid,
    as_count,
    as_dict,
    as_list,
    as_str,
    hmac_sha256,
)
from socialcare.platforms.ids import NUMERIC, Malformed, optional, shaped, unix_time

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
# X sends a base64 token (of a UUID: 48 characters). Nothing else is signed: the answer is
# an HMAC with the same key as a delivery's signature, so a token that could be a JSON
# body would make the handshake sign forged deliveries.
_CRC_TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{1,256}")
_KNOWN_EVENT_KEYS = {"tweet_create_events", "direct_message_events", "for_user_id", "users"}


def _signature(secret: str, payload: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac_sha256(secret, payload)).decode("ascii")


def handshake(query: Mapping[str, str], secrets: PlatformSecrets) -> HttpReply:
    """CRC check: prove we hold the consumer secret by signing the crc_token."""
    token = query.get("crc_token")
    if not token or not _CRC_TOKEN.fullmatch(token):
        raise PayloadInvalid("crc_token is required: up to 256 base64 characters")
    if not secrets.x_consumer_secret:
        raise SignatureInvalid("signature check not configured")
    response = {"response_token": _signature(secrets.x_consumer_secret, token.encode("utf-8"))}
    return HttpReply(200, json.dumps(response))


def verify(headers: Mapping[str, str], raw_body: bytes, secrets: PlatformSecrets) -> None:
    provided = headers.get(SIGNATURE_HEADER)
    if not secrets.x_consumer_secret:
        raise SignatureInvalid("signature check not configured")
    if not provided or not provided.startswith("sha256="):
        raise SignatureInvalid("missing or malformed signature")
    expected = _signature(secrets.x_consumer_secret, raw_body)
    if not hmac.compare_digest(provided.encode("utf-8"), expected.encode("utf-8")):
        raise SignatureInvalid("signature does not match")


def sign(raw_body: bytes, consumer_secret: str) -> str:
    return _signature(consumer_secret, raw_body)


def parse(
    payload: Any, received_at: datetime, accounts: BrandAccounts = ANY_ACCOUNT
) -> ParsedDelivery:
    delivery = ParsedDelivery()
    body = as_dict(payload)
    for key, value in body.items():
        # Every activity arrives as a list under "<kind>_events"; other keys are context.
        if key.endswith("_events") and key not in _KNOWN_EVENT_KEYS:
            delivery.ignore("other_event", event=key[:60], count=len(as_list(value)))
    tweets = as_list(body.get("tweet_create_events"))
    dms = as_list(body.get("direct_message_events"))
    if not tweets and not dms:
        return delivery
    try:
        brand_id = shaped(body.get("for_user_id"), "for_user_id", NUMERIC)
    except Malformed as error:
        delivery.ignore("malformed", reason=str(error))
        return delivery
    if not accounts.owns("x_users", brand_id):
        delivery.ignore("other_account", account_kind="x_users", items=len(tweets) + len(dms))
        return delivery
    delivery.each(tweets, _tweet, brand_id, received_at)
    delivery.each(dms, _direct_message, brand_id, as_dict(body.get("users")), received_at)
    return delivery


def _id(item: dict, field: str) -> str | None:
    """X sends ids twice: a number ("id") and the same as a string ("id_str")."""
    value = item.get(f"{field}_str")
    return optional(item.get(field) if value is None else value, field, NUMERIC)


def _tweet(tweet: Any, brand_id: str, received_at: datetime, delivery: ParsedDelivery) -> None:
    tweet = as_dict(tweet)
    user = as_dict(tweet.get("user"))
    author_id = _id(user, "id")
    tweet_id = _id(tweet, "id")
    replied_to = _id(tweet, "in_reply_to_status_id")
    sent_at = _tweet_time(tweet) or received_at
    if author_id == brand_id:
        delivery.brand_reply(
            Channel.X_MENTION,
            f"x:tweet:{brand_id}:{replied_to}" if replied_to else None,
            tweet_id,
            sent_at,
        )
        return
    if "retweeted_status" in tweet:
        delivery.ignore("retweet")
        return
    if not author_id or not tweet_id:
        raise Malformed("tweet without id or author")
    # Long posts arrive truncated; the whole text is in extended_tweet.
    text = (
        as_str(as_dict(tweet.get("extended_tweet")).get("full_text"))
        or as_str(tweet.get("full_text"))
        or as_str(tweet.get("text"))
        or "[post without text]"
    )
    language = as_str(tweet.get("lang"))
    delivery.messages.append(
        InboundMessage.on(
            Channel.X_MENTION,
            dedup_key=f"x:tweet:{brand_id}:{tweet_id}",
            reply_to=ReplyTarget(
                account_id=brand_id, thread_id=replied_to or tweet_id, message_id=tweet_id
            ),
            author=Author(
                id=author_id,
                handle=as_str(user.get("screen_name")),
                display_name=as_str(user.get("name")),
                followers=as_count(user.get("followers_count")),
            ),
            text=text,
            language=None if language in (None, "und") else language[:8],
            sent_at=sent_at,
            received_at=received_at,
        )
    )


def _tweet_time(tweet: dict) -> datetime | None:
    if tweet.get("timestamp_ms") is not None:
        return unix_time(tweet.get("timestamp_ms"), "timestamp_ms", "ms")
    created = tweet.get("created_at")
    if isinstance(created, str):
        try:
            return datetime.strptime(created, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            raise Malformed("created_at is not X's date format") from None
    return None


def _direct_message(
    event: Any, brand_id: str, users: dict, received_at: datetime, delivery: ParsedDelivery
) -> None:
    event = as_dict(event)
    if event.get("type") != "message_create":
        delivery.ignore("other_event", event=str(event.get("type"))[:40])
        return
    create = as_dict(event.get("message_create"))
    sender_id = optional(create.get("sender_id"), "sender_id", NUMERIC)
    event_id = optional(event.get("id"), "id", NUMERIC)
    if sender_id == brand_id:
        delivery.ignore("own_message")
        return
    if not sender_id or not event_id:
        raise Malformed("direct message without id or sender")
    data = as_dict(create.get("message_data"))
    text = as_str(data.get("text")) or ""
    media = as_dict(as_dict(data.get("attachment")).get("media"))
    kind = (as_str(media.get("type")) or "media")[:20] if media else None
    if kind:
        text = f"[{kind}] {text}".strip()
    user = as_dict(users.get(sender_id))
    sent_at = unix_time(event.get("created_timestamp"), "created_timestamp", "ms")
    delivery.messages.append(
        InboundMessage.on(
            Channel.X_DM,
            dedup_key=f"x:dm:{brand_id}:{event_id}",
            reply_to=ReplyTarget(
                account_id=brand_id, conversation_id=sender_id, message_id=event_id
            ),
            author=Author(
                id=sender_id,
                handle=as_str(user.get("screen_name")),
                display_name=as_str(user.get("name")),
                followers=as_count(user.get("followers_count")),
            ),
            text=text or "[empty message]",
            content_type=kind or "text",
            sent_at=sent_at or received_at,
            received_at=received_at,
        )
    )
