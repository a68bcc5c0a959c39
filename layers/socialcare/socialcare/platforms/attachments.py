"""The media a customer sent, typed (domain/messages.Attachment), from each platform's
message: what socialcare needs to fetch it later through the platform's own media
endpoint, and nothing that would let an email reach the platform by itself."""

from __future__ import annotations

import re

from socialcare.domain.messages import Attachment
from socialcare.platforms.base import as_dict, as_list, as_str

# WhatsApp media ids are numeric (GET /{media-id},
# https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media); Telegram's
# file_id is an opaque string of URL-safe base64 characters
# (https://core.telegram.org/bots/api#file).
_WHATSAPP_MEDIA_ID = re.compile(r"[0-9]{1,32}")
_TELEGRAM_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")
_WHATSAPP_KINDS = ("image", "video", "document", "audio", "sticker")
_META_KINDS = ("image", "video", "audio", "file")
_TELEGRAM_KINDS = ("photo", "voice", "audio", "video", "video_note", "document", "sticker")
_TELEGRAM_AS = {"photo": "image", "video_note": "video"}


def whatsapp(kind: str, message: dict) -> tuple[Attachment, ...]:
    """A media message's `{type: {id, ...}}`; a voice note is audio with `voice: true`."""
    if kind not in _WHATSAPP_KINDS:
        return ()
    body = as_dict(message.get(kind))
    media_id = as_str(body.get("id"))
    if not media_id or not _WHATSAPP_MEDIA_ID.fullmatch(media_id):
        return ()
    named = "voice" if kind == "audio" and body.get("voice") else kind
    return (Attachment(kind=named, media_id=media_id, name=_name(body.get("filename"))),)


def meta(attachments: list[dict]) -> tuple[Attachment, ...]:
    """Messenger's and Instagram's `attachments[].payload.url` (image, video, audio,
    file): an https CDN address that expires."""
    found = []
    for attachment in attachments:
        kind = str(attachment.get("type") or "")
        url = as_str(as_dict(attachment.get("payload")).get("url"))
        if kind in _META_KINDS and url and url.startswith("https://") and len(url) <= 2048:
            found.append(Attachment(kind=kind, url=url))
    return tuple(found)


def telegram(message: dict) -> tuple[Attachment, ...]:
    """The file of a media message; of a photo, its largest size (the list's last)."""
    kind = next((k for k in _TELEGRAM_KINDS if k in message), None)
    if kind is None:
        return ()
    item = message.get(kind)
    if kind == "photo":
        sizes = as_list(item)
        item = sizes[-1] if sizes else {}
    body = as_dict(item)
    file_id = as_str(body.get("file_id"))
    if not file_id or not _TELEGRAM_FILE_ID.fullmatch(file_id):
        return ()
    named = _TELEGRAM_AS.get(kind, kind)
    return (Attachment(kind=named, media_id=file_id, name=_name(body.get("file_name"))),)


def _name(value: object) -> str | None:
    name = as_str(value)
    return name[:200] if name else None
