"""The platforms' media endpoints, read when a department opens a socialcare media link
(app/media_links.py). The brand's tokens stay here: the department's browser gets the
bytes, or a CDN address that carries none.

- WhatsApp: GET /{media-id} gives a `url` valid for 5 minutes, which itself needs the
  token (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url,
  #download-media): both read here, now.
- Telegram: getFile gives a `file_path`; the file is at /file/bot<token>/<file_path>
  (https://core.telegram.org/bots/api#getfile), the bot token in the URL: never emailed.
- Messenger and Instagram: the attachment's `payload.url` is a CDN address with no token
  (https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages):
  the browser is sent there."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import quote, urlencode

from socialcare.adapters.platform_api.graph_errors import graph_result
from socialcare.adapters.platform_api.http import HttpClient, json_object
from socialcare.adapters.platform_api.tokens import TokenSource
from socialcare.domain.case_details import DetailsProblem
from socialcare.domain.media import (
    MAX_MEDIA_BYTES,
    MediaContent,
    MediaRedirect,
    MediaUnavailable,
)
from socialcare.domain.messages import Attachment, Platform
from socialcare.domain.platform_errors import (
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
)

# Telegram's file paths are the server's ("voice/file_3.oga", "photos/file_0.jpg").
_SAFE_PATH = "/._-"


class PlatformMedia:
    def __init__(
        self, http: HttpClient, graph_url: str, telegram_url: str, tokens: TokenSource
    ) -> None:
        self._http = http
        self._graph = graph_url.rstrip("/")
        self._telegram = telegram_url.rstrip("/")
        self._tokens = tokens

    def open(
        self, platform: Platform, account_id: str, attachment: Attachment
    ) -> MediaContent | MediaRedirect:
        if attachment.url and platform in (Platform.FACEBOOK, Platform.INSTAGRAM):
            return MediaRedirect(attachment.url)
        if not attachment.media_id:
            raise MediaUnavailable(DetailsProblem.GONE, "nothing to fetch")
        try:
            if platform is Platform.WHATSAPP:
                return self._whatsapp(attachment.media_id)
            if platform is Platform.TELEGRAM:
                return self._telegram_file(attachment.media_id)
        except PlatformTokenInvalid as refused:
            raise MediaUnavailable(DetailsProblem.TOKEN, str(refused)) from None
        except (PlatformBusy, PlatformFailed, FateUnknown) as failed:
            raise MediaUnavailable(DetailsProblem.UNAVAILABLE, type(failed).__name__) from None
        except PlatformRefused as refused:
            raise MediaUnavailable(DetailsProblem.GONE, str(refused)[:200]) from None
        raise MediaUnavailable(DetailsProblem.GONE, f"no media endpoint for {platform}")

    def _whatsapp(self, media_id: str) -> MediaContent:
        tokens = self._tokens()
        token = tokens.whatsapp_token
        if not token:
            raise MediaUnavailable(DetailsProblem.TOKEN, "no token")
        query: dict[str, str] = {}
        if tokens.meta_app_secret:  # as meta.py: appsecret_proof beside every call
            key = tokens.meta_app_secret.encode()
            query["appsecret_proof"] = hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
        bearer = {"Authorization": f"Bearer {token}"}
        url = f"{self._graph}/{quote(media_id, safe='')}"
        answer = self._http.request(
            "GET", f"{url}?{urlencode(query)}" if query else url, headers=bearer
        )
        found = graph_result(answer, method="GET", platform=Platform.WHATSAPP, wait=0.0)
        _fits(found.get("file_size"))
        where = str(found.get("url") or "")
        # Meta's answer names where the file is (https); the local emulator serves it
        # beside its Graph API.
        if not where.startswith(("https://", self._graph.rsplit("/", 1)[0] + "/")):
            raise MediaUnavailable(DetailsProblem.GONE, "no media url")
        status, kind, body = self._http.download(where, headers=bearer, limit=MAX_MEDIA_BYTES)
        return _content(status, str(found.get("mime_type") or kind), body)

    def _telegram_file(self, file_id: str) -> MediaContent:
        token = self._tokens().telegram_bot_token
        if not token:
            raise MediaUnavailable(DetailsProblem.TOKEN, "no token")
        answer = self._http.request(
            "POST", f"{self._telegram}/bot{token}/getFile", json_body={"file_id": file_id}
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 401:
            raise MediaUnavailable(DetailsProblem.TOKEN, "Unauthorized")
        if answer.status >= 500 or answer.status == 429:
            raise MediaUnavailable(DetailsProblem.UNAVAILABLE, f"getFile {answer.status}")
        result = json_object(body.get("result"))
        path = str(result.get("file_path") or "")
        if not body.get("ok") or not path:
            raise MediaUnavailable(DetailsProblem.GONE, "getFile gave no file")
        _fits(result.get("file_size"))
        where = f"{self._telegram}/file/bot{token}/{quote(path, safe=_SAFE_PATH)}"
        status, kind, raw = self._http.download(where, limit=MAX_MEDIA_BYTES)
        return _content(status, kind, raw)


def _fits(size: Any) -> None:
    if isinstance(size, int) and size > MAX_MEDIA_BYTES:
        raise MediaUnavailable(DetailsProblem.GONE, "over the link's size", too_large=True)


def _content(status: int, kind: str, body: bytes) -> MediaContent:
    if status in (404, 410):
        raise MediaUnavailable(DetailsProblem.GONE, f"download {status}")
    if status >= 400:
        raise MediaUnavailable(DetailsProblem.UNAVAILABLE, f"download {status}")
    if len(body) > MAX_MEDIA_BYTES:
        raise MediaUnavailable(DetailsProblem.GONE, "over the link's size", too_large=True)
    # Only a media type is passed on (never HTML a file could claim to be).
    safe = kind.split(";")[0].strip().lower()
    if not safe.startswith(("image/", "audio/", "video/", "application/pdf")):
        safe = "application/octet-stream"
    return MediaContent(body, safe)
