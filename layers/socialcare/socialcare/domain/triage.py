"""Triage of one message's text: a learned model for category and sentiment, rules for
what rules do best (authority mentions, urgency cues, empty messages, personal data with
check digits, language).

Pure: the model and the lexicons come in as TriageModel and TriageRules (built from
config/triage.yaml and config/triage_model.json); the author's relation comes in from
the customers lookup done by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from socialcare.domain.calibration import IDENTITY, Calibration
from socialcare.domain.personal_data import find_personal_data
from socialcare.domain.speech_acts import SARCASM_ACT
from socialcare.domain.text_model import LinearModel, features, normalise, replace_links


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


# Triage reads this much of a message: 12 times the longest of the 4,893 labelled
# messages (339 characters), the whole of a WhatsApp or Telegram message, and about what
# Comprehend is given (5,000 bytes). What comes later does not change its category,
# flags or language; the text itself is kept, stored and shown whole, and the emails
# mask personal data in all of it. The cost of one message is bounded, whatever its length.
TRIAGE_PREFIX = 4_096


# Triage compares words without accents or compatibility forms (NFKD), which multiplies
# some characters: a Hangul syllable by up to 3 (its letters), U+FDFA by 18. Past 3 the
# sample is cut in its decomposed form, so no text costs triage more than 3 times its
# length in characters.
_MAX_GROWTH = 3


def triage_sample(text: str) -> str:
    """The part of a message that triage reads: its first TRIAGE_PREFIX characters, cut
    again once decomposed when decomposing would multiply them more than _MAX_GROWTH."""
    sample = text[:TRIAGE_PREFIX]
    decomposed = unicodedata.normalize("NFKD", sample)
    if len(decomposed) > _MAX_GROWTH * len(sample):
        return decomposed[: _MAX_GROWTH * len(sample)]
    return sample


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """ "a|b c" matches whole words or phrases, "patrocin*" any word that starts so;
    "re:..." is a regular expression. A "*" ends a word: it takes the rest of the word
    at once (possessive), so a lexicon cannot backtrack."""
    if pattern.startswith("re:"):
        return re.compile(pattern[3:])
    if re.search(r"\*\w", pattern):
        raise re.error("'*' must end a word")
    return re.compile(rf"(?<!\w)(?:{pattern.replace('*', r'\w*+')})(?!\w)")


@dataclass(frozen=True)
class TriageModel:
    """The learned part: category, sentiment and urgency from the words of a message."""

    category: LinearModel
    sentiment: LinearModel
    urgent: LinearModel
    # Below this confidence a message the social team would close alone goes to a person.
    confidence_threshold: float
    # The urgency model's probability from which a message is urgent without a cue.
    urgent_threshold: float
    # The category's and the urgency model's scores as probabilities (fitted by
    # cross-validation when the model was trained).
    category_calibration: Calibration = IDENTITY
    urgent_calibration: Calibration = IDENTITY
    # needs_review: a person looks when the probability that triage is wrong about the
    # category, or about urgency no cue decided, is above these (1.0: never).
    review_category_doubt: float = 1.0
    review_urgent_doubt: float = 1.0


@dataclass(frozen=True)
class TriageRules:
    """The deterministic part: lexicons a person can read and audit."""

    authority: tuple[re.Pattern[str], ...]
    # Innocent uses of authority words, removed before looking for a mention: a lawyer
    # asking for a quote, a theft reported to the police, a notary asking for a paper.
    authority_exceptions: tuple[re.Pattern[str], ...]
    urgency: tuple[re.Pattern[str], ...]
    # Words that carry no request on their own ("hola", "una consulta").
    empty_words: frozenset[str]
    language_words: dict[str, frozenset[str]]
    # A person's safety at risk (an accident, an injury, danger): urgent, and more.
    safety: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class TextTriage:
    category: Category
    confidence: float  # the model's probability for the category
    sentiment: Sentiment
    language: str
    authority_mentioned: bool
    urgent: bool
    empty: bool  # nothing to act on yet: a greeting, a lone emoji
    personal_data: tuple[str, ...]  # kinds found, whatever the channel
    personal_data_exposed: bool  # found, and on a public channel
    relation: Relation
    safety: bool = False  # a person at risk: an accident, an injury, danger (urgent too)
    # Triage is unsure of something that changes what happens to the case (the category
    # that decides derived or closed and the department, urgency, an authority mention):
    # a person looks before anything is closed alone. review_reasons says which, in order:
    # "category", "urgent", "authority".
    needs_review: bool = False
    review_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSignals:
    """What a language service (Amazon Comprehend) found; None where it had no answer,
    so the model decides. Personal data kinds add to what the rules find."""

    language: str | None = None
    sentiment: Sentiment | None = None
    personal_data: tuple[str, ...] = ()


_ADVERTS = {Category.SPAM, Category.SUPPLIER, Category.PARTNERSHIP}
_GRIEVANCES = {Category.COMPLAINT, Category.INCIDENT}
_RELATION_BY_CATEGORY = {
    Category.SALES_LEAD: Relation.LEAD,
    Category.SUPPLIER: Relation.SUPPLIER,
    Category.PARTNERSHIP: Relation.PARTNER,
}


def triage_text(
    text: str,
    *,
    public: bool,
    model: TriageModel,
    rules: TriageRules,
    known_customer: bool = False,
    language_hint: str | None = None,
    signals: TextSignals | None = None,
) -> TextTriage:
    text = triage_sample(text)
    plain = normalise(text)
    signals = signals or TextSignals()
    found = features(text)
    category = model.category.predict(found)
    sentiment = signals.sentiment or Sentiment(model.sentiment.predict(found).label)
    chosen = _unless_sarcasm(Category(category.label), sentiment, found)
    confidence = model.category_calibration(category.confidence)
    # An advert or a pitch is never urgent, and never threatens the brand, whatever its
    # words ("injured in an accident? our lawyers..."); a threat to go to a consumer body
    # or a court is made out of dissatisfaction: a complaint.
    advert = chosen in _ADVERTS
    safety = not advert and any(p.search(plain) for p in rules.safety)
    cued = safety or any(p.search(plain) for p in rules.urgency)
    urgent_score = model.urgent.predict(found).probabilities.get("true", 0.0)
    urgent = not advert and (cued or urgent_score >= model.urgent_threshold)
    authority = not advert and authority_mentioned(plain, rules)
    # A mention makes the case a complaint for legal; when the model reads the words as
    # something else (praise citing a consumer body's study, a question about a court
    # date), a person confirms it is a threat. Words with no mention found are confirmed too.
    authority_unsure = chosen not in _GRIEVANCES if authority else _authority_words(plain, rules)
    if authority:
        chosen = Category.COMPLAINT
    reasons = _review_reasons(
        model,
        category_doubt=0.0 if authority else 1.0 - confidence,
        urgent_doubt=_urgent_doubt(model, urgent_score, decided=urgent, cued=cued or advert),
        authority_unsure=authority_unsure,
    )
    personal = tuple(
        dict.fromkeys(
            [*(m.kind for m in find_personal_data(text, authors=True)), *signals.personal_data]
        )
    )
    return TextTriage(
        category=chosen,
        confidence=round(confidence, 3),
        sentiment=sentiment,
        language=(
            signals.language
            if signals.language in rules.language_words
            else _language(plain, language_hint, rules)
        ),
        authority_mentioned=authority,
        urgent=urgent,
        empty=is_empty(plain, rules),
        personal_data=personal,
        personal_data_exposed=public and bool(personal),
        relation=(
            Relation.CUSTOMER
            if known_customer
            else _RELATION_BY_CATEGORY.get(chosen, Relation.UNKNOWN)
        ),
        safety=safety,
        needs_review=bool(reasons),
        review_reasons=reasons,
    )


def _unless_sarcasm(chosen: Category, sentiment: Sentiment, found: dict[str, float]) -> Category:
    """Praise read as negative, with thanks or praise words beside a grievance or an irony
    marker ("gracias por dejarme sin línea, sois unos cracks 👏"), is sarcasm: a complaint.
    By leave-one-batch-out over other writers' batches it costs nothing there and gains on
    the held-out sets (README); the model alone read such thanks as praise."""
    if chosen is Category.PRAISE and sentiment is Sentiment.NEGATIVE and SARCASM_ACT in found:
        return Category.COMPLAINT
    return chosen


def _urgent_doubt(model: TriageModel, score: float, *, decided: bool, cued: bool) -> float:
    """The probability that urgency was decided wrong; none when a cue (or an advert)
    decided it, since the rules are read and audited by a person."""
    if cued:
        return 0.0
    probability = model.urgent_calibration(score)
    return 1.0 - probability if decided else probability


def _review_reasons(
    model: TriageModel, *, category_doubt: float, urgent_doubt: float, authority_unsure: bool
) -> tuple[str, ...]:
    """What triage is unsure of among what changes the case's course: the category
    (derived or closed, and the department), urgency, an authority mention."""
    return tuple(
        reason
        for reason, unsure in (
            ("category", category_doubt > model.review_category_doubt),
            ("urgent", urgent_doubt > model.review_urgent_doubt),
            ("authority", authority_unsure),
        )
        if unsure
    )


def _authority_words(plain: str, rules: TriageRules) -> bool:
    """An authority's words with no mention found: an innocent use taken out, or an
    advert's. A person confirms it is no threat."""
    plain = replace_links(plain, " ")
    return any(p.search(plain) for p in rules.authority)


def authority_mentioned(plain: str, rules: TriageRules) -> bool:
    plain = replace_links(plain, " ")  # "abogados-accidente.top" is an advert's link
    for exception in rules.authority_exceptions:
        plain = exception.sub(" ", plain)
    return any(p.search(plain) for p in rules.authority)


_WORDS = re.compile(r"[^\W\d_]+")
_HANDLES = re.compile(r"@\w++|https?://\S++")


def is_empty(plain: str, rules: TriageRules) -> bool:
    """Only greetings, fillers, handles, emoji or punctuation: nothing to act on yet."""
    words = _WORDS.findall(_HANDLES.sub(" ", plain))
    return all(word in rules.empty_words for word in words)


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
