"""The Telegram Bot API's refusals of a sendMessage that depend on the customer's chat,
emulated: a customer who blocked the bot or deleted their account, and a group upgraded to
a supergroup. The answer's shape is `{"ok": false, "error_code", "description",
"parameters"?}` (https://core.telegram.org/bots/api#making-requests; ResponseParameters'
`migrate_to_chat_id`, https://core.telegram.org/bots/api#responseparameters); the
descriptions are the Bot API server's (telegram-bot-api/Client.cpp,
https://github.com/tdlib/telegram-bot-api: USER_IS_BLOCKED -> 403 "Forbidden: bot was
blocked by the user", INPUT_USER_DEACTIVATED -> 403 "Forbidden: user is deactivated", a
migrated group -> 400 "Bad Request: group chat was upgraded to a supergroup chat")."""

from __future__ import annotations

from typing import Any

from socialcare_cli.local.platform_state import PlatformState, Refusal


def telegram_error(status: int, description: str, **parameters: Any) -> Refusal:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Refusal(status, body)


class TelegramRules:
    def __init__(self) -> None:
        self.blocked: set[str] = set()  # chats whose customer blocked the bot
        self.deactivated: set[str] = set()  # customers who deleted their account
        self.migrated: dict[str, int] = {}  # group chat id -> its supergroup's id

    def reset(self) -> None:
        self.blocked.clear()
        self.deactivated.clear()
        self.migrated.clear()

    def migrate(self, group: str, supergroup: int, state: PlatformState) -> None:
        """The group became a supergroup: a new chat the bot is in."""
        self.migrated[group] = supergroup
        state.telegram_chats.add(str(supergroup))

    def check(self, chat_id: str) -> None:
        """Refuses a sendMessage to `chat_id` as Telegram does, if it would."""
        if chat_id in self.blocked:
            raise telegram_error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.deactivated:
            raise telegram_error(403, "Forbidden: user is deactivated")
        if chat_id in self.migrated:
            raise telegram_error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[chat_id],
            )
