"""A protocol change rehearsed on past cases: what a case was (as stored), what a
protocol does with it (its course), and what differs between two courses. Pure values;
the rehearsal itself is app/protocol_rehearsal.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from socialcare.domain.derivation import WaitPlan
from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category, Relation, Sentiment, TextTriage

# The kinds of change, in the order every output lists them.
CHANGE_KINDS = (
    "department",
    "priority",
    "autonomy",
    "urgent",
    "authority",
    "needs_review",
    "automatic_actions",
    "deadline",
    "approvals",
)
SOCIAL_TEAM = "social_team"  # who holds a case no department answers


@dataclass(frozen=True)
class PastTriage:
    """What triage said of the case when it came (the case's triage map, kept as it was
    whatever a person did since)."""

    category: str | None
    priority: str | None
    department: str | None  # None: the social team closed it (autonomous)
    urgent: bool
    authority: bool
    needs_review: bool
    flags: tuple[str, ...]
    crisis: bool = False
    public_reply: str | None = None
    # The rest of the text triage as kept (domain/triage.py's TextTriage): what the
    # rehearsal reuses when the triage rules and model are those that read the case.
    confidence: float | None = None
    sentiment: str | None = None
    language: str | None = None
    relation: str | None = None
    safety: bool = False
    personal_data_exposed: bool = False
    review_reasons: tuple[str, ...] = ()

    def text_triage(self) -> TextTriage | None:
        """The text triage as it was made; None when the case keeps too little of it (an
        older case: the rehearsal reads its words again). Kept only as `needs_details`,
        `empty` is known where the category was one a department answers."""
        kept = (self.category, self.relation, self.sentiment, self.confidence, self.language)
        if any(value is None for value in kept):
            return None
        try:
            category, relation = Category(str(self.category)), Relation(str(self.relation))
            sentiment = Sentiment(str(self.sentiment))
        except ValueError:
            return None
        assert self.confidence is not None and self.language is not None
        return TextTriage(
            category=category,
            confidence=self.confidence,
            sentiment=sentiment,
            language=self.language,
            authority_mentioned=self.authority,
            urgent=self.urgent,
            empty="needs_details" in self.flags,
            personal_data=(),
            personal_data_exposed=self.personal_data_exposed,
            relation=relation,
            safety=self.safety,
            needs_review=self.needs_review,
            review_reasons=self.review_reasons,
        )


@dataclass(frozen=True)
class PastCase:
    """A stored case as triage saw it, and what happened to it afterwards."""

    id: str
    created_at: str  # UTC ISO, as stored
    triaged_at: datetime
    channel: Channel
    public: bool
    text: str  # the customer's words when triage read them
    triage: PastTriage
    followers: int | None = None
    known_customer: bool = False
    language: str | None = None
    answerable: bool = True  # the case keeps where to answer (automatic actions need it)
    crisis_topic: str | None = None
    status: str = "new"  # as stored: open or final
    plan: WaitPlan | None = None  # triage's first wait, for a derived case
    derived_at: datetime | None = None  # the department's wait began
    answered_at: datetime | None = None  # the department's first action
    last_seen_at: datetime | None = None  # closed_at, else the case's last update


@dataclass(frozen=True)
class Course:
    """What one protocol does with one case."""

    department: str | None  # None: the social team answers alone
    priority: str | None
    urgent: bool
    authority: bool
    needs_review: bool
    automatic: tuple[str, ...] = ()  # hide, private_followup, public_notice, survey
    approvals: tuple[str, ...] = ()  # the approval rules its public reply meets
    late_levels: int | None = None  # escalations the answer was late by; None: not compared
    escalation_emails: int = 0  # emails those escalations send (supervisor, main contact)

    @property
    def holder(self) -> str:
        return self.department or SOCIAL_TEAM


@dataclass(frozen=True)
class CaseChange:
    case_id: str
    created_at: str
    kinds: tuple[str, ...]
    before: Course
    after: Course


def changes_between(before: Course, after: Course) -> tuple[str, ...]:
    """The kinds of change from `before` to `after`, in CHANGE_KINDS' order. A deadline
    is compared only where both keep the case with the same department: the answer's
    time is that department's."""
    derived = before.department is not None and after.department is not None
    found = {
        "department": derived and before.department != after.department,
        "priority": before.priority != after.priority,
        "autonomy": (before.department is None) != (after.department is None),
        "urgent": before.urgent != after.urgent,
        "authority": before.authority != after.authority,
        "needs_review": before.needs_review != after.needs_review,
        "automatic_actions": before.automatic != after.automatic,
        "deadline": before.department == after.department
        and before.late_levels is not None
        and after.late_levels is not None
        and before.late_levels != after.late_levels,
        "approvals": before.approvals != after.approvals,
    }
    return tuple(kind for kind in CHANGE_KINDS if found[kind])


@dataclass
class Tally:
    """Counts over the rehearsed cases, built one case at a time."""

    cases_read: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANGE_KINDS, 0))
    moves: dict[tuple[str, str], int] = field(default_factory=dict)  # (from, to) -> cases
    automatic: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"added": {}, "removed": {}}
    )
    would_be_late: int = 0  # on time before, late after
    would_be_on_time: int = 0  # late before, on time after
    escalation_emails: dict[str, int] = field(default_factory=lambda: {"before": 0, "after": 0})

    def add(self, change: CaseChange) -> None:
        before, after = change.before, change.after
        for kind in change.kinds:
            self.counts[kind] += 1
        if "department" in change.kinds or "autonomy" in change.kinds:
            move = (before.holder, after.holder)
            self.moves[move] = self.moves.get(move, 0) + 1
        for step in _difference(after.automatic, before.automatic):
            _count(self.automatic["added"], step)
        for step in _difference(before.automatic, after.automatic):
            _count(self.automatic["removed"], step)
        if "deadline" in change.kinds:
            if not before.late_levels and after.late_levels:
                self.would_be_late += 1
            if before.late_levels and not after.late_levels:
                self.would_be_on_time += 1

    def add_escalations(self, before: Course, after: Course) -> None:
        self.escalation_emails["before"] += before.escalation_emails
        self.escalation_emails["after"] += after.escalation_emails


def _difference(left: Iterable[str], right: Iterable[str]) -> list[str]:
    kept = set(right)
    return [item for item in left if item not in kept]


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1
