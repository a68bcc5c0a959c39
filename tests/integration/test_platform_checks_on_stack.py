"""The doctor's platform checks against the local stack: before `socialcare connect` the
webhook checks fail naming the command to run, after it every check passes, and a token
refused, an update type left out or a template not approved each fail on their own line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.platform_checks import platform_checks
from socialcare_cli.main import main
from socialcare_cli.stack_target import resolve_stack

WEBHOOKS = (
    "telegram webhook",
    "facebook Page 104857600000001 webhook",
    "whatsapp webhook",
    "x webhook",
    "x subscription",
)


def checks(api: str) -> dict[str, Check]:
    found = platform_checks(resolve_stack("unused", api))
    return {check.name: check for check in found}


def connect_all(api: str) -> None:
    for platform in ("telegram", "meta", "x"):
        assert main(["connect", platform, "--local", api]) == 0


@pytest.fixture
def tokens_secret(stack) -> Iterator[None]:
    """PlatformTokensSecret, put back as it was afterwards."""
    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformTokensSecret"]
    kept = client.get_secret_value(SecretId=secret_id)["SecretString"]
    yield
    client.put_secret_value(SecretId=secret_id, SecretString=kept)


def put_tokens(stack, **values: Any) -> None:
    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformTokensSecret"]
    found = json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps({**found, **values}))


def test_before_connect_the_webhook_checks_fail_naming_the_command(stack, api) -> None:
    # Given a fresh local stack, no webhook registered anywhere
    # When the platform checks run
    found = checks(api)

    # Then every token passes and every webhook check fails, saying what to run (X's
    # subscription needs the webhook first: one finding)
    failed = {name for name, check in found.items() if not check.ok}
    assert failed == set(WEBHOOKS) - {"x subscription"}, found
    assert "run `socialcare connect telegram`" in found["telegram webhook"].detail
    assert "not subscribed on the Page: run `socialcare connect meta`" in (
        found["facebook Page 104857600000001 webhook"].detail
    )
    assert "run `socialcare connect meta`" in found["whatsapp webhook"].detail
    assert f"{api}/webhooks/x not registered: run `socialcare connect x`" in (
        found["x webhook"].detail
    )


def test_after_connect_every_platform_check_passes(stack, api, capsys) -> None:
    # Given a fresh local stack, connected to the three platforms
    connect_all(api)

    # When the platform checks run
    found = checks(api)

    # Then each passes, the webhooks among them
    assert [c for c in found.values() if not c.ok] == []
    assert set(WEBHOOKS) <= set(found)
    assert {"telegram bot token", "instagram token", "whatsapp token", "x user token"} <= set(found)
    assert found["whatsapp template seguimiento_caso"].detail == "APPROVED (es)"


def test_a_refused_telegram_token_fails_its_check(stack, api, capsys, tokens_secret) -> None:
    # Given a connected stack whose bot token is not the bot's any more
    connect_all(api)
    put_tokens(stack, telegram_bot_token="123456:revoked")

    # When the platform checks run
    found = checks(api)

    # Then the token's check fails, saying where to put the right one
    token = found["telegram bot token"]
    assert not token.ok
    assert token.detail.startswith("refused (401 Unauthorized): put the bot's token from BotFather")
    assert found["whatsapp token"].ok and found["x webhook"].ok


def test_allowed_updates_without_survey_taps_fail_the_telegram_webhook(stack, api, capsys) -> None:
    # Given a webhook set as the README used to say: allowed_updates=["message"]
    connect_all(api)
    stack.platforms.registrations.telegram.webhook["allowed_updates"] = ["message"]

    # When the platform checks run
    found = checks(api)["telegram webhook"]

    # Then the check names what Telegram will not deliver
    assert not found.ok
    assert found.detail == (
        "allowed_updates lacks business_message, edited_message, edited_business_message, "
        "callback_query, deleted_business_messages: run `socialcare connect telegram`"
    )


def test_a_template_not_approved_fails_its_check(stack, api, capsys) -> None:
    # Given a connected stack whose WhatsApp template is still in review
    connect_all(api)
    stack.platforms.registrations.templates["seguimiento_caso"] = "PENDING"

    # When the platform checks run
    found = checks(api)["whatsapp template seguimiento_caso"]

    # Then the template's check fails with Meta's status
    assert not found.ok
    assert found.detail == "PENDING for es: submit or fix it in WhatsApp Manager"


def test_a_page_subscribed_without_message_edits_fails_its_check(stack, api, capsys) -> None:
    # Given a Page subscribed (by hand) to feed and messages only
    connect_all(api)
    stack.platforms.registrations.subscribed["104857600000001"] = ["feed", "messages"]

    # When the platform checks run
    found = checks(api)["facebook Page 104857600000001 webhook"]

    # Then the check names the field missing
    assert not found.ok
    assert found.detail == "subscribed without message_edits: run `socialcare connect meta`"
