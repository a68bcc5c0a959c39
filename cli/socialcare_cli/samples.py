"""The sample deliveries in events/: load them, re-sign them, send them over HTTP."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcare.platforms import meta, telegram, x
from socialcare_cli.errors import NoAnswer

SIGNATURE_HEADERS = {
    "meta": meta.SIGNATURE_HEADER,
    "x": x.SIGNATURE_HEADER,
    "telegram": telegram.SECRET_HEADER,
}


def load_event(path: Path) -> dict[str, Any]:
    event = json.loads(path.read_text(encoding="utf-8"))
    event.pop("_description", None)
    return event


def raw_body(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")


def signature_for(platform: str, body: bytes, secrets: dict[str, str]) -> str:
    if platform == "meta":
        return meta.sign(body, secrets["meta_app_secret"])
    if platform == "x":
        return x.sign(body, secrets["x_consumer_secret"])
    return secrets["telegram_secret_token"]


def resign(path: Path, secrets: dict[str, str]) -> bool:
    """Rewrite the event's signature header for these secrets; True when it changed."""
    document = json.loads(path.read_text(encoding="utf-8"))
    platform = document["pathParameters"]["platform"]
    if document["requestContext"]["http"]["method"] != "POST":
        return False
    header = SIGNATURE_HEADERS[platform]
    value = signature_for(platform, raw_body(document), secrets)
    if document["headers"].get(header) == value:
        return False
    document["headers"][header] = value
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return True


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased

    def json(self) -> Any:
        return json.loads(self.body)


def send_event(base_url: str, event: dict[str, Any]) -> HttpAnswer:
    """Replay an API Gateway v2 event as the HTTP request the platform made."""
    url = base_url.rstrip("/") + event["rawPath"]
    if event.get("rawQueryString"):
        url += "?" + event["rawQueryString"]
    method = event["requestContext"]["http"]["method"]
    headers = {k: v for k, v in event.get("headers", {}).items() if k not in ("host",)}
    body = raw_body(event) if method == "POST" else None
    return http_request(method, url, headers, body)


def http_request(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None = None,
    *,
    timeout: float = 30,
) -> HttpAnswer:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (localhost)
            return _answer(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.read(), error.headers)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        origin = "/".join(url.split("/")[:3])
        reason = getattr(error, "reason", error)
        message = f"nothing answers at {origin} ({reason}): is `socialcare local` running?"
        raise NoAnswer(message) from None


def _answer(status: int, body: bytes, headers: Any) -> HttpAnswer:
    named = {k.lower(): v for k, v in headers.items()}
    return HttpAnswer(status, body, named.get("content-type", ""), named)
