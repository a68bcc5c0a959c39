"""Triage of a new case, as the stream brings it, against in-memory ports: what it
decides, writes and sends, what it starts, and that a redelivered record changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialcare.app.case_triage import (
    TriageDependencies,
    TriageOutcome,
    close_autonomous,
    triage_case,
)
from socialcare.app.triage import Triager
from socialcare.domain.cases import CaseAuthor
from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import WorkflowUnavailable
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.replies import ReplyWriter
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import KnownCustomers, Outbox, RecordingWorkflows

TRIAGER = Triager()
REPLIES = ReplyWriter()
ROUTING = TRIAGER.routing
COMPLAINT = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama. Vergüenza."
PRAISE = "¡Muchas gracias por la atención de ayer, un diez!"
SPAM = "Gana dinero rápido desde casa, entra en www.ganadinero.xyz y hazte rico"
URGENT = "Huele a gas en el portal después de la reparación que hicisteis, es urgente, venid ya"
CASE_ID = a_case().id
# One in-memory store keeps the promises of every store port triage takes.
TRIAGE_PORTS = ("cases", "triage", "closing", "alerts", "owed_emails", "uncertain", "follow_ups")


def deps(store, outbox=None, workflows=None, **changes) -> TriageDependencies:
    values = {
        **dict.fromkeys(TRIAGE_PORTS, store),
        "customers": KnownCustomers(),
        "email": outbox or Outbox(),
        "emails": CaseEmailComposer(ROUTING, "https://api.example"),
        "triager": TRIAGER,
        "replies": REPLIES,
        "workflows": workflows or RecordingWorkflows(),
        "clock": lambda: NOW,
        "time_scale": 1.0,
    }
    values.update(changes)
    return TriageDependencies(**values)


def a_store(text: str = COMPLAINT, **case_fields) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    store.add(a_case(texts=(text,), **case_fields))
    return store


def test_a_complaint_is_triaged_and_its_workflow_started_at_the_first_wait():
    # Given a new complaint
    store, workflows = a_store(), RecordingWorkflows()
    # When triaged
    triaged = triage_case(CASE_ID, deps(store, workflows=workflows))
    # Then its workflow starts once, waiting for the claims department
    assert triaged.outcome is TriageOutcome.DERIVED
    plan = workflows.started[CASE_ID]
    assert (plan.department, plan.level, plan.reason) == ("claims", 0, "derived")
    case = store.cases[CASE_ID]
    assert case.status == "triaged" and case.wait_plan == plan and case.workflow_started
    assert case.triage.category == "complaint" and not case.closed


def test_praise_is_closed_by_triage_without_any_workflow():
    # Given praise
    store, outbox, workflows = a_store(PRAISE), Outbox(), RecordingWorkflows()
    # When triaged
    triaged = triage_case(CASE_ID, deps(store, outbox, workflows))
    # Then the social team is told, the case is closed, and no workflow ever starts
    assert triaged.outcome is TriageOutcome.AUTONOMOUS
    assert store.fields[CASE_ID]["status"] == "autonomous" and store.cases[CASE_ID].closed
    assert workflows.starts == 0
    [email] = outbox.sent
    assert email["to"] == list(ROUTING.social_team.emails) and CASE_ID in email["subject"]


def test_spam_is_closed_without_an_email():
    store, outbox, workflows = a_store(SPAM), Outbox(), RecordingWorkflows()
    assert triage_case(CASE_ID, deps(store, outbox, workflows)).outcome is TriageOutcome.SPAM
    assert store.fields[CASE_ID]["status"] == "spam" and outbox.sent == []
    assert workflows.starts == 0


@pytest.mark.parametrize("text", [COMPLAINT, PRAISE])
def test_a_redelivered_record_changes_nothing(text):
    # Given a case triaged once
    store, outbox, workflows = a_store(text), Outbox(), RecordingWorkflows()
    triage_case(CASE_ID, deps(store, outbox, workflows))
    sent, calls = len(outbox.sent), len(store.calls)
    # When the stream delivers its record again
    again = triage_case(CASE_ID, deps(store, outbox, workflows))
    # Then nothing is assessed, written, sent or started twice
    assert again.outcome is TriageOutcome.ALREADY_DONE
    assert len(outbox.sent) == sent and workflows.starts <= 1
    assert store.calls[calls:] == ["case"]
    assert len(store.events(CASE_ID, "triaged")) == 1


def test_a_workflow_that_did_not_start_is_started_by_the_retry_without_a_second_triage():
    # Given StartExecution throttled on the first delivery
    store, workflows = a_store(), RecordingWorkflows(fail_next=1)
    with pytest.raises(WorkflowUnavailable):
        triage_case(CASE_ID, deps(store, workflows=workflows))
    assert store.cases[CASE_ID].status == "triaged" and not store.cases[CASE_ID].workflow_started
    # When the stream retries the record
    triaged = triage_case(CASE_ID, deps(store, workflows=workflows))
    # Then the workflow starts with the plan triage made, and triage ran once
    assert triaged.outcome is TriageOutcome.DERIVED and list(workflows.started) == [CASE_ID]
    assert workflows.started[CASE_ID] == store.cases[CASE_ID].wait_plan
    assert store.calls.count("begin_triage") == 1


def test_an_autonomous_case_whose_email_failed_is_closed_by_the_retry():
    # Given the social team's email throttled once
    store, outbox = a_store(PRAISE), Outbox(fail_next=1)
    with pytest.raises(Exception, match="Throttling"):
        triage_case(CASE_ID, deps(store, outbox))
    assert not store.cases[CASE_ID].closed
    # When retried
    triage_case(CASE_ID, deps(store, outbox))
    # Then it is told once and closed, triaged once
    assert len(outbox.sent) == 1 and store.cases[CASE_ID].closed
    assert store.calls.count("begin_triage") == 1


def test_a_case_closed_before_triage_is_left_alone():
    store = a_store(closed_at=utc_iso(NOW), status="autonomous")
    triaged = triage_case(CASE_ID, deps(store))
    assert triaged.outcome is TriageOutcome.ALREADY_DONE and store.calls == ["case"]


def test_a_case_that_is_not_there_is_left_alone_not_retried():
    # Given the record of a case erased (or expired) before triage read it
    store, outbox, workflows = InMemoryWorkflowStore(), Outbox(), RecordingWorkflows()
    # When triaged
    triaged = triage_case("20261124-ffffffffffffffff", deps(store, outbox, workflows))
    # Then nothing is done, nothing is sent, and nothing is raised for the stream to retry
    assert triaged.outcome is TriageOutcome.GONE
    assert store.calls == ["case"] and outbox.sent == [] and workflows.starts == 0


def test_a_case_erased_while_it_is_being_assessed_ends_cleanly():
    # Given a case that disappears between triage reading it and writing the assessment
    store, workflows = a_store(), RecordingWorkflows()
    begin = store.begin_triage

    def erased_meanwhile(case_id, *args, **kwargs):
        del store.cases[case_id]
        return begin(case_id, *args, **kwargs)

    store.begin_triage = erased_meanwhile
    # When triaged
    triaged = triage_case(CASE_ID, deps(store, workflows=workflows))
    # Then no workflow starts for it, and nothing is raised
    assert triaged.outcome is TriageOutcome.GONE and workflows.starts == 0


def test_an_urgent_case_alerts_the_social_team_once_whatever_the_retries():
    store, outbox = a_store(URGENT), Outbox()
    for _ in range(3):
        triage_case(CASE_ID, deps(store, outbox))
    urgent = [s for s in outbox.subjects() if s.startswith("[URGENTE P1]")]
    assert len(urgent) == 1


def test_an_urgent_alert_that_could_not_be_sent_is_sent_by_the_retry():
    store, outbox = a_store(URGENT), Outbox(fail_next=1)
    with pytest.raises(Exception, match="Throttling"):
        triage_case(CASE_ID, deps(store, outbox))
    triage_case(CASE_ID, deps(store, outbox))
    assert sum(s.startswith("[URGENTE P1]") for s in outbox.subjects()) == 1


def test_a_customer_known_by_another_of_their_ids_is_known():
    # Given a WhatsApp customer on file by phone, writing with their business-scoped id
    author = CaseAuthor(id="ES.123", aliases=("34600111222",))
    store = a_store(author=author, platform="whatsapp", channel="whatsapp")
    customers = KnownCustomers({("whatsapp", "34600111222")})
    # When triaged
    triage_case(CASE_ID, deps(store, customers=customers))
    # Then triage knows them as a customer
    assert store.cases[CASE_ID].triage.relation == "customer"


def test_too_many_negative_cases_on_a_topic_raise_one_crisis_alert():
    # Given a topic already past the crisis threshold in the window
    store, outbox = a_store(), Outbox()
    for n in range(ROUTING.crisis.negative_cases):
        noted = ("claims_and_repairs", utc_iso(NOW - timedelta(minutes=n + 1)), f"earlier-{n}")
        store.negative_cases_seen.append(noted)
    # When two more complaints on it are triaged
    triage_case(CASE_ID, deps(store, outbox))
    store.add(a_case("20261124-fedcba9876543210", texts=(COMPLAINT,)))
    triage_case("20261124-fedcba9876543210", deps(store, outbox))
    # Then the crisis contacts get one alert, and both cases carry the crisis flag
    crisis = [e for e in outbox.sent if e["to"] == list(ROUTING.crisis.contacts)]
    assert len(crisis) == 1
    assert all("crisis" in store.cases[c].triage.flags for c in store.cases)


def test_a_batchs_autonomous_cases_reach_the_social_team_in_one_email():
    # Given three praises triaged in one batch
    store, outbox = InMemoryWorkflowStore(), Outbox()
    ids = [f"20261124-{n:016x}" for n in range(1, 4)]
    for case_id in ids:
        store.add(a_case(case_id, texts=(PRAISE,)))
    triaged = [triage_case(case_id, deps(store, outbox), batch=True) for case_id in ids]
    assert outbox.sent == [] and not any(store.cases[c].closed for c in ids)
    # When the batch's autonomous cases are closed
    close_autonomous([t.to_close for t in triaged], deps(store, outbox))
    # Then one email names every case, and each is closed as the social team's
    [email] = outbox.sent
    assert all(case_id in email["text"] for case_id in ids)
    assert all(store.fields[c]["status"] == "autonomous" for c in ids)


def test_a_batch_email_that_failed_is_sent_when_the_records_come_back():
    # Given a batch whose email was throttled
    store, outbox = a_store(PRAISE), Outbox(fail_next=1)
    triaged = triage_case(CASE_ID, deps(store, outbox), batch=True)
    with pytest.raises(Exception, match="Throttling"):
        close_autonomous([triaged.to_close], deps(store, outbox))
    # When the stream delivers the record again
    again = triage_case(CASE_ID, deps(store, outbox), batch=True)
    close_autonomous([again.to_close], deps(store, outbox))
    # Then the social team is told once, the case closed, triaged once
    assert len(outbox.sent) == 1 and store.cases[CASE_ID].closed
    assert store.calls.count("begin_triage") == 1


def test_the_suggested_reply_tells_the_customer_the_deadline_the_workflow_waits_for():
    # Given a complaint triaged on Tuesday 24 November at 11:00 in Madrid (NOW), whose
    # claims deadline is 8 business hours later: Wednesday 25 at 11:00
    store, workflows = a_store(), RecordingWorkflows()
    # When triaged
    triage_case(CASE_ID, deps(store, workflows=workflows))
    # Then the private reply says that moment as a day and a time, and the workflow waits
    # for the same one
    assert workflows.started[CASE_ID].deadline == "2026-11-25T10:00:00.000Z"
    reply = store.cases[CASE_ID].triage.private_reply
    assert "antes del miércoles 25 a las 11:00" in reply and "laborables" not in reply, reply
