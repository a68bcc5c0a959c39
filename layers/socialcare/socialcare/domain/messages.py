"""The one shape every platform's message is normalised into: frozen dataclasses whose
fields are checked strictly when built (domain/values.py), so a value a platform's parser
let through with the wrong type or out of bounds is refused, never stored."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from socialcare.domain import values

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    id: str
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = None
    # Other ids of the same person on the platform: a WhatsApp customer known by a
    # business-scoped user id may also arrive with a phone number (customer lookup).
    aliases: list[str] | None = None

    def __post_init__(self) -> None:
        values.text("author.id", self.id)
        values.text("author.handle", self.handle, optional=True)
        values.text("author.display_name", self.display_name, optional=True)
        values.whole("author.followers", self.followers, optional=True)
        values.texts("author.aliases", self.aliases, optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyTarget:
    """The platform ids needed to answer later, publicly or privately."""

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

    def __post_init__(self) -> None:
        values.text("reply_to.account_id", self.account_id)
        values.text("reply_to.message_id", self.message_id)
        for name in ("conversation_id", "thread_id", "business_connection_id", "parent_id"):
            values.text(f"reply_to.{name}", getattr(self, name), optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """Something the customer sent beside words (an image, a voice note, a video, a
    document), as the platform names it: kept typed beside the text, so the department
    opens it through a socialcare link (app/media_links.py) and nothing in the text
    carries a platform address or token."""

    kind: str  # image, video, audio, voice, document, sticker, file
    # WhatsApp's media id or Telegram's file_id: read through the platform's API, with
    # the brand's token, when the link is opened.
    media_id: str | None = None
    # Messenger's and Instagram's payload.url: a CDN address that expires.
    url: str | None = None
    name: str | None = None  # a document's file name

    def __post_init__(self) -> None:
        values.text("attachment.kind", self.kind)
        for name in ("media_id", "url", "name"):
            values.text(f"attachment.{name}", getattr(self, name), optional=True)

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Attachment:
        """An attachment as stored (its fields; others ignored, absent ones None)."""
        return cls(
            kind=item.get("kind"),  # type: ignore[arg-type]  # checked when built
            media_id=item.get("media_id"),
            url=item.get("url"),
            name=item.get("name"),
        )


def without_none(value: Author | ReplyTarget | Attachment) -> dict[str, Any]:
    """The fields that are set, as stored (a list copied, never shared)."""
    return {
        name: list(item) if isinstance(item, list) else item
        for name in value.__dataclass_fields__
        if (item := getattr(value, name)) is not None
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundMessage:
    """One customer message, whatever platform it came from."""

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
    extra: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        values.member("platform", self.platform, Platform)
        values.member("channel", self.channel, Channel)
        values.instance("public", self.public, bool)
        values.text("dedup_key", self.dedup_key)
        values.instance("reply_to", self.reply_to, ReplyTarget)
        values.instance("author", self.author, Author)
        values.text("text", self.text)
        values.text("content_type", self.content_type)
        values.text("language", self.language, optional=True)
        values.moment("sent_at", self.sent_at)
        values.moment("received_at", self.received_at)
        values.text_map("extra", self.extra)
        values.instance("attachments", self.attachments, tuple)
        for attachment in self.attachments:
            values.instance("attachments", attachment, Attachment)

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
        and names are cut to their bounds here."""
        visible = channel.is_public if public is None else public
        if any(name and len(name) > MAX_NAME for name in (author.handle, author.display_name)):
            author = replace(
                author,
                handle=_cut(author.handle, MAX_NAME),
                display_name=_cut(author.display_name, MAX_NAME),
            )
        return cls(
            platform=channel.platform,
            channel=channel,
            public=visible,
            text=_cut(text, MAX_TEXT) or "",
            author=author,
            **fields,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandResponse:
    """The brand's own public reply to a customer's message: the case's first public
    response time, when it is the first."""

    channel: Channel
    # The dedup key of the customer's message it answers (finds the case).
    replied_key: str
    response_id: str
    responded_at: datetime

    def __post_init__(self) -> None:
        values.member("channel", self.channel, Channel)
        values.text("replied_key", self.replied_key)
        values.text("response_id", self.response_id)
        values.moment("responded_at", self.responded_at)


class ChangeKind(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageChange:
    """The customer edited or deleted a message they sent before: noted on its case's
    timeline (the message as first received stays as the department saw it)."""

    channel: Channel
    kind: ChangeKind
    # The dedup key of the message changed (finds the case).
    original_key: str
    text: str | None = None  # the new text of an edit (cut to MAX_TEXT: see `of`)
    changed_at: datetime

    def __post_init__(self) -> None:
        values.member("channel", self.channel, Channel)
        values.member("kind", self.kind, ChangeKind)
        values.text("original_key", self.original_key)
        values.text("text", self.text, optional=True)
        values.moment("changed_at", self.changed_at)

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
