"""Emails SES holds (throttled; the sandbox or an unverified address) never stop a case:
the step records what it did, the email is owed, and the OwedEmails schedule sends it
once when SES sends again, unless its case or its derivation is over."""

from __future__ import annotations

import json

import pytest

from socialcare.app.case_triage import close_autonomous, triage_case
from socialcare.app.owed_emails import send_owed_emails
from socialcare.app.workflow_steps import derive_step, escalate_step
from socialcare.domain.email_delivery import EmailHold, alarmed
from socialcare.domain.failures import Unavailable
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare_cli.local.functions import LocalFunction
from tests.conftest import NOW, ROOT
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.owed_email_fakes import HoldingOutbox
from tests.service_fakes import Outbox
from tests.unit.test_case_triage import PRAISE, URGENT
from tests.unit.test_case_triage import deps as triage_deps
from tests.unit.test_workflow_steps import CASE_ID, ROUTING, a_plan, a_store, deps

DIGEST = CaseEmailComposer(ROUTING, "https://api.example").team_digest


def kinds(store: InMemoryWorkflowStore, case_id: str = CASE_ID) -> list[str]:
    return [kind for case, kind, _ in store.timeline if case == case_id]


def test_a_derivation_ses_holds_is_recorded_and_its_emails_owed_not_failed():
    # Given SES refuses to send (an unverified address in the sandbox)
    store, ses = a_store(), HoldingOutbox(EmailHold.BLOCKED)
    # When the workflow derives the case
    held = derive_step(CASE_ID, a_plan(), "task-token", deps(store, ses))
    # Then the step returns (the workflow waits for the department): the derivation is
    # recorded, the department's email and the team's copy are owed, and why is said
    assert held == (EmailHold.BLOCKED, EmailHold.BLOCKED)
    assert len(store.actions) == 1 and store.fields[CASE_ID]["status"] == "derived"
    assert kinds(store).count("email_owed") == 2 and ses.sent == []
    assert all(alarmed(hold) for hold in held)


def test_the_owed_emails_go_once_when_ses_sends_again():
    # Given a derivation whose emails SES held
    store, ses = a_store(), HoldingOutbox(EmailHold.BLOCKED)
    derive_step(CASE_ID, a_plan(), "task-token", deps(store, ses))
    # When SES sends again and the schedule runs twice
    ses.hold = None
    first = send_owed_emails(ses, store, lambda: NOW, DIGEST)
    second = send_owed_emails(ses, store, lambda: NOW, DIGEST)
    # Then the department and the social team each got their email once, with the link
    assert (first.sent, second.sent) == (2, 0)
    department, copy = ses.sent
    assert department["to"] == list(ROUTING.departments["claims"].emails)
    assert copy["to"] == list(ROUTING.social_team.emails)
    [link] = store.actions
    assert f"https://api.example/actions/{link}?do=" in department["text"]
    assert kinds(store).count("owed_email_sent") == 2


def test_an_email_ses_still_holds_stays_owed_and_is_counted_again():
    # Given owed emails, and SES still throttling
    store, ses = a_store(), HoldingOutbox(EmailHold.THROTTLED)
    derive_step(CASE_ID, a_plan(), "task-token", deps(store, ses))
    # When the schedule runs
    run = send_owed_emails(ses, store, lambda: NOW, DIGEST)
    # Then nothing went, and once SES throttled the run read no more: both stay owed
    # (and claimable by the next run); throttling passes by itself, so it is not alarmed
    assert (run.sent, run.held, run.left) == (0, (EmailHold.THROTTLED,), 2)
    assert len(store.owed_emails()) == 2 and not alarmed(EmailHold.THROTTLED)
    ses.hold = None
    assert send_owed_emails(ses, store, lambda: NOW, DIGEST).sent == 2


def test_an_owed_derivation_email_whose_derivation_is_over_is_dropped():
    # Given a derivation whose emails SES held, then escalated (a new derivation)
    store, ses = a_store(), HoldingOutbox(EmailHold.BLOCKED)
    plan, workflow = a_plan(), deps(store, ses)
    derive_step(CASE_ID, plan, "task-token", workflow)
    escalated = escalate_step(CASE_ID, plan, workflow)
    ses.hold = None
    derive_step(CASE_ID, escalated.plan, "task-token-2", workflow)
    sent_now = len(ses.sent)
    # When the schedule runs
    run = send_owed_emails(ses, store, lambda: NOW, DIGEST)
    # Then the first derivation's links lead nowhere: its emails are dropped, not sent
    assert (run.sent, run.dropped, len(ses.sent)) == (0, 2, sent_now)


def test_a_batchs_team_email_ses_holds_closes_the_cases_and_owes_each_one():
    # Given two praises triaged in one batch, and SES refusing to send
    store, ses = InMemoryWorkflowStore(), HoldingOutbox(EmailHold.BLOCKED)
    ids = [f"20261124-{n:016x}" for n in range(1, 3)]
    for case_id in ids:
        store.add(a_case(case_id, texts=(PRAISE,)))
    triaged = [triage_case(c, triage_deps(store, ses), batch=True) for c in ids]
    # When the batch's autonomous cases are closed
    held = close_autonomous([t.to_close for t in triaged], triage_deps(store, ses))
    # Then nothing is raised (the batch does not fail): each case is closed, its email owed
    assert held == (EmailHold.BLOCKED, EmailHold.BLOCKED)
    assert all(store.cases[c].closed for c in ids)
    assert all(kinds(store, c).count("email_owed") == 1 for c in ids)
    # And once SES sends, the social team hears of each case once
    ses.hold = None
    send_owed_emails(ses, store, lambda: NOW, DIGEST)
    send_owed_emails(ses, store, lambda: NOW, DIGEST)
    assert sorted(c for c in ids for e in ses.sent if c in e["subject"]) == ids


def test_an_urgent_alert_ses_holds_is_owed_and_triage_goes_on():
    # Given an urgent case, and SES refusing to send
    store, ses = a_store(URGENT), HoldingOutbox(EmailHold.BLOCKED)
    # When triage runs, Then it finishes (no exception), the alert owed and said so
    triaged = triage_case(CASE_ID, triage_deps(store, ses))
    assert EmailHold.BLOCKED in triaged.emails_held
    assert "email_owed" in kinds(store)


def test_the_workflow_handler_counts_what_ses_holds(capsys):
    # Given the workflow function's handler as Lambda loads it, and SES refusing to send
    function = LocalFunction(
        "WorkflowFunction",
        "workflow",
        "arn:aws:lambda:us-east-1:123456789012:function:workflow",
        ROOT / "functions" / "workflow" / "app.py",
        "lambda_handler",
    )
    store = a_store()
    event = {"step": "derive", "case_id": CASE_ID, "plan": a_plan().as_dict(), "task_token": "t"}
    # When the derive step runs
    answer = function.invoke(event, dependencies=deps(store, HoldingOutbox()))
    # Then it returns to Step Functions normally, and EmailsUndelivered is counted
    assert answer == {"case_id": CASE_ID}
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    assert any(record.get("EmailsUndelivered") == [1.0, 1.0] for record in records)


def test_a_defect_still_fails_the_step_as_before():
    # Given SES failing in a way no wait fixes (the fake raises Unavailable, not EmailHeld)
    store, outbox = a_store(), Outbox(fail_next=1)
    # When the workflow derives the case, Then the step raises (Step Functions retries it)
    with pytest.raises(Unavailable):
        derive_step(CASE_ID, a_plan(), "task-token", deps(store, outbox))
    assert store.owed_emails() == []


def test_a_low_score_alert_ses_holds_is_owed_not_raised():
    # Given a survey answered 2 out of 5, and SES refusing to send
    from socialcare.app.low_scores import alert_low_score
    from socialcare.domain.cases import SurveyState
    from tests.unit.test_surveys import a_closed_case, an_answer

    store, ses = InMemoryWorkflowStore(), HoldingOutbox(EmailHold.BLOCKED)
    store.add(a_closed_case(survey=SurveyState(sent_at="2026-11-24T10:00:00Z", form="choices")))
    store.record_survey_answer(an_answer(2), NOW)
    # When the LOW_SCORE record arrives, Then the alert is owed (the record does not fail)
    assert alert_low_score(CASE_ID, triage_deps(store, ses)) is True
    assert "email_owed" in kinds(store)
    # And once SES sends, the social team gets it once, even if the record comes back
    ses.hold = None
    assert alert_low_score(CASE_ID, triage_deps(store, ses)) is False
    send_owed_emails(ses, store, lambda: NOW, DIGEST)
    assert len(ses.sent) == 1 and "2/5" in ses.sent[0]["subject"]
