"""The platforms' APIs, emulated for the local stack: Graph API (Facebook Page, Messenger,
Instagram, WhatsApp Cloud API), X API v2 and the Telegram Bot API, on their real paths.
They answer as the platforms do, enforce their rules (platform_state.py), record every
call, and fail a share of calls on demand (500, 429, a timeout: processed, but the
answer never comes back, or acted_then_5xx: processed, then answered 5xx). X's and
Telegram's own rules: platform_x_rules.py, platform_telegram_rules.py."""

from __future__ import annotations

import base64
import json
import random
import re
import threading
import time
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.local.platform_graph_api import GraphEndpoint
from socialcare_cli.local.platform_graph_content import GraphContent
from socialcare_cli.local.platform_limits import check_inline_keyboard
from socialcare_cli.local.platform_media import DOWNLOAD_PATH, PlatformMedia
from socialcare_cli.local.platform_registrations import PlatformRegistrations
from socialcare_cli.local.platform_server import PlatformServer
from socialcare_cli.local.platform_state import PlatformState
from socialcare_cli.local.platform_telegram_rules import TelegramRules
from socialcare_cli.local.platform_x_rules import XRules, x_problem
from socialcare_cli.local.platform_x_tokens import XTokenEndpoint

FAULT_KINDS = ("500", "429", "timeout", "acted_then_5xx")
LOCAL_TOKENS = {
    # The sample deliveries' Page (events/), so that `socialcare connect meta` has one.
    "facebook_page_tokens": {"104857600000001": "local-page-token", "*": "local-page-token"},
    "instagram_tokens": {"*": "local-instagram-token"},
    "whatsapp_token": "local-whatsapp-token",
    "whatsapp_phone_number_id": "106540352242922",
    # The Meta app's secret: the emulator asks every Graph call for its appsecret_proof.
    "meta_app_secret": "local-meta-app-secret",
    "whatsapp_business_account_id": "102290129340398",
    "x_access_token": "local-x-access-token",
    "x_refresh_token": "local-x-refresh-token",
    "x_client_id": "local-x-client",
    "x_client_secret": "local-x-client-secret",
    "x_token_expires_at": 0,
    "telegram_bot_token": "123456:local-telegram-bot-token",
}
_GRAPH = re.compile(r"/(?P<version>v\d+\.\d+)/(?P<rest>.+)")
_TELEGRAM = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>\w+)")
_TELEGRAM_FILE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>[A-Za-z0-9_./-]+)")
_DM = re.compile(r"/2/dm_conversations/with/(?P<id>\d+)/messages")


class PlatformEmulator:
    def __init__(self, tokens: dict[str, Any] | None = None, port: int = 0) -> None:
        self.state = PlatformState()
        self.content = GraphContent()  # what webhooks do not carry: mentions, profiles
        self.media = PlatformMedia()  # the images and voice notes deliveries carried
        self.tokens = dict(tokens or LOCAL_TOKENS)
        self.graph = GraphEndpoint(self.state, self.content, self.media, self.tokens)
        self.x_tokens = XTokenEndpoint(self.tokens)
        self.x_rules = XRules()
        self.telegram_rules = TelegramRules()
        self.registrations = PlatformRegistrations(self.tokens)
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._fault_rate = 0.0
        self._fault_kinds: tuple[str, ...] = FAULT_KINDS
        self._random = random.Random()
        self._server = PlatformServer(self, port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> PlatformEmulator:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._fault_rate = 0.0
        self.state.reset()
        self.content.reset()
        self.media.reset()
        self.x_rules.reset()
        self.telegram_rules.reset()
        self.registrations.reset()

    # --- what the local stack and its users ask -------------------------------------------

    def set_faults(self, settings: dict[str, Any]) -> dict[str, Any]:
        """{"rate": 0.3, "kinds": ["500", "429", "timeout", "acted_then_5xx"], "seed": 1};
        rate 0 stops. acted_then_5xx applies to writes (POST): a read is answered."""
        rate = settings.get("rate")
        kinds = settings.get("kinds", list(FAULT_KINDS))
        if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
            raise ValueError("rate must be a number from 0 to 1")
        if not isinstance(kinds, list) or not kinds or any(k not in FAULT_KINDS for k in kinds):
            raise ValueError(f"kinds must be a non-empty list of {', '.join(FAULT_KINDS)}")
        seed = settings.get("seed")
        with self._lock:
            self._fault_rate = float(rate)
            self._fault_kinds = tuple(kinds)
            if isinstance(seed, int):
                self._random.seed(seed)
        return {"rate": self._fault_rate, "kinds": list(self._fault_kinds)}

    def calls_made(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.calls)

    def observe_delivery(self, event: dict[str, Any]) -> None:
        """A webhook delivery the stack received: what the customer wrote, as the
        platform saw it (parsed by the product's own normalisers)."""
        from socialcare.platforms import meta, telegram, x

        platform = str((event.get("pathParameters") or {}).get("platform", ""))
        body = event.get("body") or ""
        try:
            raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()
            payload = json.loads(raw)
        except (ValueError, TypeError, RecursionError):  # the webhook answers 400
            return
        now = datetime.now(UTC)
        parsers = {
            "meta": lambda: meta.parse(payload, now),
            "x": lambda: x.parse(payload, now),
            "telegram": lambda: telegram.parse(payload, now, bot_id="socialcare_bot"),
        }
        if platform not in parsers:
            return
        try:
            delivery = parsers[platform]()
        except Exception:  # a malformed delivery: the platform would not have sent it
            return
        self.state.learn(delivery.messages)
        self.media.learn(delivery.messages)

    # --- serving a call -------------------------------------------------------------------

    def fault(self) -> str | None:
        with self._lock:
            if self._fault_rate and self._random.random() < self._fault_rate:
                return self._random.choice(self._fault_kinds)
        return None

    def record(self, call: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append(call)

    def handle(
        self, method: str, path: str, query: dict[str, str], body: Any, headers: dict[str, str]
    ) -> tuple[str, int, dict[str, Any], dict[str, str]]:
        """(platform, status, JSON body, headers) of one call, processed."""
        now = datetime.now(UTC)
        if registration := self.registrations.answer(method, path, query, body, headers):
            return registration
        if found := _TELEGRAM.fullmatch(path):
            return ("telegram", *self._telegram(found["token"], found["method"], body))
        if path.startswith("/2/"):
            return ("x", *self._x(method, path, body, headers, now))
        if found := _GRAPH.fullmatch(path):
            link = f"http://{headers.get('host', '127.0.0.1')}/{found['version']}/{found['rest']}"
            token = _bearer(headers)
            return self.graph.answer(method, found["rest"], query, body, token, now, link)
        return ("unknown", 404, {"error": {"message": "Unknown path", "code": 803}}, {})

    def download(self, path: str, query: str, headers: dict[str, str]) -> tuple | None:
        """(platform, status, content type, bytes) of a media file, or None (not one)."""
        if path == DOWNLOAD_PATH:
            token_ok = _bearer(headers) == self.tokens["whatsapp_token"]
            return ("whatsapp", *self.media.whatsapp_download(query, token_ok))
        if found := _TELEGRAM_FILE.fullmatch(path):
            if found["token"] != self.tokens["telegram_bot_token"]:
                return "telegram", 404, "application/json", b'{"ok":false,"error_code":404}'
            return ("telegram", *self.media.telegram_download(found["path"]))
        return None

    def platform_of(self, path: str, body: Any) -> str:
        """Which platform a call is for: Graph API serves three."""
        if _TELEGRAM.fullmatch(path):
            return "telegram"
        if path.startswith(("/2/", "/oauth2/")):
            return "x"
        if isinstance(body, dict) and body.get("messaging_product") == "whatsapp":
            return "whatsapp"
        found = _GRAPH.fullmatch(path)
        return self.graph.platform(found["rest"], body) if found else "unknown"

    def business_id(self, path: str, body: Any) -> str:
        """The business object a Graph call is for (its page or account), which keys
        X-Business-Use-Case-Usage."""
        found = _GRAPH.fullmatch(path)
        first = found["rest"].split("/")[0] if found else ""
        comment = self.state.comments.get(first)
        return comment.account_id if comment is not None else first

    def _x(
        self, method: str, path: str, body: Any, headers: dict[str, str], now: datetime
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fields = body if isinstance(body, dict) else {}
        if method == "POST" and path == "/2/oauth2/token":
            return (*self.x_tokens.refresh(body, headers), {})
        if _bearer(headers) != self.tokens["x_access_token"]:
            return (*_problem(x_problem(401, "Unauthorized", "Unauthorized")), {})
        at = now.timestamp()
        if method == "POST" and path == "/2/tweets":
            reply = (fields.get("reply") or {}).get("in_reply_to_tweet_id")
            rates = self.x_rules.admit("tweets", at, str(reply) if reply else None)
            text = str(fields.get("text", ""))
            tweet_id = self.state.tweet(text, str(reply) if reply else None)
            data = {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}
            return 201, {"data": data}, rates
        if method == "POST" and (found := _DM.fullmatch(path)):
            rates = self.x_rules.admit("dm", at)
            event_id = self.state.direct_message(found["id"], str(fields.get("text", "")))
            data = {"dm_conversation_id": f"{found['id']}-local", "dm_event_id": event_id}
            return 201, {"data": data}, rates
        missing = x_problem(404, "Not Found Error", f"Could not find {path}", "resource-not-found")
        return (*_problem(missing), {})

    def _telegram(
        self, token: str, method: str, body: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if token != self.tokens["telegram_bot_token"]:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
        fields = body if isinstance(body, dict) else {}
        if method == "getFile":
            return (*self.media.telegram_file(str(fields.get("file_id", ""))), {})
        if method != "sendMessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, {}
        chat_id = str(fields.get("chat_id", ""))
        text = str(fields.get("text", ""))
        check_inline_keyboard(fields.get("reply_markup"))
        connection = str(fields.get("business_connection_id") or "")
        if connection and not isinstance(fields.get("chat_id"), int):
            # With a business connection, chat_id must be an integer (Client.cpp)
            return 400, _TELEGRAM_BAD_CHAT_ID, {}
        self.telegram_rules.check(chat_id)
        message_id = self.state.telegram_message(chat_id, text, connection)
        result = {
            "message_id": message_id,
            "chat": {"id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id},
            "date": int(time.time()),
            "text": text,
        }
        return 200, {"ok": True, "result": result}, {}


_TELEGRAM_BAD_CHAT_ID = {
    "ok": False,
    "error_code": 400,
    "description": "Bad Request: chat identifier must be a valid Integer",
}


def _problem(refusal: Any) -> tuple[int, dict[str, Any]]:
    return refusal.status, refusal.body


def _bearer(headers: dict[str, str]) -> str:
    value = headers.get("authorization", "")
    return value[7:] if value.lower().startswith("bearer ") else ""
