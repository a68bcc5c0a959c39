"""Telegram's webhook registration, emulated: setWebhook, deleteWebhook, getWebhookInfo and
getMe (https://core.telegram.org/bots/api#setwebhook, #getwebhookinfo, #getme), with the
checks and answers of the Bot API server itself (tdlib/telegram-bot-api, Client.cpp: one
setWebhook a second, "Webhook is already set", the secret token's and the URL's errors,
allowed_updates parsing)."""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any
from urllib.parse import urlsplit

METHODS = ("setWebhook", "deleteWebhook", "getWebhookInfo", "getMe")
TELEGRAM_BOT = {"first_name": "socialcare local", "username": "socialcare_bot"}
# Every update type of https://core.telegram.org/bots/api#update; without allowed_updates
# Telegram sends all but these three (setWebhook, https://core.telegram.org/bots/api#setwebhook).
TELEGRAM_UPDATES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
)
_NOT_BY_DEFAULT = ("chat_member", "message_reaction", "message_reaction_count")
TELEGRAM_DEFAULT_UPDATES = tuple(u for u in TELEGRAM_UPDATES if u not in _NOT_BY_DEFAULT)
# secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed".
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_TELEGRAM_PORTS = (443, 80, 88, 8443)


def local_url(url: str) -> bool:
    """The local stack's plain-HTTP loopback URL: Telegram and X refuse it (HTTPS only),
    the emulator takes it so that the local stack can be registered."""
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")


class TelegramWebhook:
    def __init__(self, tokens: dict[str, Any]) -> None:
        self._tokens = tokens
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.webhook: dict[str, Any] = {"url": "", "allowed_updates": None}
            self._set_at = 0.0

    def answer(
        self, token: str, method: str, body: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if token != self._tokens["telegram_bot_token"]:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
        fields = body if isinstance(body, dict) else {}
        if method == "getMe":  # https://core.telegram.org/bots/api#getme
            bot = {
                "id": int(token.split(":")[0]),
                "is_bot": True,
                **TELEGRAM_BOT,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": True,
                "has_main_web_app": False,
            }
            return 200, {"ok": True, "result": bot}, {}
        if method == "getWebhookInfo":  # https://core.telegram.org/bots/api#getwebhookinfo
            return 200, {"ok": True, "result": self._webhook_info()}, {}
        if method == "deleteWebhook":
            fields = {"url": ""}
        return self._set_webhook(fields)

    def _set_webhook(self, fields: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """https://core.telegram.org/bots/api#setwebhook, and the Bot API server's own
        checks and answers (tdlib/telegram-bot-api, Client.cpp: one call a second, "Webhook
        is already set", the secret token's and the URL's errors)."""
        url = str(fields.get("url", ""))
        secret = str(fields.get("secret_token") or "")
        if len(secret) > 256:
            return _telegram_bad("secret token is too long")
        if secret and not _SECRET_TOKEN.fullmatch(secret):
            return _telegram_bad("secret token contains unallowed characters")
        if url and not _telegram_url(url):
            return _telegram_bad("invalid webhook URL specified")
        with self._lock:
            now = time.monotonic()
            if now - self._set_at < 1:
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
            self._set_at = now
            webhook = self.webhook
            if "allowed_updates" in fields:  # absent: the previous setting stays
                webhook["allowed_updates"] = _allowed_updates(
                    fields["allowed_updates"], webhook["allowed_updates"]
                )
            same = webhook["url"] == url and webhook.get("secret_token", "") == secret
            webhook.update(url=url, secret_token=secret)
        if not url:
            return 200, {"ok": True, "result": True, "description": "Webhook was deleted"}, {}
        said = "Webhook is already set" if same else "Webhook was set"
        return 200, {"ok": True, "result": True, "description": said}, {}

    def _webhook_info(self) -> dict[str, Any]:
        with self._lock:
            webhook = dict(self.webhook)
        info: dict[str, Any] = {
            "url": webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
        if webhook["url"]:
            info.update(max_connections=40, ip_address="127.0.0.1")
        allowed = webhook["allowed_updates"]
        if allowed is not None and set(allowed) != set(TELEGRAM_DEFAULT_UPDATES):
            info["allowed_updates"] = list(allowed)  # only when not the default set
        return info


def _telegram_url(url: str) -> bool:
    parts = urlsplit(url)
    if local_url(url):
        return True
    try:
        port = parts.port or 443
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and port in _TELEGRAM_PORTS


def _allowed_updates(value: Any, previous: list[str] | None) -> list[str] | None:
    """The Bot API server's parsing (Client.cpp get_allowed_update_types): a JSON list of
    names, matched without case; unknown names ignored; nothing known -> the default set;
    not a JSON list -> the previous setting."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return previous
    if not isinstance(value, list):
        return previous
    known = [u for u in TELEGRAM_UPDATES if u in {str(v).lower() for v in value}]
    return known or None


def _telegram_bad(problem: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    body = {"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"}
    return 400, body, {}
