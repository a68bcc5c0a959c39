"""A reputation crisis as routing.yaml configures it: who is told, how many negative cases
within which window, the answers approved ahead. Apart from crisis.py so that routing's
config does not reach the cases a crisis lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from socialcare.domain.config_rules import STRICT, not_empty, require

# The topic of a case that matches none of the configured ones (named in topic_names).
OTHER_TOPIC = "other"


@dataclass(frozen=True)
class Crisis:
    __pydantic_config__ = STRICT

    contacts: list[str]
    negative_cases: int
    window_minutes: int
    # Public answers approved ahead, per topic (a key of topics:, or other) and language:
    # the alert offers them so nobody writes one under pressure. Checked in routing.py.
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    language: Literal["es", "en"] | None = None  # the contacts'; None: the brand's default

    def __post_init__(self) -> None:
        not_empty(self.contacts, "contacts")
        require(self.negative_cases > 0, "negative_cases", "must be more than 0")
        require(self.window_minutes > 0, "window_minutes", "must be more than 0")
