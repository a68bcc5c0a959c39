"""Satisfaction surveys (CSAT) on the channels: the form a survey takes on each, what a
choice carries back, and a customer's answer as the webhook or the survey page builds it.
Apart from surveys.py (the survey's configuration), so a delivery carrying a tapped choice
needs neither that configuration nor pydantic. No I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from socialcare.domain import values
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.messages import Channel, Platform

SCORES = (1, 2, 3, 4, 5)
LOW_SCORE_MAX = 2  # 1-2: the social team is alerted and follows up
SATISFIED_MIN = 4  # 4-5 count as satisfied (satisfaction_pct)
PAGE_ANSWER = "page"  # the author of an answer given on the survey page (its key proves it)


def is_low(score: int) -> bool:
    return score <= LOW_SCORE_MAX


MAX_COMMENT = 1000
MAX_ANSWER_KEY = 300

# What a choice carries back (Telegram's callback_data, Meta's quick reply payload, a
# WhatsApp list row id): at most 64 bytes, so only the case id and the score.
_PAYLOAD = re.compile(rf"csat:({CASE_ID.pattern}):([1-5])")


def survey_payload(case_id: str, score: int) -> str:
    return f"csat:{case_id}:{score}"


@dataclass(frozen=True)
class SurveyChoice:
    """One choice as a message carries it: what comes back when tapped, what it says."""

    payload: str
    label: str


def parse_survey_payload(value: object) -> tuple[str, int] | None:
    """(case id, score) when `value` is one of our survey choices; None otherwise (a quick
    reply of someone else's, or anything forged that does not parse strictly)."""
    if type(value) is not str or len(value) > 64:
        return None
    match = _PAYLOAD.fullmatch(value)
    return (match.group(1), int(match.group(2))) if match else None


@dataclass(frozen=True, slots=True, kw_only=True)
class TapOrigin:
    """Where a tapped choice came from, as the platform says: the brand's account it
    reached (Telegram bot, Facebook Page, Instagram account, WhatsApp phone-number id) and,
    on Telegram, the chat of the message whose button was tapped (None when the button was
    on a message sent via the bot in inline mode: `inline_message_id`, no `message`,
    https://core.telegram.org/bots/api#callbackquery). Meta's quick and list replies come
    from the customer's own conversation with the account: the account and the tapper's
    id say which (the Messenger webhook's `recipient`, WhatsApp's
    `metadata.phone_number_id`)."""

    account_id: str
    chat_id: str | None = None

    def __post_init__(self) -> None:
        values.text("origin.account_id", self.account_id)
        values.text("origin.chat_id", self.chat_id, optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyAnswer:
    """A customer's answer, from a webhook (a tapped choice) or the survey page."""

    case_id: str
    score: int
    channel: Channel
    # Who answered: the case's customer (a choice tapped), or "page" (the survey link);
    # and the other id the platform gave for them (WhatsApp: phone and business-scoped id).
    author_id: str
    author_aliases: tuple[str, ...] = ()
    # Where a tap came from; None for the page (its key proves the link).
    origin: TapOrigin | None = None
    answered_at: datetime
    # The answer's own identity (its platform id): a redelivery is the same answer.
    answer_key: str
    comment: str | None = None

    def __post_init__(self) -> None:
        values.text("case_id", self.case_id, pattern=CASE_ID)
        values.whole("score", self.score, low=1, high=5)
        values.member("channel", self.channel, Channel)
        values.text("author_id", self.author_id)
        values.texts("author_aliases", self.author_aliases)
        values.instance("origin", self.origin, TapOrigin, optional=True)
        values.moment("answered_at", self.answered_at)
        values.text("answer_key", self.answer_key, max_length=MAX_ANSWER_KEY)
        values.text("comment", self.comment, optional=True, max_length=MAX_COMMENT)

    @property
    def platform(self) -> Platform:
        return self.channel.platform

    @property
    def author_ids(self) -> tuple[str, ...]:
        return (self.author_id, *self.author_aliases)


class SurveyRecorded(StrEnum):
    RECORDED = "recorded"  # the case's answer (the first one stands)
    LATER_NOTED = "later_noted"  # the case had its answer: this one is noted on the timeline
    # A later answer was noted already: acknowledged, not kept (one per case, as a spent
    # action link notes one late answer), so taps and posts cannot grow the case.
    LATER_DROPPED = "later_dropped"
    NOT_ASKED = "not_asked"  # no survey was sent on that case to that person: ignored


class SurveyForm(StrEnum):
    CHOICES = "choices"  # buttons in the conversation
    LINK = "link"  # a link to the survey page


# Channels whose private messages carry buttons the customer taps: Telegram's inline
# keyboard, Messenger's and Instagram's quick replies, WhatsApp's interactive list. X's
# API v2 sends DMs without quick replies: X gets the link.
_CHOICE_CHANNELS = frozenset(
    {Channel.TELEGRAM, Channel.MESSENGER, Channel.INSTAGRAM_DM, Channel.WHATSAPP}
)


def tap_channel(channel: Channel, public: bool) -> Channel | None:
    """Where a tapped answer to a case's survey comes back: the conversation its choices
    were sent in, which is the case's own channel (a Telegram callback_query; a Messenger
    or Instagram quick reply, each under its own object; a WhatsApp list or button
    reply). None when the survey is a link: a public commenter's one private reply (even
    when it lands in Messenger or an Instagram DM) and X DMs carry no choices, so only
    the page answers them and no tap can."""
    return channel if channel in _CHOICE_CHANNELS and not public else None


def survey_form(channel: Channel, public: bool) -> SurveyForm:
    """A public commenter is asked through the one private reply, with the link."""
    return SurveyForm.CHOICES if tap_channel(channel, public) else SurveyForm.LINK


# Where one person taps in many chats with the same account (Telegram: groups, private
# chats, inline messages), so the chat says which conversation a tap came from. A Messenger,
# Instagram or WhatsApp conversation is the customer's own with the account.
_CHAT_CHANNELS = frozenset({Channel.TELEGRAM})


def survey_chat(channel: Channel, conversation_id: str | None) -> str | None:
    """The chat a tap must come from to answer a case: on Telegram, the private chat the
    survey went to; elsewhere none beyond the account and the customer's id."""
    return conversation_id if channel in _CHAT_CHANNELS else None


def survey_tap_origin(answer: SurveyAnswer) -> TapOrigin | None:
    """Where a tap came from, when a survey's choices could have gone out there (a channel
    that has them, a brand account, on Telegram a chat); None when no case can take it."""
    origin = answer.origin
    if origin is None or not origin.account_id:
        return None
    if tap_channel(answer.channel, public=False) is not answer.channel:
        return None
    if answer.channel in _CHAT_CHANNELS and origin.chat_id is None:
        return None  # a button on no chat: a message sent via the bot in inline mode
    return origin


def tap_counts(
    answer: SurveyAnswer,
    *,
    channel: Channel,
    public: bool,
    form: str | None,
    author_ids: Iterable[str],
    account_id: str | None,
    conversation_id: str | None,
) -> bool:
    """A tapped choice is a case's answer only when its survey went out as choices, the tap
    came back where they were sent (same platform, same channel, the same brand account
    and, on Telegram, the same chat) and from its customer: numeric ids repeat across
    platforms (Telegram user 777000111 is not X user 777000111), and one customer writes
    to several of the brand's accounts and chats. `account_id` and `conversation_id` are
    the case's (where its customer wrote, where the survey went)."""
    origin = survey_tap_origin(answer)
    return (
        origin is not None
        and form == SurveyForm.CHOICES.value
        and tap_channel(channel, public) is answer.channel
        and origin.account_id == account_id
        and origin.chat_id == survey_chat(channel, conversation_id)
        and not set(answer.author_ids).isdisjoint(author_ids)
    )
