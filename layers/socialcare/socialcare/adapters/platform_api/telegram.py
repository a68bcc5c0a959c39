"""Telegram Bot API: sendMessage to the customer's chat, as a reply to their message.
The bot token is part of the URL (the Bot API's design): that URL is never logged.

A token the Bot API does not know (revoked in BotFather, mistyped) is answered 401
Unauthorized (`{"ok": false, "error_code": 401, "description": "Unauthorized"}`; the
server's ClientManager::send, https://github.com/tdlib/telegram-bot-api, and the answer's
shape at https://core.telegram.org/bots/api#making-requests)."""

from __future__ import annotations

from typing import Any, TypeGuard

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.tokens import TokenSource
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.platform_errors import (
    CannotTell,
    FateUnknown,
    PlatformBusy,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)

_DEFAULT_WAIT = 5.0
# Refusals that are the customer's doing or a chat that is gone: final, with a code the
# digest can word. The descriptions are the Bot API server's mapping of USER_IS_BLOCKED,
# INPUT_USER_DEACTIVATED and an unknown chat (Client.cpp).
_REFUSALS = (
    ("bot was blocked by the user", "blocked"),
    ("user is deactivated", "deactivated"),
    ("chat not found", "chat_not_found"),
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
                token = renewed
                answer = self._send(token, body)
        migrated = _migrated_to(answer)
        if migrated is not None:
            # The group became a supergroup: "The group has been migrated to a supergroup
            # with the specified identifier" (ResponseParameters,
            # https://core.telegram.org/bots/api#responseparameters). Sent once more there;
            # a second migration is refused below.
            answer = self._send(token, {**body, "chat_id": migrated})
        return _message_id(answer)

    def _send(self, token: str, body: dict[str, Any]) -> HttpAnswer:
        return self._http.request("POST", f"{self._base}/bot{token}/sendMessage", json_body=body)

    def find_sent(self, delivery: Delivery) -> str | None:
        raise CannotTell("Telegram: a bot cannot read back the chat")


def _message_id(answer: HttpAnswer) -> str:
    """The sent message's id, or the outcome the Bot API's answer means. Its shape:
    `{"ok": false, "error_code", "description", "parameters"?}`
    (https://core.telegram.org/bots/api#making-requests); the descriptions are the Bot API
    server's (telegram-bot-api/Client.cpp, https://github.com/tdlib/telegram-bot-api)."""
    data = answer.body if isinstance(answer.body, dict) else {}
    if answer.status == 200 and data.get("ok"):
        return str(data["result"]["message_id"])
    if answer.status == 429:
        # parameters.retry_after: "the number of seconds left to wait", an Integer
        retry_after = (data.get("parameters") or {}).get("retry_after")
        raise PlatformBusy(float(retry_after) if _positive_int(retry_after) else _DEFAULT_WAIT)
    if answer.status >= 500:
        # 500 is TDLib's internal error, 502/504 the gateway in front of the Bot API server:
        # neither says the message was not sent (https://core.telegram.org/api/errors:
        # "An internal server error occurred while a request was being processed"), and a
        # bot cannot read the chat back: uncertain, never resent.
        raise FateUnknown(f"Telegram {answer.status}")
    if answer.status == 401:
        raise PlatformTokenInvalid("telegram", TokenProblem.REJECTED)
    description = str(data.get("description") or "")[:300]
    for words, code in _REFUSALS:
        if words in description.lower():
            raise PlatformRefused(code, description)
    raise PlatformRefused(str(data.get("error_code") or answer.status), description)


def _migrated_to(answer: HttpAnswer) -> int | None:
    data = answer.body if isinstance(answer.body, dict) else {}
    chat = (
        (data.get("parameters") or {}).get("migrate_to_chat_id") if answer.status == 400 else None
    )
    return chat if isinstance(chat, int) and not isinstance(chat, bool) else None


def _positive_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
