"""Customer satisfaction (CSAT), as configured (config/surveys.yaml): which closed cases
ask their customer, and in what words. How the question travels on each channel and how
an answer coming back is recognised: domain/survey_answers.py (the webhook's, no pydantic).
No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from socialcare.domain.config_rules import STRICT, longest, not_empty, require
from socialcare.domain.messages import Channel
from socialcare.domain.survey_answers import SCORES, SurveyChoice, survey_payload


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


def survey_choices(case_id: str, texts: SurveyTexts) -> tuple[SurveyChoice, ...]:
    return tuple(
        SurveyChoice(survey_payload(case_id, score), label)
        for score, label in zip(SCORES, texts.choices, strict=True)
    )
