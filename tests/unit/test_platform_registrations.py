"""The emulated registration endpoints refuse what the platforms document they refuse:
Telegram's setWebhook (secret token, URL, one call a second, allowed_updates parsing) and
getWebhookInfo's answer; the Graph API's subscribed_apps (fields required and known, the
Page's own token)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from socialcare_cli.local import platform_telegram_webhook as telegram_module
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS
from socialcare_cli.local.platform_registrations import PlatformRegistrations
from socialcare_cli.local.platform_state import Refusal

BOT = "/bot123456:local-telegram-bot-token"
PAGE = "104857600000001"


@pytest.fixture
def platform() -> PlatformRegistrations:
    return PlatformRegistrations(json.loads(json.dumps(LOCAL_TOKENS)))


def telegram(platform, method: str, **fields: Any) -> tuple[int, dict[str, Any]]:
    answered = platform.answer("POST", f"{BOT}/{method}", {}, fields, {})
    assert answered is not None
    return answered[1], answered[2]


def proof(token: str) -> dict[str, str]:
    """appsecret_proof, as the local app (which requires it) wants on every Graph call."""
    secret = LOCAL_TOKENS["meta_app_secret"].encode()
    return {"appsecret_proof": hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()}


def graph(platform, method: str, path: str, token: str, **fields: Any) -> tuple[int, dict]:
    headers = {"authorization": f"Bearer {token}"}
    answered = platform.answer(method, f"/v21.0/{path}", proof(token), fields or None, headers)
    assert answered is not None
    return answered[1], answered[2]


@pytest.mark.parametrize(
    ("secret", "description"),
    [
        ("abc$", "Bad Request: secret token contains unallowed characters"),
        ("a" * 257, "Bad Request: secret token is too long"),
    ],
)
def test_set_webhook_refuses_a_secret_token_telegram_refuses(platform, secret, description):
    # Given / When a secret token outside 1-256 of A-Z a-z 0-9 _ -
    status, body = telegram(platform, "setWebhook", url="https://h.example/t", secret_token=secret)
    # Then 400 with the Bot API server's description, and no webhook
    assert (status, body["description"]) == (400, description)
    assert platform.telegram.webhook["url"] == ""


def test_set_webhook_refuses_a_port_telegram_does_not_deliver_to(platform):
    # Given / When an HTTPS URL on port 8080 (Telegram: 443, 80, 88, 8443)
    status, body = telegram(platform, "setWebhook", url="https://h.example:8080/t")
    # Then it is refused
    assert (status, body["description"]) == (400, "Bad Request: invalid webhook URL specified")


def test_set_webhook_takes_one_call_a_second(platform):
    # Given a webhook just set
    assert telegram(platform, "setWebhook", url="https://h.example/t")[0] == 200
    # When it is set again within the second
    status, body = telegram(platform, "setWebhook", url="https://h.example/t")
    # Then Telegram says when to retry
    assert status == 429 and body["parameters"] == {"retry_after": 1}


def test_allowed_updates_unknown_names_are_dropped_and_absence_keeps_the_last(
    platform, monkeypatch
):
    # Given a webhook set with a known and an unknown update type (any case)
    clock = iter([100.0, 102.0, 104.0])
    monkeypatch.setattr(telegram_module.time, "monotonic", lambda: next(clock))
    updates = json.dumps(["Callback_Query", "no_such_update"])
    telegram(platform, "setWebhook", url="https://h.example/t", allowed_updates=updates)
    # When it is set again without allowed_updates
    telegram(platform, "setWebhook", url="https://h.example/t")
    # Then the previous setting stays, the unknown name gone, and getWebhookInfo says so
    info = telegram(platform, "getWebhookInfo")[1]["result"]
    assert info["allowed_updates"] == ["callback_query"]
    # ... and a list of nothing known is the default set, which getWebhookInfo leaves out
    telegram(platform, "setWebhook", url="https://h.example/t", allowed_updates="[]")
    assert "allowed_updates" not in telegram(platform, "getWebhookInfo")[1]["result"]


def test_a_page_subscription_needs_known_fields_and_the_pages_token(platform):
    # Given the Page's token, then another one
    token = "local-page-token"
    # When subscribed_apps is posted without fields, with an unknown one, with another token
    missing = graph(platform, "POST", f"{PAGE}/subscribed_apps", token)
    unknown = graph(platform, "POST", f"{PAGE}/subscribed_apps", token, subscribed_fields="feed,x")
    wrong = graph(platform, "POST", f"{PAGE}/subscribed_apps", "other", subscribed_fields="feed")
    # Then each is refused as the Graph API refuses it, and nothing is subscribed
    assert missing[0] == 400 and missing[1]["error"]["code"] == 100
    assert unknown[0] == 400 and 'got "x"' in unknown[1]["error"]["message"]
    assert wrong[0] == 401 and wrong[1]["error"]["code"] == 190
    assert platform.subscribed == {}
    assert graph(platform, "GET", f"{PAGE}/subscribed_apps", token) == (200, {"data": []})


def x_call(platform, method: str, path: str, token: str, body: Any = None) -> tuple[int, dict]:
    answered = platform.answer(method, path, {}, body, {"authorization": f"Bearer {token}"})
    assert answered is not None
    return answered[1], answered[2]


def test_x_webhook_management_takes_the_apps_bearer_not_the_users_token(platform):
    # Given the brand's user token (what the stack holds), then the app's bearer
    user, app = LOCAL_TOKENS["x_access_token"], platform.x.bearer
    # When each lists the webhooks
    # Then only the app's bearer is taken (https://docs.x.com/x-api/webhooks/quickstart)
    assert x_call(platform, "GET", "/2/webhooks", user)[0] == 401
    assert x_call(platform, "GET", "/2/webhooks", app) == (
        200,
        {"data": [], "meta": {"result_count": 0}},
    )


@pytest.mark.parametrize(
    "url", ["https://h.example:8443/x", "http://h.example/x", "https://h.example/" + "x" * 200]
)
def test_x_refuses_a_webhook_url_with_a_port_without_https_or_too_long(platform, url):
    # Given / When the app registers such a URL
    status, body = x_call(platform, "POST", "/2/webhooks", platform.x.bearer, {"url": url})
    # Then X refuses it before any CRC, and holds no webhook
    assert (status, body["errors"]) == (400, [{"message": "UrlValidationFailed"}])
    assert platform.x.webhooks == {}


def test_x_holds_one_webhook_and_subscribes_a_user_once(platform):
    # Given the app's one webhook (Pay Per Use)
    platform.x.webhooks["1"] = {"id": "1", "url": "https://h.example/x", "valid": True}
    bearer, user = platform.x.bearer, LOCAL_TOKENS["x_access_token"]
    # When a second is registered, and the brand subscribes twice
    second = x_call(platform, "POST", "/2/webhooks", bearer, {"url": "https://other.example/x"})
    path = "/2/account_activity/webhooks/1/subscriptions/all"
    first_sub = x_call(platform, "POST", path, user, {})
    again = x_call(platform, "POST", path, user, {})
    # Then the limit and the duplicate are refused by name, the first subscription stands
    assert second[1]["errors"] == [{"message": "WebhookLimitExceeded"}]
    assert first_sub == (200, {"data": {"subscribed": True}})
    assert again[1]["errors"] == [{"message": "DuplicateSubscriptionFailed"}]
    assert x_call(platform, "GET", path, user) == (200, {"data": {"subscribed": True}})


def test_a_registration_call_without_its_appsecret_proof_is_refused(platform):
    # Given the local app, which requires appsecret_proof
    headers = {"authorization": "Bearer local-page-token"}
    # When subscribed_apps is read without it
    answered = None
    try:
        platform.answer("GET", f"/v21.0/{PAGE}/subscribed_apps", {}, None, headers)
    except Refusal as refusal:
        answered = refusal
    # Then Graph's answer for a missing proof
    assert answered is not None and answered.body["error"]["message"] == (
        "API calls from the server require an appsecret_proof argument"
    )
