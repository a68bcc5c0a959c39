"""The suggested replies promise the department that holds the case and its deadline:
re-derived ("not ours") or given more time, they are composed again (finding 1 of the
fixups of issue 30), so the social team's copy and the publish page never state the
first department or its deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from socialcare.app.workflow_steps import derive_step
from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import TriageRecord
from socialcare.domain.derivation import after_more_time, after_not_ours
from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category, Relation, Sentiment, TextTriage
from socialcare.presentation.deadlines import deadline_words
from socialcare.presentation.replies import ReplyWriter
from tests.conftest import NOW
from tests.service_fakes import Outbox
from tests.unit.test_workflow_steps import CASE_ID, COMPLAINT, ROUTING, a_plan, a_store, deps

WRITER = ReplyWriter()


def a_triaged_store(first):
    """A complaint triage derived to `first`'s department, with its replies."""
    text = TextTriage(
        category=Category.COMPLAINT,
        confidence=0.9,
        sentiment=Sentiment.NEGATIVE,
        language="es",
        authority_mentioned=False,
        urgent=False,
        empty=False,
        personal_data=(),
        personal_data_exposed=False,
        relation=Relation.CUSTOMER,
    )
    assessment = Assessment(text, "P2", frozenset(), False, first.department, None)
    deadline = datetime.fromisoformat(first.deadline.replace("Z", "+00:00"))
    replies = WRITER.suggest(
        assessment,
        COMPLAINT,
        Channel.X_MENTION,
        public=True,
        author_name="Ana",
        deadline=deadline,
        now=NOW,
    )
    triage = {**assessment.as_dict(), "suggested_replies": replies.as_dict()}
    return a_store(triage=TriageRecord.from_dict(triage), wait_plan=first)


def words(plan) -> str:
    deadline = datetime.fromisoformat(plan.deadline.replace("Z", "+00:00"))
    return deadline_words(deadline, NOW, "es", ROUTING.reports.timezone)


def test_a_case_another_department_takes_promises_that_department_and_its_deadline():
    # Given a case triaged to claims, whose replies name claims and its deadline
    first = a_plan(department="claims")
    store, outbox = a_triaged_store(first), Outbox()
    assert "Siniestros" in store.cases[CASE_ID].triage.private_reply
    # When claims answers "not ours" and the workflow derives it to customer service
    later = NOW + timedelta(days=1)
    moved = after_not_ours(ROUTING, first, "customer_service", later, 1.0)
    derive_step(CASE_ID, moved, "task-token", deps(store, outbox, replies=WRITER))
    # Then the replies the publish page fills in, and the team's copy, name the new ones
    triage = store.cases[CASE_ID].triage
    assert "Atención al cliente" in triage.private_reply
    assert "Siniestros" not in triage.private_reply + triage.public_reply
    assert words(moved) in triage.private_reply and words(first) != words(moved)
    _, copy = outbox.sent
    assert "Atención al cliente" in copy["html"] and words(moved) in copy["html"]
    assert words(first) not in copy["html"]


def test_more_time_promises_the_new_deadline():
    # Given a case triaged to claims
    first = a_plan(department="claims")
    store = a_triaged_store(first)
    # When claims asks for more time
    extended = after_more_time(ROUTING, first, NOW, 1.0)
    derive_step(CASE_ID, extended, "task-token", deps(store, replies=WRITER))
    # Then the replies promise the extended deadline, not the first
    reply = store.cases[CASE_ID].triage.private_reply
    assert words(extended) in reply and words(first) not in reply
