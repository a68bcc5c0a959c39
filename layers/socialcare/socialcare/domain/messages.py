"""The one shape every platform's message is normalised into."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# More than any platform lets a person write (X's long posts: 25,000 characters); longer
# texts are cut, so a message always fits in one DynamoDB item (400 KB).
MAX_TEXT = 25_000
MAX_NAME = 200


def _cut(value: str | None, limit: int) -> str | None:
    return value if value is None or len(value) <= limit else value[:limit] + " […]"


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    WHATSAPP = "whatsapp"
    X = "x"
    TELEGRAM = "telegram"


class Channel(StrEnum):
    FACEBOOK_COMMENT = "facebook_comment"
    MESSENGER = "messenger"
    INSTAGRAM_COMMENT = "instagram_comment"
    INSTAGRAM_MENTION = "instagram_mention"
    INSTAGRAM_DM = "instagram_dm"
    WHATSAPP = "whatsapp"
    X_MENTION = "x_mention"
    X_DM = "x_dm"
    TELEGRAM = "telegram"

    @property
    def platform(self) -> Platform:
        return _CHANNEL_PLATFORM[self]

    @property
    def is_public(self) -> bool:
        return self in _PUBLIC_CHANNELS


_CHANNEL_PLATFORM = {
    Channel.FACEBOOK_COMMENT: Platform.FACEBOOK,
    Channel.MESSENGER: Platform.FACEBOOK,
    Channel.INSTAGRAM_COMMENT: Platform.INSTAGRAM,
    Channel.INSTAGRAM_MENTION: Platform.INSTAGRAM,
    Channel.INSTAGRAM_DM: Platform.INSTAGRAM,
    Channel.WHATSAPP: Platform.WHATSAPP,
    Channel.X_MENTION: Platform.X,
    Channel.X_DM: Platform.X,
    Channel.TELEGRAM: Platform.TELEGRAM,
}
_PUBLIC_CHANNELS = {
    Channel.FACEBOOK_COMMENT,
    Channel.INSTAGRAM_COMMENT,
    Channel.INSTAGRAM_MENTION,
    Channel.X_MENTION,
}


class Author(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = None
    # Other ids of the same person on the platform: a WhatsApp customer known by a
    # business-scoped user id may also arrive with a phone number (customer lookup).
    aliases: list[str] | None = None


class ReplyTarget(BaseModel):
    """The platform ids needed to answer later, publicly or privately."""

    model_config = ConfigDict(frozen=True)

    # The brand's own account the message reached: page id, Instagram account id,
    # WhatsApp phone-number id, X user id (for_user_id) or Telegram bot id.
    account_id: str
    # Where a private answer goes: Messenger PSID, Instagram IGSID, WhatsApp wa_id,
    # X DM sender id, Telegram chat id. None for public items.
    conversation_id: str | None = None
    # The public thread: Facebook post id, Instagram media id, X conversation/tweet id.
    thread_id: str | None = None
    # The message itself: comment id, mid, wamid, tweet id, DM event id, Telegram message id.
    message_id: str
    # Telegram Business: the connection a business account's chat came through; a reply
    # goes on its behalf, or it comes from the bot itself.
    business_connection_id: str | None = None
    # Instagram: the top-level comment a reply-to-a-reply was written under. Meta adds a
    # reply to a reply to that top-level comment ("replies to a reply will be added to the
    # top-level comment", https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies),
    # so that is where the brand's reply is looked for.
    parent_id: str | None = None


class Attachment(BaseModel):
    """Something the customer sent beside words (an image, a voice note, a video, a
    document), as the platform names it: kept typed beside the text, so the department
    opens it through a socialcare link (app/media_links.py) and nothing in the text
    carries a platform address or token."""

    model_config = ConfigDict(frozen=True)

    kind: str  # image, video, audio, voice, document, sticker, file
    # WhatsApp's media id or Telegram's file_id: read through the platform's API, with
    # the brand's token, when the link is opened.
    media_id: str | None = None
    # Messenger's and Instagram's payload.url: a CDN address that expires.
    url: str | None = None
    name: str | None = None  # a document's file name


class InboundMessage(BaseModel):
    """One customer message, whatever platform it came from."""

    model_config = ConfigDict(frozen=True)

    platform: Platform
    channel: Channel
    public: bool
    # Stable across redeliveries: the same message always has the same key.
    dedup_key: str
    reply_to: ReplyTarget
    author: Author
    text: str
    # "text", or what else the customer sent ("image", "audio", "location"...).
    content_type: str = "text"
    language: str | None = None
    sent_at: datetime
    received_at: datetime
    extra: dict[str, str] = Field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()

    @classmethod
    def on(
        cls,
        channel: Channel,
        *,
        text: str,
        author: Author,
        public: bool | None = None,
        **fields: Any,
    ) -> InboundMessage:
        """A message on this channel; platform and visibility follow from the channel. Text
        and names are cut to their bounds here (a pydantic validator on each model costs
        the webhook's cold start)."""
        visible = channel.is_public if public is None else public
        names = {"handle": author.handle, "display_name": author.display_name}
        if any(name and len(name) > MAX_NAME for name in names.values()):
            author = author.model_copy(update={k: _cut(v, MAX_NAME) for k, v in names.items()})
        return cls(
            platform=channel.platform,
            channel=channel,
            public=visible,
            text=_cut(text, MAX_TEXT) or "",
            author=author,
            **fields,
        )


class BrandResponse(BaseModel):
    """The brand's own public reply to a customer's message: the case's first public
    response time, when it is the first."""

    model_config = ConfigDict(frozen=True)

    channel: Channel
    # The dedup key of the customer's message it answers (finds the case).
    replied_key: str
    response_id: str
    responded_at: datetime


class ChangeKind(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"


class MessageChange(BaseModel):
    """The customer edited or deleted a message they sent before: noted on its case's
    timeline (the message as first received stays as the department saw it)."""

    model_config = ConfigDict(frozen=True)

    channel: Channel
    kind: ChangeKind
    # The dedup key of the message changed (finds the case).
    original_key: str
    text: str | None = None  # the new text of an edit (cut to MAX_TEXT: see `of`)
    changed_at: datetime

    @classmethod
    def of(
        cls, channel: Channel, kind: ChangeKind, original_key: str, **fields: Any
    ) -> MessageChange:
        text = fields.pop("text", None)
        return cls(
            channel=channel,
            kind=kind,
            original_key=original_key,
            text=_cut(text, MAX_TEXT),
            **fields,
        )
