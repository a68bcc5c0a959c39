"""The platform emulator's HTTP side: a server on a port of its own, each call recorded,
a share of calls failing on demand (500, 429, a timeout: processed, and the answer never
sent, or acted_then_5xx: processed, then answered 5xx), and the local routes that list the
calls and set the faults."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from socialcare_cli.local.platform_graph_rules import UNEXPECTED_ERROR, throttled
from socialcare_cli.local.platform_state import Refusal
from socialcare_cli.local.servers import LocalThreadingServer

# How long a "timeout" holds the connection before closing it unanswered: longer than the
# local stack's OUTBOUND_TIMEOUT_SECONDS.
TIMEOUT_HOLD_SECONDS = 1.5
_TELEGRAM_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>\w+)")


# X's 5xx as it answers it (https://github.com/akrherz/iembot/issues/171); the Bot API
# gateway's 502 (https://github.com/tdlib/telegram-bot-api/issues/868).
_X_503 = {
    "title": "Service Unavailable",
    "detail": "Service Unavailable",
    "type": "about:blank",
    "status": 503,
}
_TELEGRAM_502 = {"ok": False, "error_code": 502, "description": "Bad Gateway"}


def _fault_answer(
    platform: str, kind: str, business_id: str = ""
) -> tuple[int, dict[str, Any], dict[str, str]]:
    if kind == "acted_then_5xx" and platform == "telegram":
        return 502, _TELEGRAM_502, {}
    if kind in ("500", "acted_then_5xx"):
        if platform == "telegram":
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}, {}
        if platform == "x":
            return 503, _X_503, {}
        return 500, UNEXPECTED_ERROR, {}
    if platform == "telegram":
        return (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            },
            {},
        )
    if platform == "x":  # the 15-minute window spent; the 24-hour caps' headers too
        reset = str(int(time.time()) + 1)
        return (
            429,
            {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            },
            {
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": reset,
                "x-app-limit-24hour-limit": "10000",
                "x-app-limit-24hour-remaining": "9000",
                "x-app-limit-24hour-reset": str(int(time.time()) + 86_400),
            },
        )
    return throttled(business_id or "local")


class PlatformServer(LocalThreadingServer):
    def __init__(self, emulator: Any, port: int) -> None:
        """`emulator`: what answers and records the calls (PlatformEmulator)."""
        self.emulator = emulator
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: PlatformServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:  # X re-validates a webhook with PUT /2/webhooks/:id
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        emulator = self.server.emulator
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/_local/platform/"):
            self._local(url.path, raw)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        if self.command == "GET" and (file := emulator.download(url.path, url.query, headers)):
            self._file(file, url.path)
            return
        body = _parse_body(raw, headers.get("content-type", ""))
        query = dict(parse_qsl(url.query))
        fault = emulator.fault()
        if fault == "acted_then_5xx" and self.command != "POST":
            fault = None  # a read has nothing to act on: answered as it is
        platform = emulator.platform_of(url.path, body)
        call = {
            "platform": platform,
            "method": self.command,
            "path": _TELEGRAM_PATH.sub(lambda m: f"/bot<token>/{m['method']}", url.path),
            "query": query,
            "body": body,
            "at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        if fault in ("500", "429"):
            business_id = emulator.business_id(url.path, body)
            status, answer, extra = _fault_answer(platform, fault, business_id)
            emulator.record({**call, "status": status, "fault": fault})
            self._answer(status, answer, extra)
            return
        try:
            platform, status, answer, extra = emulator.handle(
                self.command, url.path, query, body, headers
            )
        except Refusal as refusal:
            status, answer, extra = refusal.status, refusal.body, refusal.headers
        if fault == "acted_then_5xx":  # done (or refused), then a 5xx all the same
            status, answer, extra = _fault_answer(platform, fault)
        outcome: dict[str, Any] = {"fault": fault} if fault else {}
        if status >= 400:  # what the platform said, as it said it
            outcome["error"] = answer
        if extra:
            outcome["headers"] = extra
        emulator.record({**call, "platform": platform, "status": status, **outcome})
        if fault == "timeout":  # done, but the answer never arrives
            time.sleep(TIMEOUT_HOLD_SECONDS)
            self.close_connection = True
            return
        self._answer(status, answer, extra)

    def _local(self, path: str, raw: bytes) -> None:
        emulator = self.server.emulator
        if path == "/_local/platform/calls" and self.command == "GET":
            self._answer(200, {"calls": emulator.calls_made()}, {})
        elif path == "/_local/platform/content" and self.command == "POST":
            try:  # what the platforms hold that webhooks do not carry
                self._answer(200, emulator.content.add(json.loads(raw or b"{}")), {})
            except ValueError as error:
                self._answer(400, {"message": str(error)}, {})
        elif path == "/_local/platform/faults" and self.command == "POST":
            try:
                self._answer(200, emulator.set_faults(json.loads(raw or b"{}")), {})
            except (ValueError, AttributeError) as error:
                self._answer(400, {"message": str(error)}, {})
        else:
            self._answer(404, {"message": "Not Found"}, {})

    def _file(self, file: tuple[str, int, str, bytes], path: str) -> None:
        """A media file (platform_media.py), recorded as the other calls are."""
        platform, status, kind, payload = file
        shown = re.sub(r"/file/bot[^/]+/", "/file/bot<token>/", path)
        at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        self.server.emulator.record(
            {"platform": platform, "method": "GET", "path": shown, "query": {}, "body": None}
            | {"status": status, "at": at}
        )
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _parse_body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(text, keep_blank_values=True))
    return text
