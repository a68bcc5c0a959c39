"""Each step of the case workflow against in-memory ports: what it decides, writes and
sends, and what it hands the state machine. The real ASL runs in tests/integration."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from socialcare.app.triage import Triager
from socialcare.app.workflow_steps import (
    WorkflowDependencies,
    answer_step,
    derive_step,
    escalate_step,
    triage_step,
)
from socialcare.domain.action_links import ActionChoice, Answer, LinkStatus
from socialcare.domain.cases import CaseAuthor
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import LAST_LEVEL, plan_wait
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.replies import ReplyWriter
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, KnownCustomers, Outbox, a_case

TRIAGER = Triager()
REPLIES = ReplyWriter()
ROUTING = TRIAGER.routing
COMPLAINT = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama. Vergüenza."
PRAISE = "¡Muchas gracias por la atención de ayer, un diez!"
SPAM = "Gana dinero rápido desde casa, entra en www.ganadinero.xyz y hazte rico"
URGENT = "Huele a gas en el portal después de la reparación que hicisteis, es urgente, venid ya"


def deps(store: InMemoryWorkflowStore, outbox: Outbox | None = None, **changes):
    tokens = iter(f"{n:032d}" for n in range(1, 100))
    values = {
        "store": store,
        "customers": KnownCustomers(),
        "email": outbox or Outbox(),
        "emails": CaseEmailComposer(ROUTING, "https://api.example"),
        "triager": TRIAGER,
        "replies": REPLIES,
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


# --- triage ------------------------------------------------------------------------------


def test_a_complaint_is_triaged_for_its_department_with_the_first_wait():
    store = a_store()
    triaged = triage_step(CASE_ID, deps(store))
    assert not triaged.autonomous and triaged.plan.department == "claims"
    assert triaged.plan.level == 0 and triaged.plan.reason == "derived"
    assert store.fields[CASE_ID]["status"] == "triaged"
    assert store.cases[CASE_ID].triage.category == "complaint" and not store.cases[CASE_ID].closed


def test_praise_is_answered_by_the_social_team_and_closed():
    store, outbox = a_store(PRAISE), Outbox()
    triaged = triage_step(CASE_ID, deps(store, outbox))
    assert triaged.autonomous and triaged.plan is None
    assert store.fields[CASE_ID]["status"] == "autonomous" and store.cases[CASE_ID].closed
    [email] = outbox.sent
    assert email["to"] == list(ROUTING.social_team.emails) and CASE_ID in email["subject"]


def test_spam_is_closed_without_an_email():
    store, outbox = a_store(SPAM), Outbox()
    assert triage_step(CASE_ID, deps(store, outbox)).autonomous
    assert store.fields[CASE_ID]["status"] == "spam" and outbox.sent == []


def test_a_retried_triage_of_a_closed_case_changes_nothing():
    store = a_store(closed_at=utc_iso(NOW))
    triaged = triage_step(CASE_ID, deps(store))
    assert triaged.autonomous and store.calls == ["case"]


def test_an_urgent_case_alerts_the_social_team_once_whatever_the_retries():
    store, outbox = a_store(URGENT), Outbox()
    for _ in range(3):
        triage_step(CASE_ID, deps(store, outbox))
    urgent = [s for s in outbox.subjects() if s.startswith("[URGENTE P1]")]
    assert len(urgent) == 1


def test_an_urgent_alert_that_could_not_be_sent_is_sent_by_the_retry():
    store, outbox = a_store(URGENT), Outbox(fail_next=1)
    with pytest.raises(Exception, match="Throttling"):
        triage_step(CASE_ID, deps(store, outbox))
    triage_step(CASE_ID, deps(store, outbox))
    assert sum(s.startswith("[URGENTE P1]") for s in outbox.subjects()) == 1


def test_a_customer_known_by_another_of_their_ids_is_known():
    # Given a WhatsApp customer on file by phone, writing with their business-scoped id
    author = CaseAuthor(id="ES.123", aliases=("34600111222",))
    store = a_store(author=author, platform="whatsapp", channel="whatsapp")
    customers = KnownCustomers({("whatsapp", "34600111222")})
    # When triaged
    triage_step(CASE_ID, deps(store, customers=customers))
    # Then triage knows them as a customer
    assert store.cases[CASE_ID].triage.relation == "customer"


def test_too_many_negative_cases_on_a_topic_raise_one_crisis_alert():
    # Given a topic already past the crisis threshold in the window
    store, outbox = a_store(), Outbox()
    store.negative["complaint:claims"] = ROUTING.crisis.negative_cases
    # When two more complaints on it are triaged
    triage_step(CASE_ID, deps(store, outbox))
    store.add(a_case("20261124-fedcba9876543210", texts=(COMPLAINT,)))
    triage_step("20261124-fedcba9876543210", deps(store, outbox))
    # Then the crisis contacts get one alert, and both cases carry the crisis flag
    crisis = [e for e in outbox.sent if e["to"] == list(ROUTING.crisis.contacts)]
    assert len(crisis) == 1
    assert all("crisis" in store.cases[c].triage.flags for c in store.cases)


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
    store = a_store()
    answer = Answer(choice, "hecho", "claims", "Siniestros (level 0)", utc_iso(NOW))
    answer_step(CASE_ID, answer, deps(store))
    assert store.cases[CASE_ID].closed is closes
    assert store.events(CASE_ID, "department_action")[0]["action"] == choice.value
    if stamp:
        assert store.fields[CASE_ID][stamp] == utc_iso(NOW)


def test_an_answer_survives_the_state_machines_json():
    answer = Answer(ActionChoice.NOT_OURS, "", "claims", "x", utc_iso(NOW), to="legal")
    assert Answer.from_state(answer.as_state()) == answer
    assert replace(answer, to=None).as_state().get("to") is None
