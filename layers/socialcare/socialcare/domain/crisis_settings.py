"""A reputation crisis as routing.yaml configures it: who is told, how many negative cases
within which window, the answers approved ahead. Apart from crisis.py so that routing's
config does not reach the cases a crisis lists."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The topic of a case that matches none of the configured ones (named in topic_names).
OTHER_TOPIC = "other"


class Crisis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    contacts: list[str] = Field(min_length=1)
    negative_cases: int = Field(gt=0)
    window_minutes: int = Field(gt=0)
    # Public answers approved ahead, per topic (a key of topics:, or other) and language:
    # the alert offers them so nobody writes one under pressure. Checked in routing.py.
    answers: dict[str, dict[str, str]] = {}
    language: Literal["es", "en"] | None = None  # the contacts'; None: the brand's default
