"""The whole triage of one message: text triage, flags, priority, department, and
whether the social team answers it alone (autonomous) or derives it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from socialcare.domain.priorities import PriorityConfig
from socialcare.domain.routing import Priority, RoutingConfig
from socialcare.domain.triage import (
    Category,
    Sentiment,
    TextSignals,
    TextTriage,
    TriageModel,
    TriageRules,
    normalise,
    triage_sample,
    triage_text,
)


@dataclass(frozen=True)
class FaqEntry:
    key: str
    pattern: re.Pattern[str]
    answers: dict[str, str]  # language -> prepared answer


@dataclass(frozen=True)
class FaqMatch:
    key: str
    answer: str


@dataclass(frozen=True)
class Assessment:
    triage: TextTriage
    priority: Priority
    flags: frozenset[str]
    autonomous: bool
    department: str | None  # None when the social team answers alone
    faq: FaqMatch | None
    topics: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        return self.triage.urgent

    @property
    def needs_review(self) -> bool:
        """Triage is unsure of something that changes what happens to the case."""
        return self.triage.needs_review

    @property
    def held_for_review(self) -> bool:
        """A case the social team would close alone, that waits open for a person to
        confirm or correct triage first (no answer, no close, no survey before)."""
        return self.autonomous and self.triage.needs_review

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.triage.category.value,
            "confidence": self.triage.confidence,
            "relation": self.triage.relation.value,
            "sentiment": self.triage.sentiment.value,
            "language": self.triage.language,
            "priority": self.priority,
            "authority_mentioned": self.triage.authority_mentioned,
            "personal_data_exposed": self.triage.personal_data_exposed,
            "urgent": self.triage.urgent,
            "safety": self.triage.safety,
            "crisis": "crisis" in self.flags,
            "needs_details": "needs_details" in self.flags,
            "low_confidence": "low_confidence" in self.flags,
            "autonomous": self.autonomous,
            "needs_review": self.triage.needs_review,
            "review_reasons": list(self.triage.review_reasons),
            "department": self.department,
            "faq": self.faq.key if self.faq else None,
            "topics": list(self.topics),
        }


def assess(
    text: str,
    *,
    public: bool,
    followers: int | None,
    model: TriageModel,
    rules: TriageRules,
    priorities: PriorityConfig,
    routing: RoutingConfig,
    faq: tuple[FaqEntry, ...] = (),
    known_customer: bool = False,
    language_hint: str | None = None,
    crisis: bool = False,
    signals: TextSignals | None = None,
) -> Assessment:
    text = triage_sample(text)  # its category, flags, department, FAQ and topics
    triage = triage_text(
        text,
        public=public,
        model=model,
        rules=rules,
        known_customer=known_customer,
        language_hint=language_hint,
        signals=signals,
    )
    return _assessed(
        triage,
        text,
        public=public,
        followers=followers,
        confidence_threshold=model.confidence_threshold,
        priorities=priorities,
        routing=routing,
        faq=faq,
        crisis=crisis,
    )


def assess_triaged(
    triage: TextTriage,
    text: str,
    *,
    public: bool,
    followers: int | None,
    confidence_threshold: float,
    priorities: PriorityConfig,
    routing: RoutingConfig,
    faq: tuple[FaqEntry, ...] = (),
    crisis: bool = False,
) -> Assessment:
    """What the protocol makes of a message's text triage: flags, priority, FAQ, whether
    the social team answers alone, the department. A protocol rehearsal runs this alone
    on a case's stored text triage when the triage rules and model are unchanged."""
    return _assessed(
        triage,
        triage_sample(text),
        public=public,
        followers=followers,
        confidence_threshold=confidence_threshold,
        priorities=priorities,
        routing=routing,
        faq=faq,
        crisis=crisis,
    )


def _assessed(
    triage: TextTriage,
    text: str,
    *,
    public: bool,
    followers: int | None,
    confidence_threshold: float,
    priorities: PriorityConfig,
    routing: RoutingConfig,
    faq: tuple[FaqEntry, ...],
    crisis: bool,
) -> Assessment:
    alone = triage.category in routing.autonomous_categories
    flags = {
        name
        for name, on in (
            ("authority_mentioned", triage.authority_mentioned),
            ("personal_data_exposed", triage.personal_data_exposed),
            ("urgent", triage.urgent),
            ("crisis", crisis),
            # Nothing to act on yet: the social team asks what the customer needs.
            ("needs_details", triage.empty and not alone),
            # A close without a person must be a sure one; praise read as negative is
            # most often sarcasm.
            (
                "low_confidence",
                alone
                and (
                    triage.confidence < confidence_threshold
                    or (
                        triage.category is Category.PRAISE
                        and triage.sentiment is Sentiment.NEGATIVE
                    )
                ),
            ),
        )
        if on
    }
    priority = priorities.priority(triage, public=public, followers=followers, flags=flags)
    matched_faq = _faq(text, triage, faq)
    # Authority mentions, urgent messages and crises always go to a department; exposed
    # personal data alone does not (the social team advises deleting it, or hides it).
    needs_department = bool(flags & {"authority_mentioned", "urgent", "crisis"})
    autonomous = not needs_department and (
        "needs_details" in flags
        or (alone and "low_confidence" not in flags)
        or (triage.category is Category.QUESTION and matched_faq is not None)
    )
    return Assessment(
        triage=triage,
        priority=priority,
        flags=frozenset(flags),
        autonomous=autonomous,
        department=None if autonomous else routing.department_for(triage, flags, text),
        faq=matched_faq,
        topics=routing.topics_of(text),
    )


def _faq(text: str, triage: TextTriage, faq: tuple[FaqEntry, ...]) -> FaqMatch | None:
    if triage.category is not Category.QUESTION or triage.empty:
        return None
    plain = normalise(text)
    for entry in faq:
        if entry.pattern.search(plain):
            answer = entry.answers.get(triage.language) or next(iter(entry.answers.values()))
            return FaqMatch(entry.key, answer)
    return None
