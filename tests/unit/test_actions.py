"""The action-link use case against in-memory ports: every outcome of `show` and `submit`,
what is looked up, what the workflow receives, what is noted on the case. The pages come
from presentation/action_pages.py, as the handler renders them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from socialcare.app.action_links import (
    ActionDependencies,
    Answered,
    Confirmation,
    LateAnswer,
    LinkGone,
    NotFound,
    Refusal,
    Refused,
    show,
    submit,
)
from socialcare.config.loaders import routing_config
from socialcare.domain.action_links import ActionChoice, ActionLink, GoneReason, LinkStatus
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import plan_wait
from socialcare.domain.failures import TaskGone, Unavailable
from socialcare.domain.outbound import OutboundTarget
from socialcare.presentation.action_pages import page_for
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import RecordingTaskTokens

ACTION_ID = "A" * 32
CSRF = "c" * 32
ROUTING = routing_config()


def a_link(**changes) -> ActionLink:
    plan = plan_wait(
        ROUTING,
        department="claims",
        priority="P2",
        level=0,
        now=NOW,
        time_scale=1,
        reason="derived",
    )
    link = ActionLink(
        id=ACTION_ID,
        case_id=a_case().id,
        plan=plan,
        csrf_token=CSRF,
        task_token="token",
        status=LinkStatus.PENDING,
        expires_at=int((NOW + timedelta(days=90)).timestamp()),
    )
    return replace(link, **changes)


def a_store(link: ActionLink | None = None, **case_fields) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    store.add(a_case(**case_fields))
    link = link or a_link()
    store.actions[link.id] = link
    return store


def deps(store: InMemoryWorkflowStore, tokens=None) -> ActionDependencies:
    return ActionDependencies(
        cases=store,
        actions=store,
        closing=store,
        tokens=tokens or RecordingTaskTokens(),
        routing=ROUTING,
        clock=lambda: NOW,
        time_scale=1,
    )


def answer(action: str, **form) -> dict[str, str]:
    return {"csrf_token": CSRF, "action": action, **form}


# --- show --------------------------------------------------------------------------------


def test_the_confirmation_page_offers_every_choice_and_every_other_department():
    # Given a pending link
    store = a_store()
    # When the department opens it from the email's "resolved" link
    outcome = show(ACTION_ID, "resolved", deps(store))
    # Then it is asked to confirm, nothing changed, and the page carries the form
    assert isinstance(outcome, Confirmation) and outcome.selected is ActionChoice.RESOLVED
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and store.timeline == []
    page = page_for(outcome, ROUTING)
    assert page.status == 200 and f'value="{CSRF}"' in page.html
    assert 'value="resolved" checked' in page.html
    assert 'value="legal"' in page.html and 'value="claims"' not in page.html


def test_an_unknown_choice_in_the_link_selects_nothing():
    outcome = show(ACTION_ID, "<script>", deps(a_store()))
    assert isinstance(outcome, Confirmation) and outcome.selected is None
    assert "<script>" not in page_for(outcome, ROUTING).html


def test_a_link_of_the_right_shape_that_does_not_exist_is_404():
    outcome = show("B" * 32, None, deps(a_store()))
    assert isinstance(outcome, NotFound)
    assert page_for(outcome, ROUTING).status == 404


@pytest.mark.parametrize(
    "action_id", ["a" * 3000, "A" * 31, "A" * 33, "ñ" * 32, "../" + "A" * 29, "A" * 31 + "="]
)
def test_ids_the_stack_never_makes_are_404_without_a_lookup(action_id):
    # Given a link id of a shape the stack never generates (secrets.token_urlsafe(24))
    store = a_store()
    store.calls.clear()
    # When it is opened or posted
    opened = show(action_id, None, deps(store))
    posted = submit(action_id, answer("resolved"), deps(store))
    # Then both are 404, and the store was never asked
    assert isinstance(opened, NotFound) and isinstance(posted, NotFound)
    assert page_for(opened, ROUTING).status == page_for(posted, ROUTING).status == 404
    assert store.calls == []


@pytest.mark.parametrize(
    ("link", "case_fields", "reason"),
    [
        (a_link(status=LinkStatus.USED, choice="resolved", used_at=utc_iso(NOW)), {}, "used"),
        (a_link(status=LinkStatus.ESCALATED), {}, "escalated"),
        (a_link(), {"closed_at": utc_iso(NOW)}, "closed"),
        (a_link(expires_at=int(NOW.timestamp())), {}, "expired"),
    ],
)
def test_a_link_that_no_longer_acts_says_why_and_offers_a_late_answer(link, case_fields, reason):
    outcome = show(ACTION_ID, None, deps(a_store(link, **case_fields)))
    assert isinstance(outcome, LinkGone) and outcome.reason is GoneReason(f"gone_{reason}")
    page = page_for(outcome, ROUTING)
    assert page.status == 410 and 'name="csrf_token"' in page.html


# --- submit: refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "refusal", "status"),
    [
        ({"csrf_token": "x" * 32, "action": "resolved"}, Refusal.FORBIDDEN, 403),
        ({"action": "resolved"}, Refusal.FORBIDDEN, 403),
        (answer("close_everything"), Refusal.INVALID, 400),
        (answer("not_ours", department="nobody"), Refusal.INVALID, 400),
        (answer("not_ours", department="claims"), Refusal.INVALID, 400),
    ],
)
def test_a_form_that_cannot_be_an_answer_is_refused_and_the_link_still_acts(form, refusal, status):
    store = a_store()
    outcome = submit(ACTION_ID, form, deps(store))
    assert isinstance(outcome, Refused) and outcome.reason is refusal
    assert page_for(outcome, ROUTING).status == status
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and store.timeline == []


@pytest.mark.parametrize("form", [answer("not_ours"), answer("not_ours", department="")])
def test_not_ours_without_a_department_is_refused_saying_what_is_missing(form):
    # Given a pending link, and a form whose department was left on its placeholder
    store, tokens = a_store(), RecordingTaskTokens()
    # When the department confirms "not ours"
    outcome = submit(ACTION_ID, form, deps(store, tokens))
    # Then nothing moves, and the page says to choose the department (the link still acts)
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.NO_DEPARTMENT
    page = page_for(outcome, ROUTING)
    assert page.status == 400 and "sin decir a qué departamento" in page.html
    assert "Falta el departamento" in page.html
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and tokens.resumed == []


def test_a_message_to_the_customer_with_another_choice_is_refused_saying_why():
    # Given the one form, with a message to the customer and "resolved" chosen
    store, tokens = a_store(), RecordingTaskTokens()
    form = answer("resolved", reply="Hola Ana, ya está resuelto.")
    # When it is confirmed
    outcome = submit(ACTION_ID, form, deps(store, tokens))
    # Then nothing is sent or recorded, and the page says which choice sends it
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.REPLY_NEEDS_CONTACTED
    page = page_for(outcome, ROUTING)
    assert page.status == 400 and "He contactado con el cliente" in page.html
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and tokens.resumed == []


def test_a_message_to_the_customer_and_a_note_are_both_kept():
    # Given a Telegram chat the department can answer from the one form
    from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies

    target = OutboundTarget(account_id="bot", message_id="4411", conversation_id="555000111")
    store, tokens, platform = (
        a_store(platform="telegram", channel="telegram", public=False, reply_to=target),
        RecordingTaskTokens(),
        ScriptedPlatform(),
    )
    both = replace(deps(store, tokens), outbound=outbound_dependencies(platform=platform))
    form = answer("contacted", reply="Hola Ana, ya está.", note="Llamada a las 10")
    # When it confirms "contacted" with both
    outcome = submit(ACTION_ID, form, both)
    # Then the customer got the message, and the case keeps it and the note
    assert isinstance(outcome, Answered)
    assert [d.action.text for d in platform.done] == ["Hola Ana, ya está."]
    assert store.actions[ACTION_ID].note == "Hola Ana, ya está.\n\nLlamada a las 10"


def test_more_time_is_given_once_per_case():
    # Given a wait that was already extended
    store = a_store(a_link(plan=replace(a_link().plan, extended=True)))
    # When more time is asked again
    outcome = submit(ACTION_ID, answer("more_time"), deps(store))
    # Then 409, and the link still acts for another answer
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.EXTENSION_USED
    assert page_for(outcome, ROUTING).status == 409
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING


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
