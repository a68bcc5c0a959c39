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
        ("meta_ignored_whatsapp_statuses", ["reaction", "status"]),
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


def test_an_instagram_reply_to_a_comment_keeps_its_top_level_comment_to_answer_under():
    # Given a customer's Instagram comment written as a reply to another comment
    payload = sample_payload("meta_instagram_comment")
    payload["entry"][0]["changes"][0]["value"]["parent_id"] = "18100000000000001"
    # When it is parsed
    [message] = meta.parse(payload, NOW).messages
    # Then the reply target names the top-level comment, where Meta files replies to it
    assert message.reply_to.parent_id == "18100000000000001"


def test_a_page_comment_without_a_parent_is_not_a_response():
    payload = sample_payload("meta_page_reply")
    del payload["entry"][0]["changes"][0]["value"]["parent_id"]
    delivery = meta.parse(payload, NOW)
    assert delivery.responses == [] and [i.kind for i in delivery.ignored] == ["own_message"]


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
