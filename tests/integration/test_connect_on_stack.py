"""`socialcare connect meta|x|telegram --local URL` against the local stack: each platform
(the emulator) ends up with the stack's webhook as it needs it, a second run changes
nothing and says "already", and what the platform refuses is one line, exit 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from socialcare.platforms.meta import PAGE_WEBHOOK_FIELDS
from socialcare.platforms.telegram import CONSUMED_UPDATES
from socialcare_cli.main import main

PAGE = "104857600000001"  # the local tokens' Page (the sample deliveries')
WABA = "102290129340398"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout, and the command's own line on stderr (not the local HTTP
    server's request log)."""
    code = main(list(argv))
    said = capsys.readouterr()
    own = "".join(line for line in said.err.splitlines(True) if line.startswith("socialcare "))
    return code, said.out, own


@pytest.fixture
def platform_secret(stack) -> Iterator[dict[str, Any]]:
    """The stack's platform secrets, put back as they were afterwards."""
    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformSecrets"]
    kept = client.get_secret_value(SecretId=secret_id)["SecretString"]
    yield json.loads(kept)
    client.put_secret_value(SecretId=secret_id, SecretString=kept)


def put_platform_secret(stack, **values: Any) -> None:
    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformSecrets"]
    found = json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps({**found, **values}))


def test_connect_telegram_sets_the_webhook_once_with_every_consumed_update(
    stack, api, capsys
) -> None:
    # Given a fresh local stack: no webhook on the emulated Bot API
    registrations = stack.platforms.registrations
    assert registrations.telegram.webhook["url"] == ""

    # When connect telegram runs twice
    first = run(capsys, "connect", "telegram", "--local", api)
    second = run(capsys, "connect", "telegram", "--local", api)

    # Then the webhook is the stack's, with its secret and the parser's update types
    url = f"{api}/webhooks/telegram"
    assert first == (0, f"telegram: webhook set to {url} (6 update types)\n", "")
    assert second == (0, f"telegram: webhook already set to {url} (6 update types)\n", "")
    assert registrations.telegram.webhook["url"] == url
    assert registrations.telegram.webhook["secret_token"] == "local-telegram-secret-token"
    assert sorted(registrations.telegram.webhook["allowed_updates"]) == sorted(CONSUMED_UPDATES)


def test_connect_telegram_refuses_a_secret_telegram_would_refuse(
    stack, api, capsys, platform_secret
) -> None:
    # Given a secret token with a character Telegram does not allow
    put_platform_secret(stack, telegram_secret_token="abc$")

    # When connect telegram runs
    code, out, err = run(capsys, "connect", "telegram", "--local", api)

    # Then nothing is called and the line says what to fix
    assert code == 1 and out == ""
    assert "telegram_secret_token must be 1-256 of A-Z a-z 0-9 _ -" in err
    assert not [c for c in stack.platforms.calls_made() if c["platform"] == "telegram"]


def test_connect_meta_subscribes_the_page_and_the_whatsapp_account_once(stack, api, capsys) -> None:
    # Given a fresh local stack: the Page and the WhatsApp account subscribe no app
    registrations = stack.platforms.registrations
    assert registrations.subscribed == {}

    # When connect meta runs twice
    first = run(capsys, "connect", "meta", "--local", api)
    second = run(capsys, "connect", "meta", "--local", api)

    # Then the Page has the parsers' fields, the WABA the app, and the second run says so
    fields = ", ".join(PAGE_WEBHOOK_FIELDS)
    assert first[0] == 0 and second[0] == 0
    assert f"facebook: Page {PAGE} subscribed ({fields})" in first[1]
    assert f"whatsapp: business account {WABA} subscribed" in first[1]
    assert f"facebook: Page {PAGE} already subscribed ({fields})" in second[1]
    assert f"whatsapp: business account {WABA} already subscribed" in second[1]
    assert registrations.subscribed == {PAGE: list(PAGE_WEBHOOK_FIELDS), WABA: []}
    posts = [c for c in stack.platforms.calls_made() if c["method"] == "POST"]
    assert len(posts) == 2


def test_connect_x_registers_the_webhook_after_a_real_crc_and_subscribes_the_brand(
    stack, api, capsys
) -> None:
    # Given a fresh local stack: the app has no webhook
    x = stack.platforms.registrations.x
    assert x.webhooks == {}

    # When connect x runs twice
    first = run(capsys, "connect", "x", "--local", api)
    second = run(capsys, "connect", "x", "--local", api)

    # Then one webhook, validated by a CRC the stack answered, and one subscription
    url = f"{api}/webhooks/x"
    assert first[0] == 0, first
    assert f"x: webhook registered ({url}" in first[1]
    assert "x: brand account subscribed to webhook" in first[1]
    assert second == (
        0,
        f"x: webhook already registered ({url})\nx: brand account already subscribed\n",
        "",
    )
    [webhook] = x.webhooks.values()
    assert webhook["url"] == url and webhook["valid"] is True
    assert x.subscriptions == {webhook["id"]: {"1500000000000000001"}}


def test_connect_x_fails_when_the_stack_answers_the_crc_with_another_secret(
    stack, api, capsys
) -> None:
    # Given X holding another consumer secret than the stack's
    x = stack.platforms.registrations.x
    x.use_app_secrets({"x_consumer_key": "local-x-consumer-key", "x_consumer_secret": "other"})
    try:
        # When connect x runs
        code, _, err = run(capsys, "connect", "x", "--local", api)
    finally:
        x.use_app_secrets(stack.secrets)

    # Then the bearer is refused first (X knows the app by its key and secret)
    assert code == 1
    assert "x: the app's key and secret were refused (403" in err
    assert x.webhooks == {}


def test_the_emulated_x_registers_a_webhook_only_when_the_stack_answers_its_crc(stack, api) -> None:
    # Given X knowing the app by another secret than the one the stack signs with
    from socialcare_cli.platform_access import call

    x = stack.platforms.registrations.x
    x.use_app_secrets({"x_consumer_key": "k", "x_consumer_secret": "other"})
    headers = {"authorization": f"Bearer {x.bearer}"}
    url = f"{api}/webhooks/x"
    try:
        # When the app registers the stack's URL
        refused = call(
            "POST", f"{stack.platforms.url}/2/webhooks", headers=headers, json_body={"url": url}
        )
    finally:
        x.use_app_secrets(stack.secrets)
    # ... and again, X now holding the stack's own secret
    accepted = call(
        "POST", f"{stack.platforms.url}/2/webhooks", headers=headers, json_body={"url": url}
    )

    # Then the first is refused on the CRC X sent to the stack, the second registered
    assert refused.status == 400 and refused.body["errors"] == [{"message": "CrcValidationFailed"}]
    assert accepted.status == 200 and accepted.body["data"]["valid"] is True
    assert [w["url"] for w in x.webhooks.values()] == [url]


@pytest.fixture
def x_tokens(stack) -> Iterator[dict[str, Any]]:
    """The emulated X's tokens and PlatformTokensSecret, put back as they were afterwards
    (and the containers' cache of the secret with them)."""
    from socialcare import bootstrap
    from socialcare.bootstrap import adapters

    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformTokensSecret"]
    kept = (dict(stack.platforms.tokens), client.get_secret_value(SecretId=secret_id))
    yield stack.platforms.tokens
    stack.platforms.tokens.update(kept[0])
    client.put_secret_value(SecretId=secret_id, SecretString=kept[1]["SecretString"])
    adapters.platform_tokens(bootstrap.root()).fresh()


def test_connect_x_renews_an_expired_user_token_as_the_stack_does(
    stack, api, capsys, x_tokens
) -> None:
    # Given the brand's user token past its two hours (the stack renews it only when it
    # sends, so after a quiet spell this is what connect finds)
    stack.platforms.x_tokens.expire_access_token()
    refreshed = stack.platforms.x_tokens.refreshed

    # When connect x runs
    code, out, err = run(capsys, "connect", "x", "--local", api)

    # Then the pair is renewed (saved where the stack reads it) and the brand subscribed
    assert code == 0, err
    assert "x: brand account subscribed to webhook" in out
    client = stack.client("secretsmanager")
    secret = json.loads(
        client.get_secret_value(SecretId=stack.refs["PlatformTokensSecret"])["SecretString"]
    )
    assert secret["x_access_token"] == x_tokens["x_access_token"]
    assert stack.platforms.x_tokens.refreshed == refreshed + 1
