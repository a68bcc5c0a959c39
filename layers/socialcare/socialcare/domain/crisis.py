"""A reputation crisis: more negative cases on one complaint topic than the configuration
allows within a sliding window. What the detector counts a case for, the settings, and
the facts the crisis contacts are told (the wording is presentation's)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from socialcare.domain.cases import Case

# The topic of a case that matches none of the configured ones (named in topic_names).
OTHER_TOPIC = "other"
# An alert lists this many of the window's cases, the newest first (it counts them all).
MAX_ALERT_CASES = 20


class Crisis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    contacts: list[str] = Field(min_length=1)
    negative_cases: int = Field(gt=0)
    window_minutes: int = Field(gt=0)
    # Public answers approved ahead, per topic (a key of topics:, or other) and language:
    # the alert offers them so nobody writes one under pressure. Checked in routing.py.
    answers: dict[str, dict[str, str]] = {}
    language: Literal["es", "en"] | None = None  # the contacts'; None: the brand's default


def crisis_topic(topics: tuple[str, ...]) -> str:
    """The one topic a negative case counts for: the first configured topic its text
    matches (topics: are listed in order of precedence), else other. One topic per case,
    so one wave of complaints raises one alert, not one per word it happens to contain."""
    return topics[0] if topics else OTHER_TOPIC


@dataclass(frozen=True)
class CrisisFacts:
    """What the crisis contacts are told, gathered by the triage that crossed the line."""

    topic: str
    count: int  # negative cases on the topic in this window
    previous_count: int  # in the window just before it
    minutes: int
    cases: tuple[Case, ...]  # up to MAX_ALERT_CASES of them, the newest first
    answers: Mapping[str, str]  # language -> the approved answer (none configured: empty)
