"""The action-link use case's `submit` answering: what the workflow receives, what is noted
on the case, late answers and races for the link."""

from __future__ import annotations

from socialcare.app.action_links import (
    Answered,
    LateAnswer,
    LinkGone,
    NotFound,
    Refusal,
    Refused,
    show,
    submit,
)
from socialcare.domain.action_links import GoneReason, LinkStatus
from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import TaskGone, Unavailable
from socialcare.presentation.action_pages import page_for
from tests.action_link_fakes import (
    ACTION_ID,
    ROUTING,
    a_link,
    a_store,
    answer,
    deps,
)
from tests.conftest import NOW
from tests.fakes import a_case
from tests.service_fakes import RecordingTaskTokens

# --- submit: answers ---------------------------------------------------------------------


def test_resolved_resumes_the_workflow_once_with_the_answer():
    # Given a pending link
    store, tokens = a_store(), RecordingTaskTokens()
    # When the department confirms "resolved" with a long note
    outcome = submit(ACTION_ID, answer("resolved", note="n" * 5000), deps(store, tokens))
    # Then the link is spent and keeps the note (cut to 2,000) and who answered; the
    # workflow receives the answer by the link's id, without them
    assert isinstance(outcome, Answered) and outcome.following is None
    link = store.actions[ACTION_ID]
    assert link.status is LinkStatus.USED and len(link.note) == 2000
    assert link.actor.endswith("(level 0)")
    [(token, output)] = tokens.resumed
    assert token == "token" and output["outcome"] == "closed" and output["plan"] is None
    assert output["answer"]["action"] == "resolved" and output["answer"]["at"]
    assert output["answer"]["action_id"] == ACTION_ID
    assert "note" not in output["answer"] and "actor" not in output["answer"]
    page = page_for(outcome, ROUTING)
    assert page.status == 200 and "cerrado" in page.html


def test_not_ours_derives_to_the_chosen_department():
    store, tokens = a_store(), RecordingTaskTokens()
    outcome = submit(ACTION_ID, answer("not_ours", department="legal"), deps(store, tokens))
    assert isinstance(outcome, Answered)
    assert outcome.following.department == "legal" and outcome.following.hops == 1
    [(_, output)] = tokens.resumed
    assert output["outcome"] == "wait" and output["plan"]["reason"] == "rederived"
    assert output["answer"]["to"] == "legal"
    assert ROUTING.departments["legal"].name in page_for(outcome, ROUTING).html


def test_more_time_moves_the_deadline_by_the_departments_sla():
    store, tokens = a_store(), RecordingTaskTokens()
    outcome = submit(ACTION_ID, answer("more_time"), deps(store, tokens))
    assert isinstance(outcome, Answered) and outcome.following.extended
    assert outcome.following.deadline > a_link().plan.deadline
    assert page_for(outcome, ROUTING).status == 200


def test_a_workflow_that_timed_out_meanwhile_turns_the_answer_into_a_late_note():
    # Given a link whose wait timed out just before the answer reached the workflow
    store = a_store()
    outcome = submit(
        ACTION_ID, answer("resolved"), deps(store, RecordingTaskTokens(fails_with=TaskGone))
    )
    # Then 410 "escalated", the link says so, and the answer is on the case's timeline
    assert isinstance(outcome, LinkGone) and outcome.reason is GoneReason.ESCALATED
    assert outcome.late is LateAnswer.NOTED
    assert store.actions[ACTION_ID].status is LinkStatus.ESCALATED
    assert len(store.events(a_case().id, "late_answer")) == 1


def test_a_workflow_that_cannot_be_reached_leaves_the_link_acting_for_a_retry():
    store = a_store()
    failed = submit(
        ACTION_ID, answer("resolved"), deps(store, RecordingTaskTokens(fails_with=Unavailable))
    )
    assert isinstance(failed, Refused) and failed.reason is Refusal.UNAVAILABLE
    assert page_for(failed, ROUTING).status == 503
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING
    retried = submit(ACTION_ID, answer("resolved"), deps(store))
    assert isinstance(retried, Answered)


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


def test_a_link_whose_case_is_no_longer_there_is_404_and_writes_nothing():
    # Given a link still pending whose case was erased
    store, tokens = a_store(), RecordingTaskTokens()
    del store.cases[a_case().id]
    # When it is opened, then answered
    shown = show(ACTION_ID, None, deps(store, tokens))
    answered = submit(ACTION_ID, answer("resolved", note="hecho"), deps(store, tokens))
    # Then both say it is not there; the link is not spent, nothing noted or resumed
    assert isinstance(shown, NotFound) and isinstance(answered, NotFound)
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING
    assert store.timeline == [] and tokens.resumed == []
