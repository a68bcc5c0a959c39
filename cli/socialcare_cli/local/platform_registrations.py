"""Webhook registration on the emulated platforms, as `socialcare connect` and `socialcare
doctor` use it: the Graph API's subscribed_apps edges (a Page's, a WhatsApp Business
Account's), the token's own node (`/me`, `/app`), the WhatsApp phone number and message
templates; Telegram's setWebhook, getWebhookInfo and getMe (platform_telegram_webhook.py);
X's webhooks and Account Activity subscriptions (platform_x_webhooks.py). Answers in each
platform's shapes; refuses what the platform documents it refuses.

The one leniency: the local stack serves plain HTTP on a port of 127.0.0.1, which Telegram
and X refuse (HTTPS only; Telegram's ports 443, 80, 88, 8443; X no port at all). The
emulator accepts a loopback http URL so that the local stack can be registered."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from socialcare_cli.local.platform_graph_rules import check_appsecret_proof
from socialcare_cli.local.platform_state import graph_error
from socialcare_cli.local.platform_telegram_webhook import METHODS, TelegramWebhook
from socialcare_cli.local.platform_x_webhooks import XWebhooks

# The emulated Meta app (what `GET /app` answers for its tokens).
LOCAL_APP = {"id": "100000000000001", "name": "socialcare local", "link": "https://local/app"}
_TELEGRAM = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>\w+)")
_GRAPH = re.compile(r"/v\d+\.\d+/(?P<rest>.+)")
# A Page's webhook fields (https://developers.facebook.com/docs/graph-api/webhooks/reference/page/;
# Messenger's, https://developers.facebook.com/docs/messenger-platform/webhooks#events).
PAGE_FIELDS = frozenset(
    {
        "feed",
        "mention",
        "ratings",
        "messages",
        "message_edits",
        "message_echoes",
        "message_deliveries",
        "message_reads",
        "message_reactions",
        "messaging_postbacks",
        "messaging_optins",
        "messaging_referrals",
        "messaging_handovers",
        "messaging_policy_enforcement",
        "messaging_account_linking",
        "standby",
        "name",
        "picture",
        "videos",
        "live_videos",
    }
)


class PlatformRegistrations:
    def __init__(self, tokens: dict[str, Any]) -> None:
        """`tokens`: the emulator's token table (the brand's tokens the platforms issued)."""
        self._tokens = tokens
        self._lock = threading.Lock()
        self.telegram = TelegramWebhook(tokens)
        self.x = XWebhooks(tokens)
        self.reset()

    def use_app_secrets(self, secrets: dict[str, str]) -> None:
        """The app's own credentials, as the platforms know them (the stack's secrets)."""
        self.x.use_app_secrets(secrets)

    def reset(self) -> None:
        with self._lock:
            # subscribed_apps: object id (a Page, a WABA) -> the app's fields there
            self.subscribed: dict[str, list[str]] = {}
            # WhatsApp templates by name: status (the configured one, approved)
            self.templates: dict[str, str] = {_configured_template(): "APPROVED"}
        self.telegram.reset()
        self.x.reset()

    def answer(
        self, method: str, path: str, query: dict[str, str], body: Any, headers: dict[str, str]
    ) -> tuple[str, int, dict[str, Any], dict[str, str]] | None:
        """(platform, status, body, headers) when the call is a registration one; None
        for every other call (the emulator's own dispatch answers it)."""
        if found := _TELEGRAM.fullmatch(path):
            if found["method"] in METHODS:
                return ("telegram", *self.telegram.answer(found["token"], found["method"], body))
            return None
        if (answered := self.x.answer(method, path, body, headers)) is not None:
            return ("x", *answered)
        if found := _GRAPH.fullmatch(path):
            return self._graph(method, found["rest"].split("/"), query, body, headers)
        return None

    # --- Telegram ---------------------------------------------------------------------

    # --- Graph API --------------------------------------------------------------------

    def _graph(
        self,
        method: str,
        parts: list[str],
        query: dict[str, str],
        body: Any,
        headers: dict[str, str],
    ) -> tuple[str, int, dict[str, Any], dict[str, str]] | None:
        token = _bearer(headers) or query.get("access_token", "")
        tokens = self._tokens
        waba = str(tokens.get("whatsapp_business_account_id", ""))
        phone = str(tokens.get("whatsapp_phone_number_id", ""))
        pages = tokens["facebook_page_tokens"]
        instagram = tokens["instagram_tokens"]
        whatsapp_ids = (waba, phone)
        routes = (
            parts in (["me"], ["app"])
            or (method == "GET" and parts in ([phone], [waba, "message_templates"]))
            or (len(parts) == 2 and parts[1] == "subscribed_apps")
        )
        if not routes:  # every other Graph call: the emulator's own dispatch
            return None
        platform = "whatsapp" if parts[0] in whatsapp_ids else "facebook"
        if parts[0] in whatsapp_ids:
            valid = {tokens["whatsapp_token"]}
        elif len(parts) == 2:  # a Page's edge: that Page's token
            valid = {pages.get(parts[0]) or pages.get("*")}
        else:  # /me, /app: any token the app holds
            valid = {*pages.values(), *instagram.values(), tokens["whatsapp_token"]}
        if not token or token not in valid:
            error = graph_error(
                190, "Invalid OAuth access token - Cannot parse access token", status=401
            )
            return platform, error.status, error.body, {}
        check_appsecret_proof(query, token, str(tokens.get("meta_app_secret") or ""))
        if parts == ["app"]:
            # https://developers.facebook.com/docs/graph-api/reference/application/
            return platform, 200, dict(LOCAL_APP), {}
        if parts == ["me"]:  # the node of the token: its Page, or its Instagram account
            if token in instagram.values():
                found = _owner(instagram, token) or "17841400000000001"
                return "instagram", 200, {"id": found, "username": "brand"}, {}
            return platform, 200, {"id": _owner(pages, token) or "local-page", "name": "Brand"}, {}
        if parts == [phone]:
            # https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/
            number = {
                "id": phone,
                "display_phone_number": "+1 555-010-0000",
                "verified_name": "Brand",
                "quality_rating": "GREEN",
            }
            return platform, 200, number, {}
        if parts == [waba, "message_templates"]:
            return platform, 200, self._templates(query.get("name")), {}
        return platform, *self._subscribed_apps(method, parts[0], parts[0] == waba, query, body)

    def _subscribed_apps(
        self, method: str, target: str, waba: bool, query: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """A Page's: https://developers.facebook.com/docs/graph-api/reference/page/subscribed_apps
        (subscribed_fields required); a WABA's, no fields (chosen at the app's level):
        https://developers.facebook.com/documentation/business-messaging/whatsapp/solution-providers/manage-webhooks"""
        if method == "GET":
            with self._lock:
                subscribed = self.subscribed.get(target)
            if subscribed is None:
                return 200, {"data": []}, {}
            if waba:
                return 200, {"data": [{"whatsapp_business_api_data": dict(LOCAL_APP)}]}, {}
            app = {"category": "Business", **LOCAL_APP, "subscribed_fields": list(subscribed)}
            return 200, {"data": [app]}, {}
        if method != "POST":
            return 400, graph_error(100, "Unsupported request").body, {}
        asked = {**query, **(body if isinstance(body, dict) else {})}.get("subscribed_fields")
        if waba:
            fields: list[str] = []
        else:
            if not asked:
                error = graph_error(100, "(#100) The parameter subscribed_fields is required")
                return 400, error.body, {}
            fields = _field_list(asked)
            unknown = [f for f in fields if f not in PAGE_FIELDS]
            if unknown:
                error = graph_error(
                    100,
                    f"(#100) Param subscribed_fields must be one of "
                    f'{{{", ".join(sorted(PAGE_FIELDS))}}} - got "{unknown[0]}"',
                )
                return 400, error.body, {}
        with self._lock:
            self.subscribed[target] = fields  # the app's fields are replaced, not added
        return 200, {"success": True}, {}

    def _templates(self, name: str | None) -> dict[str, Any]:
        """https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/"""
        with self._lock:
            found = [
                {
                    "name": known,
                    "status": status,
                    "language": "es",
                    "category": "UTILITY",
                    "id": str(1000 + n),
                }
                for n, (known, status) in enumerate(sorted(self.templates.items()))
                if name is None or known == name
            ]
        return {"data": found, "paging": {"cursors": {"before": "MAZDZD", "after": "MAZDZD"}}}


def _configured_template() -> str:
    from socialcare.config.loaders import outbound_config

    template = outbound_config().whatsapp_template
    return template.name if template else "seguimiento_caso"


def _owner(by_account: dict[str, str], token: str) -> str | None:
    return next((k for k, v in by_account.items() if v == token and k != "*"), None)


def _field_list(value: Any) -> list[str]:
    """Graph takes a list as a comma-separated string or a JSON array."""
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except ValueError:
            return [text]
    return [part.strip() for part in text.split(",") if part.strip()]


def _bearer(headers: dict[str, str]) -> str:
    value = headers.get("authorization", "")
    return value[7:] if value.lower().startswith("bearer ") else ""
