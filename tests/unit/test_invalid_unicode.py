"""Text DynamoDB cannot store (a lone surrogate such as \\ud800, which json.loads accepts
from its escape; bytes that are not UTF-8) is repaired where a delivery is decoded: each
invalid code point becomes U+FFFD, the message is kept, the rest of the delivery with it.
Before, the store refused the whole delivery (503) and the platform retried for ever."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict
from typing import Any

import pytest

from socialcare.app.webhook import WebhookDependencies, WebhookRequest, handle_webhook
from socialcare.platforms import meta
from socialcare_cli.samples import SIGNATURE_HEADERS, signature_for
from tests.conftest import NOW, sample_payload, secrets
from tests.intake_fakes import StoredCases

BAD = "Hola \ud800 mundo"  # a lone high surrogate, as json.dumps escapes it: \ud800
REPAIRED = "Hola \ufffd mundo"

# Where each platform's sample keeps the customer's text.
TEXTS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "telegram_message": ("telegram", ("message", "text")),
    "meta_messenger_message": ("meta", ("entry", 0, "messaging", 0, "message", "text")),
    "meta_instagram_dm": ("meta", ("entry", 0, "messaging", 0, "message", "text")),
    "meta_whatsapp_text": (
        "meta",
        ("entry", 0, "changes", 0, "value", "messages", 0, "text", "body"),
    ),
    "meta_facebook_comment": ("meta", ("entry", 0, "changes", 0, "value", "message")),
    "meta_instagram_comment": ("meta", ("entry", 0, "changes", 0, "value", "text")),
    "x_dm": ("x", ("direct_message_events", 0, "message_create", "message_data", "text")),
    "x_mention": ("x", ("tweet_create_events", 0, "extended_tweet", "full_text")),
}


def put(payload: Any, path: tuple[Any, ...], value: Any) -> Any:
    node = payload
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return payload


def deliver(platform: str, raw: bytes, store: StoredCases):
    headers = {SIGNATURE_HEADERS[platform]: signature_for(platform, raw, asdict(secrets()))}
    if raw.isascii():
        request = WebhookRequest(platform, "POST", headers, {}, raw.decode())
    else:  # API Gateway passes a body that is not UTF-8 text base64-encoded
        request = WebhookRequest(
            platform, "POST", headers, {}, base64.b64encode(raw).decode(), True
        )
    deps = WebhookDependencies(
        messages=store,
        notes=store,
        delivery_reports=store,
        survey_answers=store,
        secrets=secrets,
        clock=lambda: NOW,
        telegram_bot_id="socialcare_bot",
    )
    return handle_webhook(request, deps)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_a_lone_surrogate_becomes_a_replacement_character_and_the_message_is_kept(name):
    # Given a signed delivery whose text holds an escaped lone surrogate
    platform, path = TEXTS[name]
    raw = json.dumps(put(sample_payload(name), path, BAD)).encode()
    assert b"\\ud800" in raw
    # When it arrives
    store = StoredCases()
    result = deliver(platform, raw, store)
    # Then it is recorded, with U+FFFD where the surrogate was; the delivery is counted
    assert result.reply.status == 200, result.reply.body
    [message] = store.messages
    assert REPAIRED in message.text
    assert result.repaired == 1


def test_a_batch_keeps_every_message_and_only_the_bad_text_changes():
    # Given a Page delivery of several entries, one comment holding a lone low surrogate
    payload = sample_payload("meta_batched_page")
    expected = [m.text for m in meta.parse(payload, NOW).messages]
    payload["entry"][0]["changes"][0]["value"]["message"] = "gracias \udc00"
    # When it arrives
    store = StoredCases()
    result = deliver("meta", json.dumps(payload).encode(), store)
    # Then every customer message has its case, the others exactly as written
    assert result.reply.status == 200, result.reply.body
    assert [m.text for m in store.messages] == ["gracias \ufffd", *expected[1:]]


def test_names_edits_and_surrogates_in_keys_are_repaired_too():
    # Given a Telegram name with a lone surrogate, and an edit whose new text has one
    payload = sample_payload("telegram_message")
    payload["message"]["from"]["first_name"] = "Nu\ud83dria"
    payload["extra_\udfff"] = "unknown field"
    edit = sample_payload("telegram_edited")
    edit["edited_message"]["text"] = "cambio \ud800"
    store = StoredCases()
    # When they arrive
    first = deliver("telegram", json.dumps(payload).encode(), store)
    second = deliver("telegram", json.dumps(edit).encode(), store)
    # Then both are kept, repaired
    assert (first.reply.status, second.reply.status) == (200, 200)
    assert store.messages[0].author.display_name.startswith("Nu\ufffdria")
    assert store.changes[0].text == "cambio \ufffd"


@pytest.mark.parametrize(
    "bad", [b"\xff", b"\xed\xa0\x80", b"\xc3"], ids=["not-utf8", "utf8-surrogate", "cut"]
)
def test_bytes_that_are_not_utf8_become_replacement_characters(bad):
    # Given a signed Telegram delivery whose body has bytes UTF-8 cannot decode
    raw = json.dumps(sample_payload("telegram_message"), ensure_ascii=False).encode()
    raw = raw.replace(b"Hola", b"Hola" + bad, 1)
    # When it arrives (API Gateway passes such a body base64-encoded)
    store = StoredCases()
    result = deliver("telegram", raw, store)
    # Then it is recorded, repaired
    assert result.reply.status == 200, result.reply.body
    assert store.messages[0].text.startswith("Hola\ufffd")


def test_well_formed_text_is_left_exactly_as_it_came():
    # Given emoji (escaped surrogate pairs, as Meta sends them) and accents
    payload = sample_payload("meta_instagram_comment")
    raw = json.dumps(payload).encode()
    assert b"\\ud83c\\uddef" in raw
    store = StoredCases()
    result = deliver("meta", raw, store)
    assert result.reply.status == 200 and result.repaired == 0
    assert store.messages[0].text == payload["entry"][0]["changes"][0]["value"]["text"]
