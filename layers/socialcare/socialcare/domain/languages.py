"""Which language a reader reads: the customer's own (what triage detected in what they
wrote, else what their platform said), or the brand's default only when neither is one
the brand writes in. The choice is returned with whether it fell back, so it is recorded."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from socialcare.domain.cases import Case


@dataclass(frozen=True)
class ReaderLanguage:
    language: str
    fallback: bool  # the customer's language was unknown: the brand's default was used


def customer_language(case: Case, written: Collection[str], default: str) -> ReaderLanguage:
    """`written`: the languages the brand has the words in (survey texts, replies)."""
    return reader_language(customer_languages(case), written, default)


def customer_languages(case: Case) -> tuple[str, ...]:
    """What the customer may read, the surest first: what triage detected in what they
    wrote, then what their platform said."""
    detected = case.triage.language if case.triage else None
    return tuple(candidate for candidate in (detected, case.language) if candidate)


def reader_language(
    candidates: Sequence[str], written: Collection[str], default: str
) -> ReaderLanguage:
    """The first of `candidates` the brand has the words in, else `default`."""
    for candidate in candidates:
        if candidate in written:
            return ReaderLanguage(candidate, fallback=False)
    return ReaderLanguage(default, fallback=True)
