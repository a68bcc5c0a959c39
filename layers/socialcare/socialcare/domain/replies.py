"""Which suggested reply fits a case, after the protocol: who wrote (a known customer, a
lead, a supplier or partner, someone unknown) and what happened (a person at risk, a
problem, a question, praise). Pure rules; the words are config/replies.yaml's and
presentation/replies.py's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import TriageRecord
from socialcare.domain.routing import Priority
from socialcare.domain.triage import Category, Relation, Sentiment, TextTriage

_SILENT = {Category.TROLL, Category.SPAM}
_PROBLEMS = {Category.COMPLAINT, Category.INCIDENT}
# What a department can only act on once it finds the person in its records.
_ABOUT_THEIR_PRODUCT = {Category.COMPLAINT, Category.INCIDENT, Category.QUESTION}


class ReplyKind(StrEnum):
    SILENT = "silent"  # trolls and spam: do not feed them
    FAQ = "faq"  # a prepared answer
    PRAISE = "praise"
    NEEDS_DETAILS = "needs_details"  # a greeting alone: ask what they need
    DERIVED = "derived"  # a department takes it, by its deadline
    SAFETY = "safety"  # a person at risk: the emergency lines at once, no paperwork
    SALES = "sales"  # a lead: a sales reply and a next step
    CONTACT = "contact"  # a supplier or a partner: the department and its contact

    @property
    def derived(self) -> bool:
        """A department answers: the public reply moves the conversation to private."""
        return self in _DERIVED


_DERIVED = {ReplyKind.DERIVED, ReplyKind.SAFETY, ReplyKind.SALES, ReplyKind.CONTACT}


@dataclass(frozen=True)
class ReplyPlan:
    kind: ReplyKind
    # Ask who they are (policy, booking...): only someone unknown whose case the
    # department must find in its records; never a known customer, a lead or a
    # supplier, and never a person at risk.
    identify: bool
    # A complaint, an incident, an urgent or a negative message: a sober opening.
    upset: bool


def reply_plan(assessment: Assessment) -> ReplyPlan:
    triage = assessment.triage
    upset = triage.sentiment is Sentiment.NEGATIVE or triage.category in _PROBLEMS or triage.urgent
    kind = _kind(assessment)
    identify = (
        kind is ReplyKind.DERIVED
        and triage.relation is Relation.UNKNOWN
        and triage.category in _ABOUT_THEIR_PRODUCT
    )
    return ReplyPlan(kind, identify, upset)


def _kind(assessment: Assessment) -> ReplyKind:
    triage = assessment.triage
    if triage.category in _SILENT and not assessment.department:
        return ReplyKind.SILENT
    if triage.safety:
        return ReplyKind.SAFETY
    if assessment.department:
        if triage.category is Category.SALES_LEAD:
            return ReplyKind.SALES
        if triage.category in (Category.SUPPLIER, Category.PARTNERSHIP):
            return ReplyKind.CONTACT
        return ReplyKind.DERIVED
    if "needs_details" in assessment.flags:
        return ReplyKind.NEEDS_DETAILS
    if assessment.faq:
        return ReplyKind.FAQ
    if triage.category is Category.PRAISE:
        return ReplyKind.PRAISE
    # Answered alone with nothing prepared (a category config made autonomous): no
    # department to name, so the social team asks what they need.
    return ReplyKind.NEEDS_DETAILS


def replanned(record: TriageRecord, department: str, priority: Priority) -> Assessment:
    """The assessment triage kept on a derived case, now held by `department`: what its
    replies are recomposed from when another department takes it or the deadline moves.
    No FAQ and no personal data kinds: a derived reply names neither."""
    triage = TextTriage(
        category=Category(record.category or Category.QUESTION),
        confidence=1.0,
        sentiment=Sentiment(record.sentiment or Sentiment.NEUTRAL),
        language=record.language or "es",
        authority_mentioned="authority_mentioned" in record.flags,
        urgent="urgent" in record.flags,
        empty=False,
        personal_data=(),
        personal_data_exposed="personal_data_exposed" in record.flags,
        relation=Relation(record.relation or Relation.UNKNOWN),
        safety=record.safety,
    )
    return Assessment(triage, priority, frozenset(record.flags), False, department, None)
