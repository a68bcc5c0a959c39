"""A reputation crisis: more negative cases on one complaint topic than the configuration
allows within a sliding window. What the detector counts a case for and the facts the
crisis contacts are told (the wording is presentation's); the settings are in
crisis_settings.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from socialcare.domain.cases import Case
from socialcare.domain.crisis_settings import OTHER_TOPIC

# An alert lists this many of the window's cases, the newest first (it counts them all).
MAX_ALERT_CASES = 20


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


@dataclass(frozen=True)
class CrisisDigestClaim:
    """This triage sends the topic's crisis digest; `previous_at`: when the last digest or
    the alert went (None: neither is known)."""

    topic: str
    previous_at: datetime | None
