"""Configuration files in config/ (YAML, as JSON after the layer's build) read into the
domain's own dataclasses by plain code (config/reading.py). `socialcare config check`
(config/check.py) validates the same dataclasses with pydantic before they deploy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialcare.config.model_reading import read_triage_model
from socialcare.config.reading import built
from socialcare.config.yaml_files import CONFIG_DIR, read_yaml
from socialcare.domain.config_rules import STRICT, not_empty, require, within
from socialcare.domain.priorities import PriorityConfig
from socialcare.domain.routing import RoutingConfig
from socialcare.domain.triage import TriageModel, TriageRules, compile_pattern

if TYPE_CHECKING:  # imported where read: the report links read the routing only
    from socialcare.domain.approvals import ApprovalRules
    from socialcare.domain.assessment import FaqEntry
    from socialcare.domain.outbound_config import OutboundConfig
    from socialcare.domain.saved_replies import SavedReplyFields
    from socialcare.domain.surveys import SurveyConfig

_MODEL_FILE = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class ModelSettings:
    __pydantic_config__ = STRICT

    file: str
    confidence_threshold: float
    urgent_threshold: float
    review_category_doubt: float = 1.0
    review_urgent_doubt: float = 1.0

    def __post_init__(self) -> None:
        named = self.file.endswith(".json") and bool(_MODEL_FILE.fullmatch(self.file))
        require(named, "file", "must be a .json file's name")
        within(self.confidence_threshold, "confidence_threshold", 0, 1)
        within(self.urgent_threshold, "urgent_threshold", 0, 1, above_low=True)
        within(self.review_category_doubt, "review_category_doubt", 0, 1)
        within(self.review_urgent_doubt, "review_urgent_doubt", 0, 1)


@dataclass(frozen=True)
class TriageConfig:
    __pydantic_config__ = STRICT

    model: ModelSettings
    authority: list[str]
    urgency: list[str]
    empty_words: str
    language: dict[str, str]
    priority: PriorityConfig
    authority_exceptions: list[str] = field(default_factory=list)
    # A person's safety (urgent too): the replies give the emergency lines, ask no paperwork.
    safety: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        not_empty(self.authority, "authority")
        not_empty(self.urgency, "urgency")
        for name in ("authority", "authority_exceptions", "safety", "urgency"):
            for pattern in getattr(self, name):
                try:
                    compile_pattern(pattern)
                except re.error as error:
                    raise ValueError(f"{name}: bad pattern {pattern[:40]!r}: {error}") from None

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
    return built(TriageConfig, read_yaml(directory / "triage.yaml"))


@cache
def triage_rules(directory: Path = CONFIG_DIR) -> TriageRules:
    return triage_config(directory).rules()


@cache
def triage_model(directory: Path = CONFIG_DIR) -> TriageModel:
    """The learned model, read once per container (about 1 MB of JSON)."""
    settings = triage_config(directory).model
    path = directory / settings.file
    return read_triage_model(
        path,
        settings.confidence_threshold,
        settings.urgent_threshold,
        settings.review_category_doubt,
        settings.review_urgent_doubt,
    )


@dataclass(frozen=True)
class FaqConfigEntry:
    __pydantic_config__ = STRICT

    keywords: str
    es: str
    en: str

    def __post_init__(self) -> None:
        try:
            compile_pattern(self.keywords)
        except Exception as error:
            raise ValueError(f"keywords: bad keywords: {error}") from None


# Every reply domain/replies.py can choose, and the notices config may send by itself.
REPLY_TEMPLATES = {
    "public": ("derived", "safety", "faq", "needs_details", "praise", "personal_data"),
    "private": (
        *("derived", "identify", "safety", "sales", "contact", "faq", "needs_details"),
        *("praise", "personal_data_followup"),
    ),
}
LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class RepliesConfig:
    __pydantic_config__ = STRICT

    faq: dict[str, FaqConfigEntry]
    openings: dict[str, list[str]]
    replies: dict[str, Any]
    # For an upset customer (a complaint, an incident, a negative message): no cheer.
    sober_openings: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._plain_openings("openings", self.openings)
        self._plain_openings("sober_openings", self.sober_openings)
        missing = [
            f"{side}.{kind}.{language}"
            for side, kinds in REPLY_TEMPLATES.items()
            for kind in kinds
            for language in LANGUAGES
            if not ((self.replies.get(side) or {}).get(kind) or {}).get(language)
        ]
        require(not missing, "replies", f"missing replies: {', '.join(missing)}")

    @staticmethod
    def _plain_openings(name: str, value: dict[str, list[str]]) -> None:
        """The greeting adds the name and the punctuation («Hola, Javier:»): an opening
        with its own ("Hola, ¿qué tal?") would break it."""
        for language, openings in value.items():
            for opening in openings:
                problem = f"{language}: {opening!r} must be words only (no punctuation)"
                require(bool(re.fullmatch(r"\w+( \w+)*", opening)), name, problem)

    def faq_entries(self) -> tuple[FaqEntry, ...]:
        from socialcare.domain.assessment import FaqEntry

        return tuple(
            FaqEntry(key, compile_pattern(entry.keywords), {"es": entry.es, "en": entry.en})
            for key, entry in self.faq.items()
        )


@cache
def routing_config(directory: Path = CONFIG_DIR) -> RoutingConfig:
    return built(RoutingConfig, read_yaml(directory / "routing.yaml"))


@cache
def replies_config(directory: Path = CONFIG_DIR) -> RepliesConfig:
    return built(RepliesConfig, read_yaml(directory / "replies.yaml"))


@cache
def outbound_config(directory: Path = CONFIG_DIR) -> OutboundConfig:
    """config/outbound.yaml: what may go out by itself (none of it without the file)."""
    from socialcare.domain.outbound_config import OutboundConfig

    path = directory / "outbound.yaml"
    if not path.exists() and not path.with_name(path.name + ".json").exists():
        return OutboundConfig()
    return built(OutboundConfig, read_yaml(path) or {})


@cache
def survey_config(directory: Path = CONFIG_DIR) -> SurveyConfig:
    """config/surveys.yaml: which closed cases ask for satisfaction (none without it)."""
    from socialcare.domain.surveys import SurveyConfig

    path = directory / "surveys.yaml"
    if not path.exists() and not path.with_name(path.name + ".json").exists():
        return SurveyConfig(enabled=False)
    return built(SurveyConfig, read_yaml(path) or {})


@cache
def approval_rules(directory: Path = CONFIG_DIR) -> ApprovalRules:
    """config/approvals.yaml: which replies wait for an approver (none without the file)."""
    from socialcare.domain.approvals import ApprovalRules

    path = directory / "approvals.yaml"
    if not path.exists() and not path.with_name(path.name + ".json").exists():
        return ApprovalRules()
    return built(ApprovalRules, read_yaml(path) or {})


def saved_reply_seeds(directory: Path = CONFIG_DIR) -> dict[str, SavedReplyFields]:
    """config/saved_replies.yaml: the saved replies a new stack starts with."""
    from socialcare.domain.saved_replies import SavedReplyFields

    entries = (read_yaml(directory / "saved_replies.yaml") or {}).get("saved_replies") or {}
    return {
        str(reply_id): SavedReplyFields(
            title=str(entry["title"]),
            texts={str(k): str(v) for k, v in entry["texts"].items()},
            tags=tuple(str(t) for t in entry.get("tags") or ()),
            crisis_approved=bool(entry.get("crisis_approved")),
        )
        for reply_id, entry in entries.items()
    }
