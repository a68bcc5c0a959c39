"""The platforms' media, for the emulator: every image, voice note or document a delivery
carried (learnt as the stack receives it) is kept as a few bytes, served as the
platforms serve media:

- WhatsApp: GET /{version}/{media-id} with the WhatsApp token answers
  {"messaging_product", "url", "mime_type", "sha256", "file_size", "id"}; the `url`
  answers the file only with the same token in Authorization, for 5 minutes
  (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url,
  #download-media: "the URL is only valid for 5 minutes"); an unknown media id is
  Graph's 100, a missing or wrong token 401 (the status for a download with none is not
  documented: 401 is the emulator's choice).
- Telegram: getFile {file_id} answers {file_id, file_unique_id, file_size, file_path};
  the file is at /file/bot<token>/<file_path> (https://core.telegram.org/bots/api#getfile);
  an unknown file_id is "Bad Request: invalid file_id" (the Bot API server's words)."""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any
from urllib.parse import parse_qs

from socialcare_cli.local.platform_state import graph_error

URL_SECONDS = 300
_TELEGRAM_NOT_FOUND = b'{"ok":false,"error_code":404,"description":"Not Found"}'
DOWNLOAD_PATH = "/whatsapp_business/attachments/"
_TYPES = {
    "image": ("image/jpeg", "jpg"),
    "video": ("video/mp4", "mp4"),
    "audio": ("audio/ogg", "ogg"),
    "voice": ("audio/ogg", "oga"),
    "document": ("application/pdf", "pdf"),
    "sticker": ("image/webp", "webp"),
}


def media_bytes(media_id: str) -> bytes:
    """What the emulator serves for a media id: tests compare against it."""
    return b"socialcare local media " + media_id.encode()


class PlatformMedia:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.files: dict[str, tuple[str, str]] = {}  # media id -> (platform, kind)
        self.paths: dict[str, str] = {}  # Telegram file_path -> file_id
        self.issued: dict[str, float] = {}  # WhatsApp media id -> when its url expires

    def reset(self) -> None:
        with self._lock:
            self.files.clear()
            self.paths.clear()
            self.issued.clear()

    def learn(self, messages: list[Any]) -> None:
        with self._lock:
            for message in messages:
                for attachment in getattr(message, "attachments", ()):
                    if attachment.media_id:
                        platform = message.platform.value
                        self.files[attachment.media_id] = (platform, attachment.kind)

    def holds(self, media_id: str, platform: str) -> bool:
        with self._lock:
            return self.files.get(media_id, ("", ""))[0] == platform

    def whatsapp_url(self, media_id: str, link_base: str) -> dict[str, Any]:
        """GET /{media-id}: where the file is, for 5 minutes."""
        with self._lock:
            found = self.files.get(media_id)
            if found is None or found[0] != "whatsapp":
                raise graph_error(100, f"Unsupported get request. Object with ID '{media_id}'")
            self.issued[media_id] = time.time() + URL_SECONDS
        mime, ext = _TYPES.get(found[1], ("application/octet-stream", "bin"))
        body = media_bytes(media_id)
        return {
            "messaging_product": "whatsapp",
            "url": f"{link_base}{DOWNLOAD_PATH}?mid={media_id}&ext={ext}",
            "mime_type": mime,
            "sha256": hashlib.sha256(body).hexdigest(),
            "file_size": len(body),
            "id": media_id,
        }

    def whatsapp_download(self, query: str, token_ok: bool) -> tuple[int, str, bytes]:
        media_id = (parse_qs(query).get("mid") or [""])[0]
        if not token_ok:
            return 401, "application/json", b'{"error":{"message":"Unauthorized","code":190}}'
        with self._lock:
            expires = self.issued.get(media_id)
            found = self.files.get(media_id)
        if found is None or expires is None or expires < time.time():
            return 404, "application/json", b'{"error":{"message":"Not Found"}}'
        return 200, _TYPES.get(found[1], ("application/octet-stream", ""))[0], media_bytes(media_id)

    def telegram_file(self, file_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            found = self.files.get(file_id)
            if found is None or found[0] != "telegram":
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: invalid file_id",
                }
            ext = _TYPES.get(found[1], ("", "bin"))[1]
            path = f"{found[1]}s/file_{len(self.paths)}.{ext}"
            self.paths[path] = file_id
        result = {
            "file_id": file_id,
            "file_unique_id": hashlib.sha256(file_id.encode()).hexdigest()[:16],
            "file_size": len(media_bytes(file_id)),
            "file_path": path,
        }
        return 200, {"ok": True, "result": result}

    def telegram_download(self, path: str) -> tuple[int, str, bytes]:
        with self._lock:
            file_id = self.paths.get(path)
            found = self.files.get(file_id or "")
        if file_id is None or found is None:
            return (
                404,
                "application/json",
                b'{"ok":false,"error_code":404,"description":"Not Found"}',
            )
        return 200, _TYPES.get(found[1], ("application/octet-stream", ""))[0], media_bytes(file_id)
