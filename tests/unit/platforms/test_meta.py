"""Meta deliveries normalised: every entry, every change, every channel; the rest ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.messages import Channel, Platform
from socialcare.platforms import meta
from socialcare.platforms.meta import whatsapp
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
        ("order", {"product_items": [{}, {}]}, "[order] 2 item(s)\n1 x product\n1 x product"),
        ("unsupported", {}, "[unsupported message: not supported by WhatsApp Cloud API]"),
    ],
)
def test_every_whatsapp_type_has_readable_text(kind, body, expected):
    assert whatsapp.describe(kind, {"type": kind, kind: body}) == expected


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
    # And the reaction is acknowledged only, the customer's edit noted as a change
    assert [i.kind for i in delivery.ignored] == ["reaction"]
    [edit] = delivery.changes
    assert (edit.kind, edit.original_key) == (
        "edited",
        "facebook:comment:998877665544_1200000000000001",
    )


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


def messaging(message=None, **event):
    payload = sample_payload("meta_messenger_message")
    item = payload["entry"][0]["messaging"][0]
    if message is not None:
        item["message"] = {"mid": "m_1", **message}
    item.update(event)
    return payload


@pytest.mark.parametrize(
    ("attachment", "expected"),
    [
        (
            {"type": "location", "payload": {"coordinates": {"lat": 40.41, "long": -3.7}}},
            "[location] (40.41, -3.7)",
        ),
        (
            {"type": "fallback", "payload": {"url": "https://ex.com/a", "title": "Oferta"}},
            "[link] Oferta https://ex.com/a",
        ),
        (
            {"type": "fallback", "title": "Oferta", "url": "https://ex.com/a"},
            "[link] Oferta https://ex.com/a",
        ),
        (
            {
                "type": "template",
                "payload": {"product": {"elements": [{"title": "Casco", "retailer_id": "C-9"}]}},
            },
            "[shared product]\nCasco (C-9)",
        ),
    ],
)
def test_messenger_attachments_keep_what_a_person_needs(attachment, expected):
    [message] = meta.parse(messaging({"attachments": [attachment]}), NOW).messages
    assert message.text == expected


def test_an_instagram_story_mention_is_a_mention():
    payload = sample_payload("meta_instagram_dm")
    payload["entry"][0]["messaging"][0]["message"] = {
        "mid": "aWdfMENTION",
        "attachments": [{"type": "story_mention", "payload": {"url": "https://cdn/s.jpg"}}],
    }
    [message] = meta.parse(payload, NOW).messages
    assert message.channel is Channel.INSTAGRAM_MENTION
    assert message.text == "[story mention] https://cdn/s.jpg"
    assert message.reply_to.conversation_id == "987650000000001"


def test_postbacks_standby_and_edits_in_messenger():
    # Given a tap on the bot's menu, a thread another app holds, an edit and an unsend
    postback = messaging(postback={"title": "Empezar", "payload": "GET_STARTED"})
    del postback["entry"][0]["messaging"][0]["message"]
    standby = sample_payload("meta_messenger_message")
    standby["entry"][0]["standby"] = standby["entry"][0].pop("messaging")
    edit = messaging(message_edit={"mid": "m_1", "text": "nuevo texto", "num_edit": 1})
    del edit["entry"][0]["messaging"][0]["message"]
    unsent = messaging({"is_deleted": True})
    # Then no case: postbacks and standby are acknowledged, edits and unsends are changes
    assert [i.kind for i in meta.parse(postback, NOW).ignored] == ["postback"]
    assert [i.kind for i in meta.parse(standby, NOW).ignored] == ["standby"]
    [edited] = meta.parse(edit, NOW).changes
    [deleted] = meta.parse(unsent, NOW).changes
    assert (edited.original_key, edited.text) == ("messenger:m_1", "nuevo texto")
    assert (deleted.original_key, deleted.kind) == ("messenger:m_1", "deleted")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("entry", 0, "id"), "1" * 33),
        (("entry", 0, "id"), "\u0661\u0662"),
        (("entry", 0, "id"), 1.5),
        (("entry", 0, "messaging", 0, "sender", "id"), "12a"),
        (("entry", 0, "messaging", 0, "message", "mid"), "m_" + "a" * 600),
        (("entry", 0, "messaging", 0, "message", "mid"), "m_ñ"),
        (("entry", 0, "messaging", 0, "timestamp"), 1.5e12),
        (("entry", 0, "messaging", 0, "timestamp"), "9" * 20),
    ],
)
def test_ids_that_cannot_be_metas_make_the_item_malformed(path, value):
    # Given a real delivery with one id or time the platform cannot send
    payload = sample_payload("meta_messenger_message")
    node = payload
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    # When it is parsed
    delivery = meta.parse(payload, NOW)
    # Then the item is acknowledged as malformed, and no case comes of it
    assert delivery.messages == []
    assert [i.kind for i in delivery.ignored] == ["malformed"]


def test_a_malformed_item_does_not_stop_the_others():
    payload = sample_payload("meta_batched_page")
    payload["entry"][0]["changes"][0]["value"]["comment_id"] = "not-an-id"
    delivery = meta.parse(payload, NOW)
    assert len(delivery.messages) == 2
    assert "malformed" in [i.kind for i in delivery.ignored]


def test_deliveries_for_accounts_that_are_not_the_brands_are_ignored():
    from socialcare.domain.accounts import BrandAccounts

    # Given the brand's accounts listed, and a delivery for another Page and number
    accounts = BrandAccounts(
        facebook_pages=frozenset({"999"}), whatsapp_phone_numbers=frozenset({"106540352242922"})
    )
    # When they are parsed
    page = meta.parse(sample_payload("meta_messenger_message"), NOW, accounts)
    own_number = meta.parse(sample_payload("meta_whatsapp_text"), NOW, accounts)
    # Then the other Page's is ignored, and the brand's own number's is a message
    assert page.messages == [] and [i.kind for i in page.ignored] == ["other_account"]
    assert len(own_number.messages) == 1
