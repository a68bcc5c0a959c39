"""Customer satisfaction (CSAT): which closed cases ask their customer, how the one
question travels on each channel, and how an answer coming back is recognised. No I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# Survey answers (below) are still pydantic: the platforms' parsers catch its errors.
from pydantic import BaseModel, ConfigDict, Field

from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.config_rules import STRICT, longest, not_empty, require
from socialcare.domain.messages import Channel, Platform

SCORES = (1, 2, 3, 4, 5)
LOW_SCORE_MAX = 2  # 1-2: the social team is alerted and follows up
SATISFIED_MIN = 4  # 4-5 count as satisfied (satisfaction_pct)
MAX_COMMENT = 1000
PAGE_ANSWER = "page"  # the author of an answer given on the survey page (its key proves it)

# What a choice carries back (Telegram's callback_data, Meta's quick reply payload, a
# WhatsApp list row id): at most 64 bytes, so only the case id and the score.
_PAYLOAD = re.compile(rf"csat:({CASE_ID.pattern}):([1-5])")


def survey_payload(case_id: str, score: int) -> str:
    return f"csat:{case_id}:{score}"


def parse_survey_payload(value: object) -> tuple[str, int] | None:
    """(case id, score) when `value` is one of our survey choices; None otherwise (a quick
    reply of someone else's, or anything forged that does not parse strictly)."""
    if type(value) is not str or len(value) > 64:
        return None
    match = _PAYLOAD.fullmatch(value)
    return (match.group(1), int(match.group(2))) if match else None


def is_low(score: int) -> bool:
    return score <= LOW_SCORE_MAX


@dataclass(frozen=True)
class SurveyTexts:
    """What the customer reads, in one language (config/surveys.yaml)."""

    __pydantic_config__ = STRICT

    question: str
    # Where the channel has no buttons (or a public commenter's one private reply).
    link_question: str
    # Five labels, worst to best. Meta's quick replies and WhatsApp's list rows take 20
    # and 24 characters.
    choices: list[str]
    list_button: str  # WhatsApp's list opener
    # Shown to the customer when a tap is recorded, where the platform shows it at once
    # (Telegram's answer to the tap; 200 characters at most).
    thanks: str

    def __post_init__(self) -> None:
        for name, most in (("question", 600), ("link_question", 600), ("list_button", 20)):
            not_empty(getattr(self, name), name)
            longest(getattr(self, name), name, most)
        not_empty(self.thanks, "thanks")
        longest(self.thanks, "thanks", 200)
        require(len(self.choices) == 5, "choices", "five are needed, worst to best")
        for label in self.choices:
            require(0 < len(label) <= 20, "choices", f"{label!r} must have 1-20 characters")
        require("{link}" in self.link_question, "link_question", "must contain {link}")


def _closing_statuses() -> list[str]:
    return ["resolved", "contacted"]


@dataclass(frozen=True)
class SurveyConfig:
    """config/surveys.yaml: which closed cases ask for the customer's satisfaction."""

    __pydantic_config__ = STRICT

    enabled: bool = True
    when_closed_as: list[str] = field(default_factory=_closing_statuses)
    categories: list[str] | None = None  # None: every category
    channels: list[Channel] | None = None  # None: every channel
    texts: dict[str, SurveyTexts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        allowed = set(_closing_statuses())
        wrong = sorted(set(self.when_closed_as) - allowed)
        require(not wrong, "when_closed_as", f"{wrong} (allowed: {sorted(allowed)})")

    def asks(self, status: str, category: str | None, channel: Channel) -> bool:
        if not self.enabled or status not in self.when_closed_as or not self.texts:
            return False
        if self.categories is not None and category not in self.categories:
            return False
        return self.channels is None or channel in self.channels

    def texts_for(self, language: str | None, default: str | None = None) -> SurveyTexts:
        """The reader's language, else `default`, else the first configured."""
        return (
            self.texts.get(language or "")
            or self.texts.get(default or "")
            or next(iter(self.texts.values()))
        )


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


@dataclass(frozen=True)
class SurveyChoice:
    payload: str
    label: str


def survey_choices(case_id: str, texts: SurveyTexts) -> tuple[SurveyChoice, ...]:
    return tuple(
        SurveyChoice(survey_payload(case_id, score), label)
        for score, label in zip(SCORES, texts.choices, strict=True)
    )


class TapOrigin(BaseModel):
    """Where a tapped choice came from, as the platform says: the brand's account it
    reached (Telegram bot, Facebook Page, Instagram account, WhatsApp phone-number id) and,
    on Telegram, the chat of the message whose button was tapped (None when the button was
    on a message sent via the bot in inline mode: `inline_message_id`, no `message`,
    https://core.telegram.org/bots/api#callbackquery). Meta's quick and list replies come
    from the customer's own conversation with the account: the account and the tapper's
    id say which (the Messenger webhook's `recipient`, WhatsApp's
    `metadata.phone_number_id`)."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    chat_id: str | None = None


class SurveyAnswer(BaseModel):
    """A customer's answer, from a webhook (a tapped choice) or the survey page."""

    model_config = ConfigDict(frozen=True)

    case_id: str = Field(pattern=CASE_ID.pattern)
    score: int = Field(ge=1, le=5)
    channel: Channel
    # Who answered: the case's customer (a choice tapped), or "page" (the survey link);
    # and the other id the platform gave for them (WhatsApp: phone and business-scoped id).
    author_id: str
    author_aliases: tuple[str, ...] = ()
    # Where a tap came from; None for the page (its key proves the link).
    origin: TapOrigin | None = None
    answered_at: datetime
    # The answer's own identity (its platform id): a redelivery is the same answer.
    answer_key: str = Field(max_length=300)
    comment: str | None = Field(default=None, max_length=MAX_COMMENT)

    @property
    def platform(self) -> Platform:
        return self.channel.platform

    @property
    def author_ids(self) -> tuple[str, ...]:
        return (self.author_id, *self.author_aliases)


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


class SurveyRecorded(StrEnum):
    RECORDED = "recorded"  # the case's answer (the first one stands)
    LATER_NOTED = "later_noted"  # the case had its answer: this one is noted on the timeline
    # A later answer was noted already: acknowledged, not kept (one per case, as a spent
    # action link notes one late answer), so taps and posts cannot grow the case.
    LATER_DROPPED = "later_dropped"
    NOT_ASKED = "not_asked"  # no survey was sent on that case to that person: ignored
