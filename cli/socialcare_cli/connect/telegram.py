"""`socialcare connect telegram`: setWebhook with the stack's URL, its secret token and
every update type the parser reads (https://core.telegram.org/bots/api#setwebhook)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

from socialcare.platforms.telegram import CONSUMED_UPDATES
from socialcare_cli.errors import CommandFailed
from socialcare_cli.platform_access import Answer, PlatformAccess

# "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed" (setWebhook).
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_RETRY_AFTER = 5  # seconds: setWebhook takes one call a second per bot


def connect(access: PlatformAccess, say: Callable[[str], None]) -> None:
    secret = str(access.secrets.get("telegram_secret_token") or "")
    if not SECRET_TOKEN.fullmatch(secret):
        raise CommandFailed(
            "telegram: the platform secret's telegram_secret_token must be 1-256 of "
            "A-Z a-z 0-9 _ - (Telegram refuses anything else): put-secret-value first"
        )
    if not access.token("telegram_bot_token"):
        raise CommandFailed("telegram: no telegram_bot_token in PlatformTokensSecret")
    url = access.webhook_url("telegram")
    # https://core.telegram.org/bots/api#getwebhookinfo: allowed_updates only when it is
    # not the default set. The secret token cannot be read back, so setWebhook is always
    # called: with the same URL and secret Telegram answers "Webhook is already set".
    before = access.telegram("getWebhookInfo")
    if not before.ok:
        raise CommandFailed(f"telegram: getWebhookInfo refused ({before.problem()})")
    info = before.body.get("result") or {}
    answer = _set_webhook(access, url, secret)
    if not answer.ok:
        raise CommandFailed(f"telegram: setWebhook refused ({answer.problem()})")
    same_updates = set(info.get("allowed_updates") or ()) == set(CONSUMED_UPDATES)
    kinds = f"({len(CONSUMED_UPDATES)} update types)"
    if answer.body.get("description") == "Webhook is already set" and same_updates:
        say(f"telegram: webhook already set to {url} {kinds}")
    else:
        say(f"telegram: webhook set to {url} {kinds}")


def _set_webhook(access: PlatformAccess, url: str, secret: str) -> Answer:
    fields = {
        "url": url,
        "secret_token": secret,
        "allowed_updates": json.dumps(list(CONSUMED_UPDATES)),
    }
    answer = access.telegram("setWebhook", fields)
    retry_after = (answer.body.get("parameters") or {}).get("retry_after")
    if answer.status == 429 and isinstance(retry_after, int) and retry_after <= MAX_RETRY_AFTER:
        time.sleep(retry_after)  # a second call within a second: Telegram says when
        answer = access.telegram("setWebhook", fields)
    return answer
