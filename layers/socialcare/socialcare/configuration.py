"""Configuration files in config/ (YAML), validated by pydantic and turned into the
domain's own objects. `socialcare config check` (config_check.py) runs the same models."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from socialcare.config_files import CONFIG_DIR, read_yaml
from socialcare.domain.assessment import FaqEntry
from socialcare.domain.routing import PriorityConfig, RoutingConfig
from socialcare.domain.triage import Category, TriageRules, WeightedPattern, compile_pattern


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TriageConfig(_Strict):
    categories: dict[Category, dict[str, float]]
    order: list[Category]
    minimum_score: float = Field(ge=0)
    authority: list[str]
    # An authority mention is a threat made out of dissatisfaction: it adds to complaint.
    authority_complaint_weight: float = Field(0.0, ge=0)
    topics: dict[str, str] = {}
    sentiment: dict[str, list[str]]
    language: dict[str, str]
    priority: PriorityConfig

    @field_validator("categories")
    @classmethod
    def _patterns_compile(cls, value: dict[Category, dict[str, float]]):
        for category, patterns in value.items():
            for pattern in patterns:
                try:
                    compile_pattern(pattern)
                except Exception as error:
                    raise ValueError(f"{category}: bad pattern {pattern!r}: {error}") from None
        return value

    @field_validator("order")
    @classmethod
    def _order_is_complete(cls, value: list[Category]) -> list[Category]:
        if set(value) != set(Category):
            raise ValueError("order must list every category once")
        return value

    def rules(self) -> TriageRules:
        return TriageRules(
            categories={
                category: tuple(
                    WeightedPattern(compile_pattern(p), w) for p, w in patterns.items() if w
                )
                for category, patterns in self.categories.items()
            },
            order=tuple(self.order),
            minimum_score=self.minimum_score,
            authority=tuple(compile_pattern(p) for p in self.authority),
            authority_complaint_weight=self.authority_complaint_weight,
            topics=tuple((name, compile_pattern(p)) for name, p in self.topics.items()),
            negative=tuple(compile_pattern(p) for p in self.sentiment.get("negative", [])),
            positive=tuple(compile_pattern(p) for p in self.sentiment.get("positive", [])),
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


class FaqConfigEntry(_Strict):
    keywords: str
    es: str
    en: str


class RepliesConfig(_Strict):
    faq: dict[str, FaqConfigEntry]
    openings: dict[str, list[str]]
    replies: dict[str, Any]

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
