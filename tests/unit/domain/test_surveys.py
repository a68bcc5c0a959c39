"""Where a survey's tapped answer comes back, channel by channel, and which tap counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.messages import Channel
from socialcare.domain.survey_answers import (
    SurveyAnswer,
    SurveyForm,
    TapOrigin,
    survey_form,
    tap_channel,
    tap_counts,
)

PRIVATE_CHOICES = [Channel.TELEGRAM, Channel.MESSENGER, Channel.INSTAGRAM_DM, Channel.WHATSAPP]


@pytest.mark.parametrize("channel", PRIVATE_CHOICES)
def test_choices_sent_in_a_conversation_are_tapped_in_that_same_channel(channel):
    # A Telegram callback_query, a Messenger or Instagram quick reply (each its own
    # messaging object), a WhatsApp list or button reply
    assert survey_form(channel, public=False) is SurveyForm.CHOICES
    assert tap_channel(channel, public=False) is channel


@pytest.mark.parametrize(
    ("channel", "public"),
    [
        (Channel.FACEBOOK_COMMENT, True),  # the private reply (in Messenger) carries a link
        (Channel.INSTAGRAM_COMMENT, True),  # the private reply (an Instagram DM): a link
        (Channel.INSTAGRAM_MENTION, True),
        (Channel.X_MENTION, True),
        (Channel.X_DM, False),  # X's API v2 DMs have no quick replies
        (Channel.TELEGRAM, True),  # a group: one private message, with the link
    ],
)
def test_a_survey_asked_with_a_link_is_answered_on_the_page_only(channel, public):
    assert survey_form(channel, public) is SurveyForm.LINK
    assert tap_channel(channel, public) is None


def test_an_answer_carries_the_platform_of_its_channel():
    answer = SurveyAnswer(
        case_id="20261124-0123456789abcdef",
        score=3,
        channel=Channel.INSTAGRAM_DM,
        author_id="1",
        answered_at=datetime(2026, 11, 24, tzinfo=UTC),
        answer_key="k",
    )
    assert answer.platform.value == "instagram"


def _tap(channel: Channel, origin: TapOrigin | None) -> SurveyAnswer:
    return SurveyAnswer(
        case_id="20261124-0123456789abcdef",
        score=1,
        channel=channel,
        author_id="555000111",
        origin=origin,
        answered_at=datetime(2026, 11, 24, tzinfo=UTC),
        answer_key="k",
    )


@pytest.mark.parametrize(
    ("channel", "origin", "counts"),
    [
        (Channel.TELEGRAM, TapOrigin(account_id="bot", chat_id="555000111"), True),
        (Channel.TELEGRAM, TapOrigin(account_id="bot", chat_id="-1001234567890"), False),
        (Channel.TELEGRAM, TapOrigin(account_id="bot"), False),  # inline mode: no chat
        (Channel.TELEGRAM, TapOrigin(account_id="other_bot", chat_id="555000111"), False),
        (Channel.TELEGRAM, None, False),
        (Channel.WHATSAPP, TapOrigin(account_id="bot"), True),
        (Channel.WHATSAPP, TapOrigin(account_id="106540352249999"), False),
    ],
)
def test_a_tap_counts_only_from_the_account_and_chat_the_survey_went_to(channel, origin, counts):
    # Given a case whose customer wrote to account "bot" (on Telegram, from chat 555000111)
    # When its customer's tap comes from `origin`
    counted = tap_counts(
        _tap(channel, origin),
        channel=channel,
        public=False,
        form="choices",
        author_ids=("555000111",),
        account_id="bot",
        conversation_id="555000111",
    )
    # Then it counts only from there
    assert counted is counts
