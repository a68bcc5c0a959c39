"""`socialcare local --telegram-api URL` (and --meta-api, --x-api): the stack's platform
calls go to another implementation of the API, on the real paths, with the local tokens;
the built-in emulator gets none of them, and /_local/stack says where they go."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from socialcare_cli.local.platform_emulator import PlatformEmulator
from socialcare_cli.samples import http_request
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    SUPPORT,
    csrf_of,
    deliver,
    email_to,
    link,
    request,
    text_of,
    wait_for,
)


@pytest.fixture
def other_telegram(stack) -> Iterator[PlatformEmulator]:
    """A second Bot API double on a port of its own; the stack's Telegram calls go there."""
    other = PlatformEmulator().start()
    stack.use_platform_apis({"telegram": other.url})
    yield other
    stack.use_platform_apis({})
    other.stop()


def test_a_reply_goes_to_the_telegram_api_chosen_instead_of_the_emulator(
    stack, api, other_telegram
) -> None:
    # Given a Telegram case, the chat known to the other Bot API (it delivered it)
    event = signed_event("telegram", dated(sample_payload("telegram_message"), datetime.now(UTC)))
    other_telegram.observe_delivery(event)
    case_id = deliver(stack, event)
    wait_for(stack, case_id, lambda c: c["status"] == "derived")

    # When the department answers the customer from its action page
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    status, page = request(stack, "GET", action_id, query="do=contacted")
    reply = "Hola Nuria, ya está resuelto."
    status, done = request(
        stack, "POST", action_id, csrf_token=csrf_of(page), action="contacted", reply=reply
    )

    # Then sendMessage reached the other API, on Telegram's path, with the local token;
    # the built-in emulator saw no Telegram call
    assert status == 200, text_of(done)
    calls = [c for c in other_telegram.calls_made() if c["path"] == "/bot<token>/sendMessage"]
    assert calls and calls[0]["body"]["text"] == reply and calls[0]["status"] == 200
    assert not [c for c in stack.platforms.calls_made() if c["platform"] == "telegram"]
    found = http_request("GET", f"{api}/_local/stack", {}).json()["platform_apis"]
    assert found == {
        "meta": f"{stack.platforms.url}/v21.0",
        "x": stack.platforms.url,
        "telegram": other_telegram.url,
    }
