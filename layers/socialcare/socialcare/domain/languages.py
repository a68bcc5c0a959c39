"""Which language a reader reads: the customer's own (what triage detected in what they
wrote, else what their platform said), or the brand's default only when neither is one
the brand writes in. The choice is returned with whether it fell back, so it is recorded."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from socialcare.domain.cases import Case


@dataclass(frozen=True)
class ReaderLanguage:
    language: str
    fallback: bool  # the customer's language was unknown: the brand's default was used


def customer_language(case: Case, written: Collection[str], default: str) -> ReaderLanguage:
    """`written`: the languages the brand has the words in (survey texts, replies)."""
    detected = case.triage.language if case.triage else None
    for candidate in (detected, case.language):
        if candidate and candidate in written:
            return ReaderLanguage(candidate, fallback=False)
    return ReaderLanguage(default, fallback=True)
