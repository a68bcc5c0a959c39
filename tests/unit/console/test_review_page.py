"""The case page's review fragment: why triage is unsure, the second opinion said as one
that decides nothing, and the confirmation form only for those who may correct triage."""

from __future__ import annotations

from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.rendering import render

AGENT = ConsoleUser("ana", frozenset({Role.AGENT}), "ana@example.com", "s1")
APPROVER = ConsoleUser("eva", frozenset({Role.APPROVER}), "eva@example.com", "s2")
CASE = {
    "id": "20261124-0123456789abcdef",
    "needs_review": True,
    "review_reasons": ["category", "urgent"],
    "second_opinion": {
        "category": "incident",
        "urgent": True,
        "authority": False,
        "model_id": "anthropic.claude-3-haiku-20240307-v1:0",
        "latency_ms": 640,
    },
}


def fragment(case=CASE, user=AGENT, language="es") -> str:
    return render("console/case_review.html", case=case, user=user, csrf="tok", language=language)


def test_a_case_waiting_for_review_says_why_and_offers_the_confirmation():
    page = fragment()
    assert "la categoría (y con ella el departamento); la urgencia" in page
    assert "no decide nada" in page and "incident · urgente" in page and "640 ms" in page
    assert 'action="/console/cases/20261124-0123456789abcdef/review"' in page
    assert 'name="csrf" value="tok"' in page


def test_in_english_too():
    page = fragment(language="en")
    assert "Triage is unsure of" in page and "Confirm triage as it is" in page


def test_who_may_not_correct_triage_sees_no_form():
    page = fragment(user=APPROVER)
    assert "<form" not in page and "Revisión del triaje" in page


def test_a_reviewed_or_closed_case_shows_nothing():
    assert fragment(case={**CASE, "needs_review": False}).strip() == ""
    assert fragment(case={**CASE, "closed_at": "2026-11-24T10:00:00Z"}).strip() == ""
