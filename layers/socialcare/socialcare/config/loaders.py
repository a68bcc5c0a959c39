"""Configuration files in config/ (YAML), validated by pydantic and turned into the
domain's own objects. `socialcare config check` (config_check.py) runs the same models."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from socialcare.config.files import CONFIG_DIR, read_yaml
from socialcare.config.model_file import ModelFile
from socialcare.domain.assessment import FaqEntry
from socialcare.domain.outbound_config import OutboundConfig
from socialcare.domain.priorities import PriorityConfig
from socialcare.domain.routing import RoutingConfig
from socialcare.domain.surveys import SurveyConfig
from socialcare.domain.triage import TriageModel, TriageRules, compile_pattern


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSettings(_Strict):
    file: str = Field(pattern=r"^[\w.-]+\.json$")
    confidence_threshold: float = Field(ge=0, le=1)
    urgent_threshold: float = Field(gt=0, le=1)


class TriageConfig(_Strict):
    model: ModelSettings
    authority: list[str] = Field(min_length=1)
    authority_exceptions: list[str] = []
    # A person's safety (urgent too): the replies give the emergency lines, ask no paperwork.
    safety: list[str] = []
    urgency: list[str] = Field(min_length=1)
    empty_words: str
    language: dict[str, str]
    priority: PriorityConfig

    @field_validator("authority", "authority_exceptions", "safety", "urgency")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                compile_pattern(pattern)
            except re.error as error:
                raise ValueError(f"bad pattern {pattern[:40]!r}: {error}") from None
        return value

    def rules(self) -> TriageRules:
        return TriageRules(
            authority=tuple(compile_pattern(p) for p in self.authority),
            authority_exceptions=tuple(compile_pattern(p) for p in self.authority_exceptions),
            urgency=tuple(compile_pattern(p) for p in self.urgency),
            safety=tuple(compile_pattern(p) for p in self.safety),
            empty_words=frozenset(self.empty_words.split("|")),
            language_words={
                language: frozenset(words.split("|")) for language, words in self.language.items()
            },
        )


@cache
def triage_config(directory: Path = CONFIG_DIR) -> TriageConfig:
    return TriageConfig.model_validate(read_yaml(directory / "triage.yaml"))


@cache
def triage_rules(directory: Path = CONFIG_DIR) -> TriageRules:
    return triage_config(directory).rules()


@cache
def triage_model(directory: Path = CONFIG_DIR) -> TriageModel:
    """The learned model, read once per container (about 1 MB of JSON)."""
    settings = triage_config(directory).model
    document = ModelFile.model_validate_json((directory / settings.file).read_bytes())
    return document.triage_model(settings.confidence_threshold, settings.urgent_threshold)


class FaqConfigEntry(_Strict):
    keywords: str
    es: str
    en: str


# Every reply domain/replies.py can choose, and the notices config may send by itself.
REPLY_TEMPLATES = {
    "public": ("derived", "safety", "faq", "needs_details", "praise", "personal_data"),
    "private": (
        *("derived", "identify", "safety", "sales", "contact", "faq", "needs_details"),
        *("praise", "personal_data_followup"),
    ),
}
LANGUAGES = ("es", "en")


class RepliesConfig(_Strict):
    faq: dict[str, FaqConfigEntry]
    openings: dict[str, list[str]]
    # For an upset customer (a complaint, an incident, a negative message): no cheer.
    sober_openings: dict[str, list[str]] = {}
    replies: dict[str, Any]

    @field_validator("openings", "sober_openings")
    @classmethod
    def _plain_openings(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        """The greeting adds the name and the punctuation («Hola, Javier:»): an opening
        with its own ("Hola, ¿qué tal?") would break it."""
        for language, openings in value.items():
            for opening in openings:
                if not re.fullmatch(r"\w+( \w+)*", opening):
                    raise ValueError(f"{language}: {opening!r} must be words only (no punctuation)")
        return value

    @field_validator("replies")
    @classmethod
    def _every_reply_in_every_language(cls, value: dict[str, Any]) -> dict[str, Any]:
        missing = [
            f"{side}.{kind}.{language}"
            for side, kinds in REPLY_TEMPLATES.items()
            for kind in kinds
            for language in LANGUAGES
            if not ((value.get(side) or {}).get(kind) or {}).get(language)
        ]
        if missing:
            raise ValueError(f"missing replies: {', '.join(missing)}")
        return value

    def faq_entries(self) -> tuple[FaqEntry, ...]:
        return tuple(
            FaqEntry(key, compile_pattern(entry.keywords), {"es": entry.es, "en": entry.en})
            for key, entry in self.faq.items()
        )

    @field_validator("faq")
    @classmethod
    def _keywords_compile(cls, value: dict[str, FaqConfigEntry]) -> dict[str, FaqConfigEntry]:
        for key, entry in value.items():
            try:
                compile_pattern(entry.keywords)
            except Exception as error:
                raise ValueError(f"faq {key}: bad keywords: {error}") from None
        return value


@cache
def routing_config(directory: Path = CONFIG_DIR) -> RoutingConfig:
    return RoutingConfig.model_validate(read_yaml(directory / "routing.yaml"))


@cache
def replies_config(directory: Path = CONFIG_DIR) -> RepliesConfig:
    return RepliesConfig.model_validate(read_yaml(directory / "replies.yaml"))


@cache
def outbound_config(directory: Path = CONFIG_DIR) -> OutboundConfig:
    """config/outbound.yaml: what may go out by itself (none of it without the file)."""
    path = directory / "outbound.yaml"
    if not path.exists() and not path.with_name(path.name + ".json").exists():
        return OutboundConfig()
    return OutboundConfig.model_validate(read_yaml(path) or {})


@cache
def survey_config(directory: Path = CONFIG_DIR) -> SurveyConfig:
    """config/surveys.yaml: which closed cases ask for satisfaction (none without it)."""
    path = directory / "surveys.yaml"
    if not path.exists() and not path.with_name(path.name + ".json").exists():
        return SurveyConfig(enabled=False)
    return SurveyConfig.model_validate(read_yaml(path) or {})
