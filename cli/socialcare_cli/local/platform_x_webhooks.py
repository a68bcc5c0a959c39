"""X's webhooks and Account Activity subscriptions, emulated (`socialcare connect x`,
`socialcare doctor`):
- POST /oauth2/token, grant_type=client_credentials with the app's key and secret in Basic
  authentication -> the app's bearer token
  (https://docs.x.com/fundamentals/authentication/oauth-2-0/bearer-tokens; wrong
  credentials: 403 code 99, https://developer.x.com/en/docs/basics/authentication/api-reference/token);
- GET/POST /2/webhooks, PUT /2/webhooks/:id with the app's bearer token
  (https://docs.x.com/x-api/webhooks/quickstart): X sends its CRC to the URL at once and
  registers it only when the answer is right, within 3 seconds (the limit X's security
  page states; the newer quickstart says 10: the stricter one);
- POST/GET /2/account_activity/webhooks/:id/subscriptions/all with the user's token, and
  .../subscriptions/all/list with the app's (https://docs.x.com/x-api/account-activity/quickstart);
- GET /2/users/me with the user's token (https://docs.x.com/x-api/users/user-lookup-me).
Pay Per Use's limits: one webhook, three subscriptions. X names its failure reasons
(CrcValidationFailed, DuplicateUrlFailed, ...) but not the body they come in: the
emulator puts the reason in an `errors` list, as X's other v2 errors."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

CRC_SECONDS = 3
LOCAL_X_USER = {"id": "1500000000000000001", "name": "Brand", "username": "brand"}
_WEBHOOK = re.compile(r"/2/webhooks/(?P<id>\d+)")
_SUBSCRIPTION = re.compile(
    r"/2/account_activity/webhooks/(?P<id>[^/]+)/subscriptions/all(?P<list>/list)?"
)
_UNAUTHORIZED = {  # X's problem JSON, as the emulator's other X answers
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}
_BAD_CREDENTIALS = {
    "errors": [
        {
            "code": 99,
            "message": "Unable to verify your credentials",
            "label": "authenticity_token_error",
        }
    ]
}


class XWebhooks:
    def __init__(self, tokens: dict[str, Any]) -> None:
        self._tokens = tokens
        self._lock = threading.Lock()
        self._app = {"key": "local-x-consumer-key", "secret": "local-x-consumer-secret"}
        self.bearer = "local-x-app-bearer"
        self.reset()

    def use_app_secrets(self, app_secrets: dict[str, str]) -> None:
        self._app = {
            "key": app_secrets.get("x_consumer_key", ""),
            "secret": app_secrets.get("x_consumer_secret", ""),
        }

    def reset(self) -> None:
        with self._lock:
            self.webhooks: dict[str, dict[str, Any]] = {}
            self.subscriptions: dict[str, set[str]] = {}  # webhook id -> user ids

    def answer(
        self, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if path == "/oauth2/token" and method == "POST":
            return (*self._bearer_token(body, headers), {})
        app = _bearer(headers) == self.bearer
        user = _bearer(headers) == self._tokens["x_access_token"]
        if path == "/2/users/me" and method == "GET":
            return (200, {"data": dict(LOCAL_X_USER)}, {}) if user else (401, _UNAUTHORIZED, {})
        webhook = _WEBHOOK.fullmatch(path)
        subscription = _SUBSCRIPTION.fullmatch(path)
        if path != "/2/webhooks" and not webhook and not subscription:
            return None
        needs_app = not subscription or bool(subscription["list"])
        if not (app if needs_app else user):
            return 401, _UNAUTHORIZED, {}
        fields = body if isinstance(body, dict) else {}
        if path == "/2/webhooks" and method == "GET":
            with self._lock:
                found = [dict(w) for w in self.webhooks.values()]
            return 200, {"data": found, "meta": {"result_count": len(found)}}, {}
        if path == "/2/webhooks" and method == "POST":
            return (*self._create(str(fields.get("url", ""))), {})
        if webhook and method == "PUT":
            return (*self._validate(webhook["id"]), {})
        if subscription and subscription["list"] and method == "GET":
            return (*self._listed(subscription["id"]), {})
        if subscription and method in ("GET", "POST"):
            return (*self._subscribe(subscription["id"], method == "POST"), {})
        return 404, {"title": "Not Found Error", "detail": f"Could not find {path}"}, {}

    def _bearer_token(self, form: Any, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        fields = form if isinstance(form, dict) else {}
        given = headers.get("authorization", "")
        try:
            basic = given[6:] if given[:6].lower() == "basic " else ""
            decoded = base64.b64decode(basic, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        expected = f"{self._app['key']}:{self._app['secret']}"
        if not self._app["key"] or not hmac.compare_digest(decoded, expected):
            return 403, _BAD_CREDENTIALS
        if fields.get("grant_type") != "client_credentials":
            return 403, _BAD_CREDENTIALS
        return 200, {"token_type": "bearer", "access_token": self.bearer}

    def _create(self, url: str) -> tuple[int, dict[str, Any]]:
        if not 1 <= len(url) <= 200 or not _acceptable(url):
            return _failed("UrlValidationFailed")
        with self._lock:
            if any(w["url"] == url for w in self.webhooks.values()):
                return _failed("DuplicateUrlFailed")
            if self.webhooks:
                return _failed("WebhookLimitExceeded")
        if not self._crc(url):
            return _failed("CrcValidationFailed")
        made: dict[str, Any] = {
            "id": str(1_000_000_000 + secrets.randbelow(10**9)),
            "url": url,
            "valid": True,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        with self._lock:
            self.webhooks[str(made["id"])] = made
        return 200, {"data": dict(made)}

    def _validate(self, webhook_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            found = self.webhooks.get(webhook_id)
        if found is None:
            return _failed("WebhookIdInvalid")
        valid = self._crc(found["url"])
        with self._lock:
            found["valid"] = valid
        return (200, {"data": {"valid": True}}) if valid else _failed("CrcValidationFailed")

    def _subscribe(self, webhook_id: str, create: bool) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if webhook_id not in self.webhooks:
                return _failed("WebhookIdInvalid")
            users = self.subscriptions.setdefault(webhook_id, set())
            subscribed = LOCAL_X_USER["id"] in users
            if not create:
                return 200, {"data": {"subscribed": subscribed}}
            if subscribed:
                return _failed("DuplicateSubscriptionFailed")
            if sum(len(u) for u in self.subscriptions.values()) >= 3:
                return _failed("SubscriptionLimitExceeded")
            users.add(LOCAL_X_USER["id"])
        return 200, {"data": {"subscribed": True}}

    def _listed(self, webhook_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            found = self.webhooks.get(webhook_id)
            if found is None:
                return _failed("WebhookIdInvalid")
            users = sorted(self.subscriptions.get(webhook_id, set()))
        listed = {
            "application_id": "local-x-app",
            "webhook_id": webhook_id,
            "webhook_url": found["url"],
            "subscriptions": [{"user_id": u} for u in users],
        }
        return 200, {"data": listed}

    def _crc(self, url: str) -> bool:
        """X's challenge-response check: GET url?crc_token=..., answered with
        {"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, crc_token))}
        (https://docs.x.com/x-api/webhooks/introduction)."""
        from socialcare_cli.samples import NoAnswer, http_request

        token = secrets.token_urlsafe(24)
        separator = "&" if urlsplit(url).query else "?"
        try:
            answer = http_request(
                "GET", f"{url}{separator}{urlencode({'crc_token': token})}", {}, timeout=CRC_SECONDS
            )
            given = answer.json().get("response_token") if answer.status == 200 else None
        except (NoAnswer, ValueError, AttributeError):
            return False
        digest = hmac.new(self._app["secret"].encode(), token.encode(), hashlib.sha256).digest()
        expected = "sha256=" + base64.b64encode(digest).decode()
        return isinstance(given, str) and hmac.compare_digest(given, expected)


def _acceptable(url: str) -> bool:
    """HTTPS, and "The URL cannot include a port" (https://docs.x.com/x-api/webhooks/introduction);
    the local stack's loopback http URL is the emulator's one exception."""
    from socialcare_cli.local.platform_telegram_webhook import local_url

    parts = urlsplit(url)
    if local_url(url):
        return True
    try:
        port = parts.port
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and port is None


def _failed(reason: str) -> tuple[int, dict[str, Any]]:
    return 400, {"errors": [{"message": reason}], "title": reason, "status": 400}


def _bearer(headers: dict[str, str]) -> str:
    value = headers.get("authorization", "")
    return value[7:] if value.lower().startswith("bearer ") else ""
