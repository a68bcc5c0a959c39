"""X Account Activity deliveries normalised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.messages import Channel
from socialcare.platforms import x
from tests.conftest import NOW, sample_payload


def test_long_mention_takes_the_full_text_from_extended_tweet():
    [message] = x.parse(sample_payload("x_mention"), NOW).messages
    assert message.channel is Channel.X_MENTION
    assert message.public is True
    assert message.text.endswith("#atencionalcliente")
    assert "…" not in message.text
    assert message.author.handle == "ivanprieto_"
    assert message.author.followers == 12840
    assert message.language == "es"
    assert message.dedup_key == "x:tweet:1500000000000000001:1861000000000000001"
    assert message.sent_at == datetime(2026, 11, 24, 9, 12, tzinfo=UTC)


def test_direct_message_author_comes_from_the_users_map():
    [message] = x.parse(sample_payload("x_dm"), NOW).messages
    assert message.channel is Channel.X_DM
    assert message.public is False
    assert message.author.handle == "sarahc_vlc"
    assert message.author.display_name == "Sarah Collins"
    assert message.author.followers == 310
    assert message.reply_to.conversation_id == "2200000000000000002"
    assert message.dedup_key == "x:dm:1500000000000000001:1861000000000000101"


def test_own_posts_own_dms_and_other_events_are_ignored():
    delivery = x.parse(sample_payload("x_ignored"), NOW)
    assert delivery.messages == []
    assert sorted(i.kind for i in delivery.ignored) == ["other_event", "own_message"]
    own_dm = x.parse(sample_payload("x_ignored_own_dm"), NOW)
    assert own_dm.messages == []
    assert [i.kind for i in own_dm.ignored] == ["own_message"]


def test_created_at_is_used_when_there_is_no_timestamp_ms():
    tweet = {
        "id_str": "9",
        "created_at": "Tue Nov 24 09:12:00 +0000 2026",
        "text": "@brand hola",
        "user": {"id_str": "5"},
    }
    [message] = x.parse({"for_user_id": "1", "tweet_create_events": [tweet]}, NOW).messages
    assert message.sent_at == datetime(2026, 11, 24, 9, 12, tzinfo=UTC)
    assert message.text == "@brand hola"


def test_retweets_are_not_cases():
    tweet = {"id_str": "9", "text": "RT @brand", "user": {"id_str": "5"}, "retweeted_status": {}}
    delivery = x.parse({"for_user_id": "1", "tweet_create_events": [tweet]}, NOW)
    assert delivery.messages == []
    assert delivery.ignored[0].kind == "retweet"


def test_events_without_for_user_id_are_ignored():
    delivery = x.parse({"tweet_create_events": [{"id_str": "1"}]}, NOW)
    assert delivery.messages == []


def test_the_brands_reply_to_a_mention_is_a_response():
    delivery = x.parse(sample_payload("x_reply_from_brand"), NOW)
    assert delivery.messages == []
    [response] = delivery.responses
    assert response.replied_key == "x:tweet:1500000000000000001:1861000000000000001"
    assert response.responded_at == datetime(2026, 11, 24, 9, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("for_user_id", "1" * 40),
        ("for_user_id", "\u0661\u0662\u0663"),
        ("for_user_id", 1.0),
        ("id_str", "18610000000000000000000000000000001"),
        ("timestamp_ms", "1.5e12"),
        ("timestamp_ms", "99999999999999999999"),
    ],
)
def test_ids_that_cannot_be_xs_make_the_item_malformed(field, value):
    # Given a real mention with one id or time X cannot send
    payload = sample_payload("x_mention")
    target = payload if field == "for_user_id" else payload["tweet_create_events"][0]
    target[field] = value
    # When it is parsed
    delivery = x.parse(payload, NOW)
    # Then it is acknowledged as malformed, without a case
    assert delivery.messages == []
    assert [i.kind for i in delivery.ignored] == ["malformed"]


def test_deliveries_for_another_x_account_are_ignored():
    from socialcare.domain.accounts import BrandAccounts

    delivery = x.parse(sample_payload("x_mention"), NOW, BrandAccounts(x_users=frozenset({"1"})))
    assert delivery.messages == [] and [i.kind for i in delivery.ignored] == ["other_account"]
