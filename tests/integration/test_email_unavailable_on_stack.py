"""SES refusing to send (the sandbox, an unverified address) never stops a case: the
derivation is recorded, the email is owed on the timeline, the workflow waits, nothing
reaches TriageFailuresQueue, and the owed email goes once when SES sends again. moto
refuses an unverified sender with MessageRejected, as SES does
(https://repost.aws/knowledge-center/ses-554-400-message-rejected-error)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    SOCIAL_TEAM,
    deliver,
    emails_to,
    execution_of,
    kinds,
    wait_for,
)


@pytest.fixture
def unverified_sender(stack: LocalStack) -> Iterator[LocalStack]:
    sender = os.environ["SENDER_EMAIL"]
    stack.client("ses").delete_identity(Identity=sender)
    yield stack
    stack.client("ses").verify_email_identity(EmailAddress=sender)


def run_owed_emails_schedule(stack: LocalStack) -> Any:
    """The workflow function, invoked as the template's OwedEmails schedule invokes it."""
    events = stack.template.functions()["WorkflowFunction"]["Properties"]["Events"]
    return stack.function("WorkflowFunction").invoke(
        json.loads(events["OwedEmails"]["Properties"]["Input"])
    )


def test_a_derived_case_whose_email_is_refused_waits_and_its_email_goes_once_later(
    unverified_sender,
):
    stack = unverified_sender
    errors = len(stack.invocation_errors)  # the session's stack: earlier tests' are there
    # Given SES refuses the sender (unverified identity), and a case a department answers
    case_id = deliver(stack, signed_event("telegram", sample_payload("telegram_message")))
    # When triage derives it and the workflow's derive step emails the department
    case = wait_for(stack, case_id, lambda c: "email_owed" in kinds(c))
    # Then the derivation is recorded and the email owed (never "sent"), the workflow
    # waits for the department, and no stream batch failed
    assert case["status"] == "derived"
    assert "derived" in kinds(case) and "owed_email_sent" not in kinds(case)
    assert stack.outbox() == []
    assert execution_of(stack, case_id)["status"] == "RUNNING"
    assert stack.triage_failures() == 0 and stack.invocation_errors[errors:] == []
    [derived] = [e for e in case["timeline"] if e["kind"] == "derived"]
    department = derived["data"]["to"]
    # When SES sends again and the schedule runs twice
    stack.client("ses").verify_email_identity(EmailAddress=os.environ["SENDER_EMAIL"])
    run_owed_emails_schedule(stack)
    run_owed_emails_schedule(stack)
    # Then the department's email (and the social team's copy) went exactly once
    assert len(emails_to(stack, department, case_id)) == 1
    assert len(emails_to(stack, SOCIAL_TEAM, case_id)) == 1
    case = stack.get_case(case_id)
    assert kinds(case).count("owed_email_sent") == 2
    assert execution_of(stack, case_id)["status"] == "RUNNING"


def test_triage_closes_an_autonomous_case_when_the_social_team_email_is_refused(
    unverified_sender,
):
    stack = unverified_sender
    errors = len(stack.invocation_errors)
    # Given SES refuses the sender, and praise the social team answers
    payload = sample_payload("meta_facebook_comment")
    change = payload["entry"][0]["changes"][0]["value"]
    change["message"] = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"
    case_id = deliver(stack, signed_event("meta", payload))
    # When triage closes it (the batch's digest cannot go)
    case = wait_for(stack, case_id, lambda c: "closed_at" in c)
    # Then the case is closed, its email owed, and no stream batch failed
    assert case["status"] == "autonomous" and "email_owed" in kinds(case)
    assert stack.triage_failures() == 0 and stack.invocation_errors[errors:] == []
    assert stack.outbox() == []
    # When SES sends again and the schedule runs twice, the social team hears of it once
    stack.client("ses").verify_email_identity(EmailAddress=os.environ["SENDER_EMAIL"])
    run_owed_emails_schedule(stack)
    run_owed_emails_schedule(stack)
    assert len(emails_to(stack, SOCIAL_TEAM, case_id)) == 1
