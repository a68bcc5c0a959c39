"""Late answers on action links: a link another click spent, one used before, one whose
case closed as breached. Each late answer is noted once, and a department that resolved
a breached case makes it resolved late (the use case and its pages, as in test_actions)."""

from __future__ import annotations

from socialcare.app.action_links import LateAnswer, LinkGone, show, submit
from socialcare.domain.action_links import GoneReason, LinkStatus
from socialcare.domain.clock import utc_iso
from socialcare.presentation.action_pages import page_for
from tests.conftest import NOW
from tests.fakes import a_case
from tests.service_fakes import RecordingTaskTokens
from tests.unit.test_actions import ACTION_ID, ROUTING, a_link, a_store, answer, deps


def test_an_answer_that_loses_the_race_for_the_link_is_noted_late():
    # Given a link another click spends between the read and the write
    store = a_store()
    spend = store.use_action

    def spent_meanwhile(action_id, choice, note, now, *, actor=""):
        spend(action_id, "contacted", "", now)
        return spend(action_id, choice, note, now, actor=actor)

    store.use_action = spent_meanwhile
    tokens = RecordingTaskTokens()
    # When this answer arrives
    outcome = submit(ACTION_ID, answer("resolved"), deps(store, tokens))
    # Then it is 410 "used" and noted, and the workflow is not resumed twice
    assert isinstance(outcome, LinkGone) and outcome.reason is GoneReason.USED
    assert outcome.late is LateAnswer.NOTED and tokens.resumed == []


def test_only_the_first_late_answer_on_a_spent_link_is_noted():
    # Given a link already used
    store = a_store(a_link(status=LinkStatus.USED, choice="resolved", used_at=utc_iso(NOW)))
    form = answer("resolved", note="x" * 2000)
    # When the form is posted again and again
    first = submit(ACTION_ID, form, deps(store))
    replies = [submit(ACTION_ID, form, deps(store)) for _ in range(20)]
    # Then each answer is 410; the first is noted, the others are told it was not
    assert first.late is LateAnswer.NOTED
    assert "anotado en el historial" in page_for(first, ROUTING).html
    assert all(r.late is LateAnswer.ALREADY_NOTED for r in replies)
    assert all("no se ha guardado" in page_for(r, ROUTING).html for r in replies)
    assert len(store.events(a_case().id, "late_answer")) == 1


def test_a_spent_link_offers_the_late_answer_form_only_until_one_is_noted():
    store = a_store(a_link(status=LinkStatus.USED, choice="resolved", used_at=utc_iso(NOW)))
    before = page_for(show(ACTION_ID, None, deps(store)), ROUTING)
    submit(ACTION_ID, answer("resolved"), deps(store))
    after = page_for(show(ACTION_ID, None, deps(store)), ROUTING)
    assert before.status == after.status == 410
    assert 'name="csrf_token"' in before.html and 'name="csrf_token"' not in after.html


def test_a_department_that_resolves_a_breached_case_makes_it_resolved_late():
    # Given a case closed as breached (nobody answered at any level) and its first link
    store = a_store(
        a_link(status=LinkStatus.ESCALATED),
        status="breached",
        closed_at=utc_iso(NOW),
        sla_breached=True,
    )
    # When the department says, late, that it resolved it
    outcome = submit(ACTION_ID, answer("resolved"), deps(store))
    # Then the case is resolved, late: resolved_at set, sla_breached kept (on the case)
    assert isinstance(outcome, LinkGone) and outcome.reason is GoneReason.BREACHED
    assert outcome.late is LateAnswer.RESOLVED_LATE
    case = store.case(a_case().id)
    assert case.status == "resolved" and case.sla_breached
    assert store.fields[case.id]["resolved_late"] and "resolved_at" in store.fields[case.id]
    # And the page says it was noted and that the case had been escalated
    page = page_for(outcome, ROUTING)
    assert page.status == 410
    assert "se había escalado" in page.html and "otra persona" not in page.html


def test_a_late_note_that_does_not_close_leaves_a_breached_case_breached():
    store = a_store(a_link(status=LinkStatus.ESCALATED), status="breached", closed_at=utc_iso(NOW))
    outcome = submit(ACTION_ID, answer("more_time"), deps(store))
    assert outcome.late is LateAnswer.NOTED
    assert store.case(a_case().id).status == "breached"
