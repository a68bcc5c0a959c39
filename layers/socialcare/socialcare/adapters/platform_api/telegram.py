"""Telegram Bot API: sendMessage to the customer's chat, as a reply to their message.
The bot token is part of the URL (the Bot API's design): that URL is never logged.

A token the Bot API does not know (revoked in BotFather, mistyped) is answered 401
Unauthorized (`{"ok": false, "error_code": 401, "description": "Unauthorized"}`; the
server's ClientManager::send, https://github.com/tdlib/telegram-bot-api, and the answer's
shape at https://core.telegram.org/bots/api#making-requests)."""

from __future__ import annotations

from typing import Any

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.tokens import TokenSource
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.outbound_ports import (
    CannotTell,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)


class TelegramApi:
    def __init__(self, http: HttpClient, base_url: str, tokens: TokenSource) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens

    def send(self, delivery: Delivery) -> str:
        if delivery.mode is not DeliveryMode.CHAT_MESSAGE:
            raise PlatformRefused("unsupported", f"Telegram cannot {delivery.mode.value}")
        token = self._tokens().telegram_bot_token
        if not token:
            raise PlatformTokenInvalid("telegram", TokenProblem.MISSING)
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
        if target.business_connection_id:
            # "Unique identifier of the business connection on behalf of which the message
            # will be sent" (https://core.telegram.org/bots/api#sendmessage); without it the
            # bot writes as itself. With it chat_id must be an integer (Bot API server,
            # telegram-bot-api/Client.cpp get_business_connection_chat_id).
            body["business_connection_id"] = target.business_connection_id
            body["chat_id"] = int(str(body["chat_id"]))
        if target.message_id.isdigit():
            body["reply_parameters"] = {
                "message_id": int(target.message_id),
                "allow_sending_without_reply": True,
            }
        answer = self._send(token, body)
        if answer.status == 401:  # refused before anything was done: renewed since cached?
            renewed = self._tokens.fresh().telegram_bot_token
            if renewed and renewed != token:
                answer = self._send(renewed, body)
        data = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200 and data.get("ok"):
            return str(data["result"]["message_id"])
        if answer.status == 429:
            retry_after = (data.get("parameters") or {}).get("retry_after")
            raise PlatformBusy(float(retry_after) if isinstance(retry_after, int | float) else 5.0)
        if answer.status >= 500:
            raise PlatformFailed(f"Telegram {answer.status}")
        if answer.status == 401:
            raise PlatformTokenInvalid("telegram", TokenProblem.REJECTED)
        raise PlatformRefused(
            str(data.get("error_code") or answer.status), str(data.get("description") or "")[:300]
        )

    def _send(self, token: str, body: dict[str, Any]) -> HttpAnswer:
        return self._http.request("POST", f"{self._base}/bot{token}/sendMessage", json_body=body)

    def find_sent(self, delivery: Delivery) -> str | None:
        raise CannotTell("Telegram: a bot cannot read back the chat")
