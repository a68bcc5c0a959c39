"""Meta deliveries normalised: every entry, every change, every channel; the rest ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.messages import Channel, Platform
from socialcare.platforms import meta
from tests.conftest import NOW, sample_payload


def parse(name: str):
    return meta.parse(sample_payload(name), NOW)


def test_facebook_comment():
    # Given a customer's comment on a Page post
    delivery = parse("meta_facebook_comment")
    # Then one public message with the ids to reply under the post
    [message] = delivery.messages
    assert message.channel is Channel.FACEBOOK_COMMENT
    assert message.platform is Platform.FACEBOOK
    assert message.public is True
    assert message.dedup_key == "facebook:comment:998877665544_1200000000000001"
    assert message.reply_to.account_id == "104857600000001"
    assert message.reply_to.thread_id == "104857600000001_998877665544"
    assert message.reply_to.message_id == "998877665544_1200000000000001"
    assert message.author.id == "6102938475610001"
    assert message.author.display_name == "Lucía Fernández"
    assert message.text.startswith("Llevo tres semanas")
    assert message.sent_at == datetime(2026, 11, 24, 9, 1, tzinfo=UTC)
    assert message.received_at == NOW


def test_messenger_message():
    [message] = parse("meta_messenger_message").messages
    assert message.channel is Channel.MESSENGER
    assert message.public is False
    assert message.dedup_key == "messenger:m_AbCdEfGhIjKlMnOpQrStUv0001"
    assert message.reply_to.conversation_id == message.author.id == "7345610987654321"
    assert message.reply_to.account_id == "104857600000001"
    assert message.sent_at == datetime(2026, 11, 24, 9, 1, 58, tzinfo=UTC)


def test_instagram_comment():
    [message] = parse("meta_instagram_comment").messages
    assert message.channel is Channel.INSTAGRAM_COMMENT
    assert message.public is True
    assert message.author.handle == "marta.viaja"
    assert message.reply_to.thread_id == "18012345678900001"
    assert message.dedup_key == "instagram:comment:18100000000000001"
    assert "Japón" in message.text


def test_instagram_mention_says_the_text_is_still_to_fetch():
    # Given a mention, for which Meta sends only ids
    [message] = parse("meta_instagram_mention").messages
    # Then a case is still opened, saying what it is and keeping the ids to fetch it
    assert message.channel is Channel.INSTAGRAM_MENTION
    assert message.reply_to.message_id == "18100000000000777"
    assert message.reply_to.thread_id == "18098765432100001"
    assert "mention" in message.text
    assert message.author.id.startswith("unknown:")


def test_instagram_direct_message():
    [message] = parse("meta_instagram_dm").messages
    assert message.channel is Channel.INSTAGRAM_DM
    assert message.public is False
    assert message.dedup_key.startswith("instagram_dm:aWdfZAG1")
    # entry.time in milliseconds must not break anything
    assert message.sent_at.year == 2026


def test_whatsapp_text_with_profile_name():
    [message] = parse("meta_whatsapp_text").messages
    assert message.channel is Channel.WHATSAPP
    assert message.author.id == "34600111222"
    assert message.author.display_name == "Javier Ruiz"
    assert message.reply_to.account_id == "106540352242922"
    assert message.dedup_key.startswith("whatsapp:wamid.")


def test_whatsapp_other_types_are_described():
    image, location = parse("meta_whatsapp_media").messages
    assert image.text == "[image] Así quedó el coche después del golpe"
    assert image.content_type == "image"
    assert image.author.display_name == "Ana Belén"
    assert location.text.startswith("[location] Taller Hermanos López, Calle Mayor 12, Madrid")
    assert location.author.display_name == "Pablo"
    [voice] = parse("meta_whatsapp_voice").messages
    assert voice.text == "[voice note]"


@pytest.mark.parametrize(
    ("kind", "body", "expected"),
    [
        (
            "document",
            {"filename": "parte.pdf", "caption": "el parte"},
            "[document: parte.pdf] el parte",
        ),
        ("sticker", {"id": "1"}, "[sticker]"),
        (
            "interactive",
            {"button_reply": {"id": "b1", "title": "Sí, llamadme"}},
            "[choice] Sí, llamadme",
        ),
        ("button", {"text": "Quiero info"}, "[button] Quiero info"),
        ("order", {"product_items": [{}, {}]}, "[order] 2 item(s)"),
        ("unsupported", {}, "[unsupported message: not supported by WhatsApp Cloud API]"),
    ],
)
def test_every_whatsapp_type_has_readable_text(kind, body, expected):
    assert meta.describe_whatsapp(kind, {"type": kind, kind: body}) == expected


def test_a_batch_processes_every_entry_and_every_change():
    # Given two entries with five feed changes and a Messenger message
    delivery = parse("meta_batched_page")
    # Then the customer comment, the visitor post and the message become messages
    assert [m.channel for m in delivery.messages] == [
        Channel.FACEBOOK_COMMENT,
        Channel.FACEBOOK_COMMENT,
        Channel.MESSENGER,
    ]
    assert delivery.messages[1].dedup_key == "facebook:post:104857600000001_445566778899"
    # And the page's own reply is a response to the customer's comment
    [response] = delivery.responses
    assert response.replied_key == "facebook:comment:998877665544_1200000000000001"
    assert response.response_id == "998877665544_1200000000000003"
    # And the reaction and the edit are acknowledged only
    assert sorted(i.kind for i in delivery.ignored) == ["edit_or_remove", "reaction"]


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("meta_ignored_messenger", ["delivery", "echo", "reaction", "read"]),
        ("meta_ignored_whatsapp_statuses", ["reaction", "status", "status", "status", "status"]),
        ("meta_ignored_own_comments", ["unknown_field"]),
    ],
)
def test_ignored_kinds_create_nothing(name, kinds):
    delivery = parse(name)
    assert delivery.messages == []
    assert sorted(i.kind for i in delivery.ignored) == kinds


def test_the_brands_own_public_replies_are_responses_not_messages():
    # Given the page answering a customer's comment, and the Instagram account a comment
    page_reply = parse("meta_page_reply")
    instagram_reply = parse("meta_ignored_own_comments")
    # Then each is a response to the customer's message, found by its dedup key
    assert page_reply.messages == [] and page_reply.ignored == []
    [facebook] = page_reply.responses
    assert (facebook.channel, facebook.replied_key) == (
        Channel.FACEBOOK_COMMENT,
        "facebook:comment:998877665544_1200000000000001",
    )
    assert facebook.responded_at == datetime(2026, 11, 24, 9, 45, tzinfo=UTC)
    [instagram] = instagram_reply.responses
    assert instagram.replied_key == "instagram:comment:18100000000000001"


def test_a_page_comment_without_a_parent_is_not_a_response():
    payload = sample_payload("meta_page_reply")
    del payload["entry"][0]["changes"][0]["value"]["parent_id"]
    delivery = meta.parse(payload, NOW)
    assert delivery.responses == [] and [i.kind for i in delivery.ignored] == ["own_message"]


def test_a_failed_whatsapp_status_keeps_its_error_for_the_log():
    delivery = parse("meta_ignored_whatsapp_statuses")
    failed = [i for i in delivery.ignored if i.detail.get("status") == "failed"]
    assert failed[0].detail["errors"] == [{"code": 131047, "title": "Re-engagement message"}]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"object": "user", "entry": [{"id": "1"}]},
        {"object": "page", "entry": "not a list"},
        {"object": "page", "entry": [None, 3, "x", {"changes": [None, {"field": "feed"}]}]},
        {"object": "page", "entry": [{"id": "1", "messaging": [{"message": {"text": "no mid"}}]}]},
        {
            "object": "instagram",
            "entry": [{"id": "1", "changes": [{"field": "comments", "value": {}}]}],
        },
        {
            "object": "whatsapp_business_account",
            "entry": [
                {"changes": [{"field": "messages", "value": {"messages": [{"type": "text"}]}}]}
            ],
        },
    ],
)
def test_odd_payloads_are_acknowledged_without_a_case_and_without_crashing(payload):
    assert meta.parse(payload, NOW).messages == []


def test_visitor_post_without_author_stands_alone():
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "1",
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "status",
                            "verb": "add",
                            "post_id": "1_2",
                            "message": "hola",
                        },
                    }
                ],
            }
        ],
    }
    [message] = meta.parse(payload, NOW).messages
    assert message.author.id == "unknown:1_2"
    assert message.sent_at == NOW  # no time in the payload: the time we received it
