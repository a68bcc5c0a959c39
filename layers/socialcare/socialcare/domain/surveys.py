"""Customer satisfaction (CSAT), as configured (config/surveys.yaml): which closed cases
ask their customer, and in what words. How the question travels on each channel and how
an answer coming back is recognised: domain/survey_answers.py (the webhook's, no pydantic).
No I/O."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from socialcare.domain.messages import Channel
from socialcare.domain.survey_answers import SCORES, SurveyChoice, survey_payload


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyTexts(_Strict):
    """What the customer reads, in one language (config/surveys.yaml)."""

    question: str = Field(min_length=1, max_length=600)
    # Where the channel has no buttons (or a public commenter's one private reply).
    link_question: str = Field(min_length=1, max_length=600)
    # Five labels, worst to best. Meta's quick replies and WhatsApp's list rows take 20
    # and 24 characters.
    choices: list[str] = Field(min_length=5, max_length=5)
    list_button: str = Field(min_length=1, max_length=20)  # WhatsApp's list opener
    # Shown to the customer when a tap is recorded, where the platform shows it at once
    # (Telegram's answer to the tap; 200 characters at most).
    thanks: str = Field(min_length=1, max_length=200)

    @field_validator("choices")
    @classmethod
    def _short(cls, value: list[str]) -> list[str]:
        for label in value:
            if not 0 < len(label) <= 20:
                raise ValueError(f"choice {label!r} must have 1-20 characters")
        return value

    @field_validator("link_question")
    @classmethod
    def _has_link(cls, value: str) -> str:
        if "{link}" not in value:
            raise ValueError("link_question must contain {link}")
        return value


class SurveyConfig(_Strict):
    """config/surveys.yaml: which closed cases ask for the customer's satisfaction."""

    enabled: bool = True
    when_closed_as: list[str] = ["resolved", "contacted"]
    categories: list[str] | None = None  # None: every category
    channels: list[Channel] | None = None  # None: every channel
    texts: dict[str, SurveyTexts] = {}

    @field_validator("when_closed_as")
    @classmethod
    def _closing_statuses(cls, value: list[str]) -> list[str]:
        allowed = {"resolved", "contacted"}
        wrong = sorted(set(value) - allowed)
        if wrong:
            raise ValueError(f"when_closed_as: {wrong} (allowed: {sorted(allowed)})")
        return value

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
