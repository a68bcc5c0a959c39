"""Where a survey's tapped answer comes back, channel by channel, and which tap counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.messages import Channel
from socialcare.domain.surveys import SurveyAnswer, SurveyForm, survey_form, tap_channel

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
