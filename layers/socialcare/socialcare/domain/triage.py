"""Rule-based triage: category, sentiment, language and flags from configured lexicons.

Pure: the lexicons come in as a TriageRules object (built from config/triage.yaml); the
author's relation comes in from the customers lookup done by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from socialcare.domain.personal_data import find_personal_data


class Category(StrEnum):
    QUESTION = "question"
    COMPLAINT = "complaint"
    INCIDENT = "incident"
    SALES_LEAD = "sales_lead"
    SUPPLIER = "supplier"
    PARTNERSHIP = "partnership"
    PRAISE = "praise"
    TROLL = "troll"
    SPAM = "spam"


class Relation(StrEnum):
    CUSTOMER = "customer"
    LEAD = "lead"
    SUPPLIER = "supplier"
    PARTNER = "partner"
    UNKNOWN = "unknown"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


def normalise(text: str) -> str:
    """Lower case without accents ("Dónde" -> "donde"); emoji and punctuation stay."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """ "a|b c" matches whole words or phrases, "patrocin*" any word that starts so;
    "re:..." is a regular expression."""
    if pattern.startswith("re:"):
        return re.compile(pattern[3:])
    return re.compile(rf"(?<!\w)(?:{pattern.replace('*', r'\w*')})(?!\w)")


@dataclass(frozen=True)
class WeightedPattern:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class TriageRules:
    categories: dict[Category, tuple[WeightedPattern, ...]]
    order: tuple[Category, ...]
    minimum_score: float
    authority: tuple[re.Pattern[str], ...]
    authority_complaint_weight: float
    topics: tuple[tuple[str, re.Pattern[str]], ...]
    negative: tuple[re.Pattern[str], ...]
    positive: tuple[re.Pattern[str], ...]
    language_words: dict[str, frozenset[str]]


@dataclass(frozen=True)
class TextTriage:
    category: Category
    scores: dict[str, float]
    sentiment: Sentiment
    language: str
    authority_mentioned: bool
    personal_data: tuple[str, ...]  # kinds found, whatever the channel
    personal_data_exposed: bool  # found, and on a public channel
    relation: Relation
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSignals:
    """What a language service (Amazon Comprehend) found; None where it had no answer,
    so the rules decide. Personal data kinds add to what the rules find."""

    language: str | None = None
    sentiment: Sentiment | None = None
    personal_data: tuple[str, ...] = ()


_RELATION_BY_CATEGORY = {
    Category.SALES_LEAD: Relation.LEAD,
    Category.SUPPLIER: Relation.SUPPLIER,
    Category.PARTNERSHIP: Relation.PARTNER,
}


def triage_text(
    text: str,
    *,
    public: bool,
    rules: TriageRules,
    known_customer: bool = False,
    language_hint: str | None = None,
    signals: TextSignals | None = None,
) -> TextTriage:
    plain = normalise(text)
    signals = signals or TextSignals()
    scores = {
        category.value: sum(p.weight for p in patterns if p.pattern.search(plain))
        for category, patterns in rules.categories.items()
    }
    authority = any(p.search(plain) for p in rules.authority)
    if authority:
        scores[Category.COMPLAINT.value] += rules.authority_complaint_weight
    category = _choose(scores, plain, rules)
    found = [m.kind for m in find_personal_data(text)]
    personal = tuple(dict.fromkeys([*found, *signals.personal_data]))
    relation = (
        Relation.CUSTOMER
        if known_customer
        else _RELATION_BY_CATEGORY.get(category, Relation.UNKNOWN)
    )
    return TextTriage(
        category=category,
        scores=scores,
        sentiment=signals.sentiment or _sentiment(plain, category, rules),
        language=(
            signals.language
            if signals.language in rules.language_words
            else _language(plain, language_hint, rules)
        ),
        authority_mentioned=authority,
        topics=tuple(name for name, pattern in rules.topics if pattern.search(plain)),
        personal_data=personal,
        personal_data_exposed=public and bool(personal),
        relation=relation,
    )


def _choose(scores: dict[str, float], plain: str, rules: TriageRules) -> Category:
    best = max(rules.order, key=lambda c: (scores.get(c.value, 0.0), -rules.order.index(c)))
    if scores.get(best.value, 0.0) >= rules.minimum_score:
        return best
    # No signal (a voice note, a photo, a mention we cannot read yet): a neutral question,
    # so a person looks at it without raising its priority.
    return Category.QUESTION


_NEGATIVE_CATEGORIES = {Category.COMPLAINT, Category.INCIDENT, Category.TROLL}


def _sentiment(plain: str, category: Category, rules: TriageRules) -> Sentiment:
    negative = sum(1 for p in rules.negative if p.search(plain))
    positive = sum(1 for p in rules.positive if p.search(plain))
    if category in _NEGATIVE_CATEGORIES:
        negative += 1
    elif category is Category.PRAISE:
        positive += 1
    if negative > positive:
        return Sentiment.NEGATIVE
    if positive > negative:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL


_WORD = re.compile(r"[a-zñ]+")


def _language(plain: str, hint: str | None, rules: TriageRules) -> str:
    words = _WORD.findall(plain)
    counts = {
        language: sum(1 for w in words if w in vocabulary)
        for language, vocabulary in rules.language_words.items()
    }
    if "¿" in plain or "¡" in plain or "ñ" in plain:
        counts["es"] = counts.get("es", 0) + 2
    best = max(counts, key=lambda language: counts[language]) if counts else None
    if best and counts[best] > 0 and list(counts.values()).count(counts[best]) == 1:
        return best
    if hint in rules.language_words:
        return hint
    return next(iter(rules.language_words), "es")
