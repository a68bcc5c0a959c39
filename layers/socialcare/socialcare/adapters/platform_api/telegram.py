"""Telegram Bot API: sendMessage to the customer's chat, as a reply to their message.
The bot token is part of the URL (the Bot API's design): that URL is never logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcare.adapters.platform_api.http import HttpClient
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.outbound_ports import (
    CannotTell,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokens,
)


class TelegramApi:
    def __init__(
        self, http: HttpClient, base_url: str, tokens: Callable[[], PlatformTokens]
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens

    def send(self, delivery: Delivery) -> str:
        if delivery.mode is not DeliveryMode.CHAT_MESSAGE:
            raise PlatformRefused("unsupported", f"Telegram cannot {delivery.mode.value}")
        token = self._tokens().telegram_bot_token
        if not token:
            raise PlatformRefused("no_token", "no Telegram bot token")
        target = delivery.action.target
        body: dict[str, Any] = {
            "chat_id": target.conversation_id or target.author_id,
            "text": delivery.action.text,
        }
        if delivery.action.choices:  # one row of buttons; a tap comes back as callback_query
            body["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": c.label, "callback_data": c.payload} for c in delivery.action.choices]
                ]
            }
        if target.message_id.isdigit():
            body["reply_parameters"] = {
                "message_id": int(target.message_id),
                "allow_sending_without_reply": True,
            }
        answer = self._http.request("POST", f"{self._base}/bot{token}/sendMessage", json_body=body)
        data = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200 and data.get("ok"):
            return str(data["result"]["message_id"])
        if answer.status == 429:
            retry_after = (data.get("parameters") or {}).get("retry_after")
            raise PlatformBusy(float(retry_after) if isinstance(retry_after, int | float) else 5.0)
        if answer.status >= 500:
            raise PlatformFailed(f"Telegram {answer.status}")
        raise PlatformRefused(
            str(data.get("error_code") or answer.status), str(data.get("description") or "")[:300]
        )

    def find_sent(self, delivery: Delivery) -> str | None:
        raise CannotTell("Telegram: a bot cannot read back the chat")
