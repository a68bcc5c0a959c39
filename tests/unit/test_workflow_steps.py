"""Each step of a derived case's workflow against in-memory ports: what it decides, writes and
sends, and what it hands the state machine. The real ASL runs in tests/integration."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from socialcare.app.workflow_steps import (
    WorkflowDependencies,
    answer_step,
    derive_step,
    escalate_step,
)
from socialcare.config.loaders import routing_config
from socialcare.domain.action_links import ActionChoice, Answer, LinkStatus
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import LAST_LEVEL, plan_wait
from socialcare.presentation.case_emails import CaseEmailComposer
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import Outbox

ROUTING = routing_config()
COMPLAINT = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama. Vergüenza."


def deps(store: InMemoryWorkflowStore, outbox: Outbox | None = None, **changes):
    tokens = iter(f"{n:032d}" for n in range(1, 100))
    values = {
        **dict.fromkeys(("cases", "actions", "closing", "owed_emails"), store),
        "email": outbox or Outbox(),
        "emails": CaseEmailComposer(ROUTING, "https://api.example"),
        "routing": ROUTING,
        "clock": lambda: NOW,
        "time_scale": 1.0,
        "token": lambda: next(tokens),
    }
    values.update(changes)
    return WorkflowDependencies(**values)


def a_store(text: str = COMPLAINT, **case_fields) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    store.add(a_case(texts=(text,), **case_fields))
    return store


def a_plan(level: int = 0, department: str = "claims"):
    return plan_wait(
        ROUTING,
        department=department,
        priority="P2",
        level=level,
        now=NOW,
        time_scale=1,
        reason="derived" if level == 0 else "escalated",
    )


CASE_ID = a_case().id


# --- derive ------------------------------------------------------------------------------


def test_a_derivation_stores_its_link_and_emails_the_department_and_a_copy():
    store, outbox = a_store(), Outbox()
    plan = a_plan()
    derive_step(CASE_ID, plan, "task-token", deps(store, outbox))
    [link] = store.actions.values()
    assert link.task_token == "task-token" and link.plan == plan
    assert link.status is LinkStatus.PENDING and link.csrf_token != link.id
    assert store.fields[CASE_ID]["status"] == "derived"
    assert store.fields[CASE_ID]["derived_at"] == utc_iso(NOW)
    department, copy = outbox.sent
    assert department["to"] == list(ROUTING.departments["claims"].emails)
    assert copy["to"] == list(ROUTING.social_team.emails)
    assert (
        copy["subject"].endswith(department["subject"]) and copy["subject"] != department["subject"]
    )
    for choice in ActionChoice:
        assert f"https://api.example/actions/{link.id}?do={choice.value}" in department["text"]


def test_a_social_team_copy_that_cannot_be_sent_does_not_repeat_the_derivation():
    store, outbox = a_store(), Outbox()
    sends = outbox.send

    def copy_fails(to, subject, text, html):
        if to == list(ROUTING.social_team.emails):
            outbox.fail_next = 1
        return sends(to, subject, text, html)

    outbox.send = copy_fails
    derive_step(CASE_ID, a_plan(), "task-token", deps(store, outbox))
    assert len(outbox.sent) == 1 and len(store.actions) == 1


def test_a_wait_on_the_main_contact_marks_the_case_breached():
    store = a_store()
    derive_step(CASE_ID, a_plan(level=LAST_LEVEL), "t", deps(store))
    fields = store.fields[CASE_ID]
    assert fields["status"] == "escalated" and fields["sla_breached"] is True
    assert fields[f"escalated_l{LAST_LEVEL}_at"] == utc_iso(NOW)


# --- escalate ----------------------------------------------------------------------------


def test_a_timeout_supersedes_the_link_and_moves_to_the_next_level():
    store = a_store()
    derive_step(CASE_ID, a_plan(), "t", deps(store))
    [link] = store.actions.values()
    later = NOW + timedelta(days=3)
    escalated = escalate_step(CASE_ID, a_plan(), deps(store, clock=lambda: later))
    assert not escalated.closed and escalated.plan.level == 1
    assert store.actions[link.id].status is LinkStatus.ESCALATED


def test_a_timeout_at_the_last_level_closes_the_case_as_breached():
    store = a_store()
    escalated = escalate_step(CASE_ID, a_plan(level=LAST_LEVEL), deps(store))
    assert escalated.closed and escalated.plan is None
    assert store.fields[CASE_ID]["status"] == "breached"
    assert store.fields[CASE_ID]["sla_breached"] is True


# --- answer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "closes", "stamp"),
    [
        (ActionChoice.RESOLVED, True, "resolved_at"),
        (ActionChoice.CONTACTED, True, "contacted_at"),
        (ActionChoice.NOT_OURS, False, None),
        (ActionChoice.MORE_TIME, False, None),
    ],
)
def test_an_answer_is_recorded_and_closes_the_case_when_it_should(choice, closes, stamp):
    # Given a derivation whose link a department used, with a note
    store = a_store()
    store.open_derivation(
        CASE_ID,
        "a" * 32,
        task_token="t",
        csrf_token="c",
        plan=a_plan(),
        milestones={},
        recipients=[],
        now=NOW,
        status="derived",
    )
    store.use_action("a" * 32, choice.value, "hecho", NOW, actor="Siniestros (level 0)")
    answer = Answer(choice, "hecho", "claims", "Siniestros (level 0)", utc_iso(NOW), None, "a" * 32)
    # When the state machine hands its state (codes and ids) to the answer step
    recorded = answer_step(CASE_ID, answer.as_state(), deps(store))
    # Then the note and who answered come from the link, and the case closes when it should
    assert recorded == answer
    assert store.cases[CASE_ID].closed is closes
    assert store.events(CASE_ID, "department_action")[0]["action"] == choice.value
    if stamp:
        assert store.fields[CASE_ID][stamp] == utc_iso(NOW)


def test_the_state_machine_carries_an_answer_without_its_note_or_who_gave_it():
    # Given a department's answer with a note naming the customer
    answer = Answer(
        ActionChoice.NOT_OURS, "Llamé a Lucía", "claims", "Ana", utc_iso(NOW), "legal", "a" * 32
    )
    # When it becomes the state machine's JSON
    state = answer.as_state()
    # Then only codes, ids and the time travel; the link's item gives back the rest
    assert state == {
        "action": "not_ours",
        "department": "claims",
        "at": utc_iso(NOW),
        "to": "legal",
        "action_id": "a" * 32,
    }
    assert replace(answer, to=None).as_state().get("to") is None
    old_shape = {**state, "note": "Llamé a Lucía", "actor": "Ana"}  # started before
    assert Answer.from_state(old_shape) == answer


# --- a case erased while its workflow runs -----------------------------------------------


def test_a_derivation_for_a_case_no_longer_there_ends_cleanly_and_writes_nothing():
    # Given a case erased after its workflow started
    store, outbox = InMemoryWorkflowStore(), Outbox()
    # When its derive step runs
    derive_step(a_case().id, a_plan(), "token", deps(store, outbox))
    # Then nothing is written or sent (the wait then times out into escalate_step)
    assert store.actions == {} and store.timeline == [] and outbox.sent == []


def test_an_escalation_for_a_case_no_longer_there_ends_the_workflow():
    store = InMemoryWorkflowStore()
    escalated = escalate_step(a_case().id, a_plan(), deps(store))
    assert escalated.closed and escalated.plan is None
    assert store.timeline == [] and "close_case" not in store.calls


def test_an_answer_for_a_case_no_longer_there_is_not_recorded():
    store = InMemoryWorkflowStore()
    state = {"action": "resolved", "department": "claims", "at": utc_iso(NOW)}
    answer = answer_step(a_case().id, state, deps(store))
    assert answer.choice is ActionChoice.RESOLVED and store.timeline == []


def test_an_escalation_for_a_case_closed_meanwhile_ends_the_workflow_and_emails_nobody():
    # Given a case the social team closed in the console while its department's wait ran
    store = a_store(closed_at=utc_iso(NOW))
    outbox = Outbox()
    # When the wait times out
    escalated = escalate_step(a_case().id, a_plan(), deps(store, outbox))
    # Then the workflow ends: no next level, no email, nothing closed again
    assert escalated.closed and escalated.plan is None
    assert outbox.sent == [] and "close_case" not in store.calls
