"""Which replies wait for an approver before they go out (config/approvals.yaml), and a
reply waiting for one. The protocol asks who approves what the brand says about
complaints and mentions of authorities; these rules say it, each with a reason people can
read. Pure: the case and the draft in, the reasons out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.cases import Case
from socialcare.domain.config_rules import STRICT, longest, not_empty, require
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.text_model import normalise
from socialcare.domain.triage import compile_pattern

LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class Reason:
    """Why a reply waits, as the writer and the approver read it."""

    __pydantic_config__ = STRICT

    es: str
    en: str

    def __post_init__(self) -> None:
        for language in LANGUAGES:
            not_empty(getattr(self, language), language)
            longest(getattr(self, language), language, 200)

    def words(self, language: str) -> str:
        return self.en if language == "en" else self.es


@dataclass(frozen=True)
class AuthorityRule:
    """The customer mentions a consumer authority, the ombudsman, a court (triage's
    `authority_mentioned` flag)."""

    __pydantic_config__ = STRICT

    reason: Reason


@dataclass(frozen=True)
class CrisisRule:
    """The case belongs to a crisis: its `crisis_topic` (a crisis alert's or marked in the
    console) or triage's `crisis` flag. `topics`: only these (empty: any topic)."""

    __pydantic_config__ = STRICT

    reason: Reason
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReachRule:
    """The author has at least `min_followers` followers, as the platform told (X's
    `followers_count`; Meta and Telegram tell none, so those cases never match)."""

    __pydantic_config__ = STRICT

    reason: Reason
    min_followers: int

    def __post_init__(self) -> None:
        require(self.min_followers >= 1, "min_followers", "must be at least 1")


@dataclass(frozen=True)
class PublicComplaintRule:
    """A public reply on a case triaged in one of `categories`."""

    __pydantic_config__ = STRICT

    reason: Reason
    categories: list[str]

    def __post_init__(self) -> None:
        not_empty(self.categories, "categories")


@dataclass(frozen=True)
class WordsRule:
    """The reply itself says one of these words (compensation, legal words...): written
    as triage's lexicons are ("indemniz*", "a|b"), without accents or capitals."""

    __pydantic_config__ = STRICT

    reason: Reason
    words: list[str]

    def __post_init__(self) -> None:
        not_empty(self.words, "words")
        for word in self.words:
            try:
                compile_pattern(word)
            except re.error as error:
                raise ValueError(f"words: bad pattern {word[:40]!r}: {error}") from None

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_pattern(word) for word in self.words)


@dataclass(frozen=True)
class ApprovalRules:
    """config/approvals.yaml. A rule left out never asks for an approver."""

    __pydantic_config__ = STRICT

    authority_mentioned: AuthorityRule | None = None
    crisis: CrisisRule | None = None
    reach: ReachRule | None = None
    public_complaint: PublicComplaintRule | None = None
    sensitive_words: WordsRule | None = None

    def reason(self, key: str, language: str) -> str:
        """What a reason key says; a key no rule has any more (the file changed since the
        reply waited) is shown as it is."""
        rule = getattr(self, key, None) if key in REASON_KEYS else None
        return rule.reason.words(language) if rule else key


REASON_KEYS = ("authority_mentioned", "crisis", "reach", "public_complaint", "sensitive_words")


def approval_reasons(case: Case, draft: ReplyDraft, rules: ApprovalRules) -> tuple[str, ...]:
    """The keys of the rules this reply meets, in the file's order; empty: it may go."""
    flags = case.triage.flags if case.triage else ()
    met = {
        "authority_mentioned": "authority_mentioned" in flags,
        "crisis": _in_crisis(case, flags, rules.crisis),
        "reach": rules.reach is not None
        and (case.author.followers or 0) >= rules.reach.min_followers,
        "public_complaint": rules.public_complaint is not None
        and draft.visibility is Visibility.PUBLIC
        and case.triage is not None
        and case.triage.category in rules.public_complaint.categories,
        "sensitive_words": rules.sensitive_words is not None
        and any(p.search(normalise(draft.text)) for p in rules.sensitive_words.patterns),
    }
    return tuple(key for key in REASON_KEYS if met[key] and getattr(rules, key) is not None)


def _in_crisis(case: Case, flags: tuple[str, ...], rule: CrisisRule | None) -> bool:
    if rule is None:
        return False
    if case.crisis_topic:
        return not rule.topics or case.crisis_topic in rule.topics
    return "crisis" in flags and not rule.topics  # a flag names no topic


class ApprovalState(StrEnum):
    WAITING = "waiting"
    APPROVED = "approved"  # an approver let it go: sent or queued as `result` says
    RETURNED = "returned"  # back to its writer with a comment


APPROVAL_ID = re.compile(rf"({CASE_ID.pattern})\.(\d{{8}}T\d{{9}}Z)\.([0-9a-f]{{6}})")


def approval_id_for(case_id: str, submitted_at: str, nonce: str) -> str:
    """`submitted_at` is UTC ISO with milliseconds (clock.utc_iso)."""
    stamp = re.sub(r"[-:.]", "", submitted_at)
    return f"{case_id}.{stamp}.{nonce}"


@dataclass(frozen=True)
class PendingApproval:
    """A reply that met an approval rule: kept with its draft, its writer and why it
    waits, until an approver lets it go (maybe edited) or returns it with a comment."""

    id: str
    draft: ReplyDraft
    reasons: tuple[str, ...]
    submitted_at: str  # UTC ISO
    state: ApprovalState = ApprovalState.WAITING
    decided_by: str | None = None
    decided_at: str | None = None
    comment: str | None = None  # the approver's, when returned
    edited_text: str | None = None  # the approver's words, when they changed the reply
    result: str | None = None  # the send's result (outbound's Result), once it was tried

    @property
    def case_id(self) -> str:
        return self.draft.case_id

    @property
    def text_to_send(self) -> str:
        return self.edited_text if self.edited_text is not None else self.draft.text

    def approved(self, approver: str, at: str, edited_text: str | None) -> PendingApproval:
        edited = edited_text if edited_text and edited_text != self.draft.text else None
        return replace(
            self,
            state=ApprovalState.APPROVED,
            decided_by=approver,
            decided_at=at,
            edited_text=edited,
        )

    def returned(self, approver: str, at: str, comment: str) -> PendingApproval:
        return replace(
            self, state=ApprovalState.RETURNED, decided_by=approver, decided_at=at, comment=comment
        )
