"""Which reply fits a case (domain/replies.py): who wrote and what happened decide it,
before any words are chosen."""

from __future__ import annotations

import pytest

from socialcare.domain.assessment import Assessment, FaqMatch
from socialcare.domain.replies import ReplyKind, reply_plan
from socialcare.domain.triage import Category, Relation, Sentiment, TextTriage


def assessed(
    category: Category = Category.COMPLAINT,
    relation: Relation = Relation.UNKNOWN,
    *,
    department: str | None = "customer_service",
    sentiment: Sentiment = Sentiment.NEUTRAL,
    urgent: bool = False,
    safety: bool = False,
    flags: frozenset[str] = frozenset(),
    faq: FaqMatch | None = None,
) -> Assessment:
    triage = TextTriage(
        category=category,
        confidence=0.9,
        sentiment=sentiment,
        language="es",
        authority_mentioned=False,
        urgent=urgent or safety,
        empty=False,
        personal_data=(),
        personal_data_exposed=False,
        relation=relation,
        safety=safety,
    )
    return Assessment(triage, "P2", flags, department is None, department, faq)


@pytest.mark.parametrize("category", [Category.COMPLAINT, Category.INCIDENT, Category.QUESTION])
def test_someone_unknown_with_a_problem_is_asked_who_they_are(category):
    plan = reply_plan(assessed(category))
    assert (plan.kind, plan.identify) == (ReplyKind.DERIVED, True)


@pytest.mark.parametrize("category", [Category.COMPLAINT, Category.INCIDENT, Category.QUESTION])
def test_a_known_customer_is_never_asked_who_they_are(category):
    plan = reply_plan(assessed(category, Relation.CUSTOMER))
    assert (plan.kind, plan.identify) == (ReplyKind.DERIVED, False)


def test_a_lead_gets_a_sales_reply_and_no_identification():
    plan = reply_plan(assessed(Category.SALES_LEAD, Relation.LEAD, department="sales"))
    assert (plan.kind, plan.identify, plan.upset) == (ReplyKind.SALES, False, False)


@pytest.mark.parametrize(
    ("category", "relation"),
    [(Category.SUPPLIER, Relation.SUPPLIER), (Category.PARTNERSHIP, Relation.PARTNER)],
)
def test_a_supplier_or_partner_is_given_the_department_and_its_contact(category, relation):
    plan = reply_plan(assessed(category, relation, department="purchasing"))
    assert (plan.kind, plan.identify) == (ReplyKind.CONTACT, False)


@pytest.mark.parametrize("relation", [Relation.UNKNOWN, Relation.CUSTOMER])
def test_a_person_at_risk_gets_the_safety_reply_no_paperwork_and_no_cheer(relation):
    # Given an accident, from someone unknown or a customer
    plan = reply_plan(assessed(Category.INCIDENT, relation, department="claims", safety=True))
    # Then the emergency reply, nothing to send, a sober opening
    assert (plan.kind, plan.identify, plan.upset) == (ReplyKind.SAFETY, False, True)


def test_urgent_without_danger_is_sober_but_not_the_safety_reply():
    plan = reply_plan(assessed(Category.QUESTION, urgent=True))
    assert (plan.kind, plan.upset) == (ReplyKind.DERIVED, True)


def test_a_troll_nobody_derived_gets_no_reply():
    plan = reply_plan(assessed(Category.TROLL, department=None, sentiment=Sentiment.NEGATIVE))
    assert plan.kind is ReplyKind.SILENT


def test_what_the_social_team_answers_alone_keeps_its_replies():
    faq = FaqMatch("refund_time", "3 a 5 días")
    assert reply_plan(assessed(Category.QUESTION, department=None, faq=faq)).kind is ReplyKind.FAQ
    praise = assessed(Category.PRAISE, department=None, sentiment=Sentiment.POSITIVE)
    assert reply_plan(praise) == reply_plan(praise) and reply_plan(praise).upset is False
    assert reply_plan(praise).kind is ReplyKind.PRAISE
    empty = assessed(Category.QUESTION, department=None, flags=frozenset({"needs_details"}))
    assert reply_plan(empty).kind is ReplyKind.NEEDS_DETAILS
