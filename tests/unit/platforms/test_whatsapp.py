"""WhatsApp Cloud API deliveries: every message type as text a person can answer, edits,
revokes, usernames, Flows, orders, failed statuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.delivery_reports import ReceiptState
from socialcare.domain.messages import Channel
from socialcare.platforms import meta
from socialcare.platforms.meta import whatsapp
from tests.conftest import NOW
from tests.unit.platforms.test_meta import parse


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
        ("order", {"product_items": [{}, {}]}, "[order] 2 item(s)\n1 x product\n1 x product"),
        ("unsupported", {}, "[unsupported message: not supported by WhatsApp Cloud API]"),
    ],
)
def test_every_whatsapp_type_has_readable_text(kind, body, expected):
    assert whatsapp.describe(kind, {"type": kind, kind: body}) == expected


def test_a_failed_whatsapp_status_is_a_report_with_the_platforms_error():
    # Given the statuses webhook Meta sends when a message it accepted could not be
    # delivered (shape: developers.facebook.com/documentation/business-messaging/whatsapp/
    # webhooks/reference/messages/status/, errors as in .../whatsapp/support/error-codes)
    delivery = parse("meta_whatsapp_failed_status")
    # Then one report for the wamid the Cloud API returned when sending, no case
    [report] = delivery.delivery_reports
    assert report.channel is Channel.WHATSAPP
    assert report.message_id == "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    assert report.state is ReceiptState.FAILED
    assert (report.error_code, report.error_title) == (131047, "Re-engagement message")
    assert report.error_details.startswith("Message failed to send because more than 24 hours")
    assert report.at == datetime(2026, 11, 24, 9, 13, 23, tzinfo=UTC)
    assert delivery.messages == []
    assert "template" in report.reason() and "(131047)" in report.reason()


def test_delivered_and_read_statuses_are_reports_and_sent_is_only_logged():
    # Given read then a late delivered for one message, and a batch with `sent`
    read, delivered = parse("meta_whatsapp_read_then_delivered").delivery_reports
    assert (read.state, delivered.state) == (ReceiptState.READ, ReceiptState.DELIVERED)
    assert read.message_id == delivered.message_id
    mixed = parse("meta_ignored_whatsapp_statuses")
    # Then `sent` (already known from the API's answer) is logged, the others reported
    assert [r.state for r in mixed.delivery_reports] == ["delivered", "read", "failed"]
    assert sorted(i.kind for i in mixed.ignored) == ["reaction", "status"]


def test_a_status_without_a_usable_id_is_malformed_not_a_report():
    body = whatsapp_delivery()
    body["entry"][0]["changes"][0]["value"]["statuses"] = [{"status": "failed", "id": ["wamid.1"]}]
    delivery = meta.parse(body, NOW)
    assert delivery.delivery_reports == []
    assert [i.kind for i in delivery.ignored] == ["malformed"]


def whatsapp_delivery(*messages, contacts=None, number_id="106540352242922"):
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "metadata": {"phone_number_id": number_id},
                            "contacts": contacts or [],
                            "messages": list(messages),
                        },
                    }
                ],
            }
        ],
    }


def test_whatsapp_edits_and_revokes_are_changes_of_the_message_not_cases():
    # Given the customer editing, then deleting, a message (Meta's documented payloads)
    edit = {
        "from": "34600111222",
        "id": "wamid.EDIT1",
        "timestamp": "1795511200",
        "type": "edit",
        "edit": {
            "original_message_id": "wamid.ORIGINAL",
            "message": {"type": "text", "text": {"body": "Corrijo: la póliza es la 8812"}},
        },
    }
    revoke = {
        "from": "34600111222",
        "id": "wamid.REVOKE1",
        "timestamp": "1795511300",
        "type": "revoke",
        "revoke": {"original_message_id": "wamid.ORIGINAL"},
    }
    # When they arrive
    delivery = meta.parse(whatsapp_delivery(edit, revoke), NOW)
    # Then no case is opened: each names the message it changes
    assert delivery.messages == []
    edited, deleted = delivery.changes
    assert (edited.kind, edited.original_key) == ("edited", "whatsapp:wamid.ORIGINAL")
    assert edited.text == "Corrijo: la póliza es la 8812"
    assert (deleted.kind, deleted.text) == ("deleted", None)


def test_whatsapp_customers_with_a_username_are_known_by_their_business_scoped_id():
    # Given a customer who adopted a username: Meta withholds the phone
    message = {
        "from_user_id": "ES.1410018717833190",
        "id": "wamid.U1",
        "timestamp": "1795511200",
        "type": "text",
        "text": {"body": "Hola, soy cliente"},
    }
    contact = {"profile": {"name": "Ana", "username": "ana.g"}, "user_id": "ES.1410018717833190"}
    # And one who shares both identities
    both = {**message, "id": "wamid.U2", "from": "34600111222"}
    # When they arrive
    only_id, with_phone = meta.parse(
        whatsapp_delivery(message, both, contacts=[contact]), NOW
    ).messages
    # Then the business-scoped id is the author; the phone, when shared, is an alias
    assert (only_id.author.id, only_id.author.handle) == ("ES.1410018717833190", "ana.g")
    assert only_id.reply_to.conversation_id == "ES.1410018717833190"
    assert with_phone.author.id == "ES.1410018717833190"
    assert with_phone.author.aliases == ["34600111222"]
    assert with_phone.reply_to.conversation_id == "34600111222"


def test_whatsapp_flow_answers_are_kept_as_text():
    flow = {
        "from": "34600111222",
        "id": "wamid.F1",
        "timestamp": "1795511200",
        "type": "interactive",
        "interactive": {
            "type": "nfm_reply",
            "nfm_reply": {
                "name": "flow",
                "body": "Sent",
                "response_json": '{"flow_token": "t-1", "poliza": "8812", "motivo": "siniestro"}',
            },
        },
    }
    [message] = meta.parse(whatsapp_delivery(flow), NOW).messages
    assert message.text == "[form: flow]\npoliza: 8812\nmotivo: siniestro"


def test_whatsapp_orders_keep_their_items():
    order = {
        "from": "34600111222",
        "id": "wamid.O1",
        "timestamp": "1795511200",
        "type": "order",
        "order": {
            "catalog_id": "1",
            "text": "Para el viernes",
            "product_items": [
                {
                    "product_retailer_id": "SKU-1",
                    "quantity": 2,
                    "item_price": 12.5,
                    "currency": "EUR",
                }
            ],
        },
    }
    [message] = meta.parse(whatsapp_delivery(order), NOW).messages
    assert message.text == "[order] 1 item(s)\n2 x SKU-1 (12.5 EUR)\nPara el viernes"
