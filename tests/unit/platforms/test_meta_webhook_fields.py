"""The webhook fields `socialcare connect meta` subscribes (and the doctor checks) are
exactly those the parsers read: a field left out is never delivered, a field added is
delivered for nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from socialcare.platforms import meta
from socialcare.platforms.meta import instagram, messenger, page, whatsapp

NOW = datetime(2026, 12, 7, tzinfo=UTC)
PAGE_ID, IG_ID = "104857600000001", "17841400000000001"
# Messenger's messaging fields that are not consumed, by the key their items carry
# (https://developers.facebook.com/docs/messenger-platform/webhooks#events).
NOT_CONSUMED_MESSAGING = {
    "messaging_postbacks": "postback",
    "message_deliveries": "delivery",
    "message_reads": "read",
    "message_reactions": "reaction",
    "messaging_referrals": "referral",
    "messaging_optins": "optin",
}


def kinds_ignored(payload: dict[str, Any]) -> set[str]:
    return {ignored.kind for ignored in meta.parse(payload, NOW).ignored}


def change(kind: str, account: str, field: str) -> dict[str, Any]:
    entry = {"id": account, "time": 1_765_000_000, "changes": [{"field": field, "value": {}}]}
    return {"object": kind, "entry": [entry]}


def messaging(key: str) -> dict[str, Any]:
    item = {"sender": {"id": "1"}, "recipient": {"id": PAGE_ID}, "timestamp": 1_765_000_000_000}
    item[key] = {"mid": "m_1", "text": "hola"}
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": 1, "messaging": [item]}]}


@pytest.mark.parametrize(
    ("kind", "account", "module", "others"),
    [
        ("page", PAGE_ID, page, ("mention", "ratings", "name")),
        ("instagram", IG_ID, instagram, ("story_insights", "messaging_seen")),
        ("whatsapp_business_account", "102290129340398", whatsapp, ("account_update",)),
    ],
)
def test_the_change_fields_listed_are_the_ones_the_parser_reads(kind, account, module, others):
    # Given a change of each field listed, and of fields not listed
    # When each is parsed
    # Then the listed ones are read (never "unknown_field"), the others are not
    for field in module.CONSUMED_FIELDS:
        assert "unknown_field" not in kinds_ignored(change(kind, account, field)), field
    for field in others:
        assert "unknown_field" in kinds_ignored(change(kind, account, field)), field


def test_the_messenger_fields_listed_bring_the_items_the_parser_reads():
    # Given a messaging item of each field listed (by its key), and of the other fields
    # When each is parsed
    # Then the listed ones are read, the others ignored as what they are
    not_messages = {*NOT_CONSUMED_MESSAGING.values(), "unknown_messaging"}
    for field, key in messenger.CONSUMED_FIELDS.items():
        assert not kinds_ignored(messaging(key)) & not_messages, field
    for field, key in NOT_CONSUMED_MESSAGING.items():
        assert key in kinds_ignored(messaging(key)), field


def test_a_page_subscribes_its_feed_and_messenger_fields():
    # Given / When / Then: what connect subscribes on each Page, and what the app must
    # select for Instagram and WhatsApp
    assert meta.PAGE_WEBHOOK_FIELDS == ("feed", "messages", "message_edits")
    assert meta.INSTAGRAM_WEBHOOK_FIELDS == ("comments", "live_comments", "mentions", "messages")
    assert meta.WHATSAPP_WEBHOOK_FIELDS == ("messages",)
