"""Action links through the real handler and state machine: clicks after the wait moved
on, second clicks, opening, bad requests, failed resumes, expiry, forms of another case."""

from __future__ import annotations

from urllib.parse import urlsplit

from socialcare_cli.local.http import action_link_event
from tests.conftest import sample
from tests.integration.workflow_helpers import (
    SUPPORT,
    SUPPORT_LEAD,
    act,
    csrf_of,
    derived_case,
    email_to,
    emails_to,
    execution_of,
    finished,
    kinds,
    link,
    request,
    text_of,
    wait_for,
)


def test_a_click_after_escalation_gets_410_and_the_late_answer_is_noted(stack, fast_deadlines):
    # Given a case escalated to the supervisor after its department's deadline passed
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    status, page = request(stack, "GET", link(email, "resolved"), query="do=resolved")
    assert status == 200  # the department opened the page before the deadline...
    stack.set_time_scale(1)
    lead_email = email_to(stack, SUPPORT_LEAD, case["id"])
    # When it confirms after the deadline
    form = {"csrf_token": csrf_of(page), "action": "resolved", "note": "Llamé ayer"}
    status, gone = request(stack, "POST", link(email, "resolved"), **form)
    # Then it is told what happened, and its answer is on the case for the supervisor
    assert status == 410 and "escal" in text_of(gone)
    case_now = stack.get_case(case["id"])
    [late] = [e for e in case_now["timeline"] if e["kind"] == "late_answer"]
    assert (late["data"]["note"], late["data"]["link"]) == ("Llamé ayer", "gone_escalated")
    assert case_now["status"] == "escalated" and "closed_at" not in case_now
    # And opening the old link again explains that an answer is on file (one late answer
    # per link: no form to add more); nothing changes
    status, again = request(stack, "GET", link(email, "contacted"))
    assert status == 410 and 'name="csrf_token"' not in again
    assert "anotada en el historial" in text_of(again)
    assert stack.get_case(case["id"]) == case_now
    # And the supervisor's links still work
    assert act(stack, link(lead_email, "contacted"), "contacted")[0] == 200
    assert wait_for(stack, case["id"], lambda c: "closed_at" in c)["status"] == "contacted"


def test_a_second_click_gets_410_and_is_noted_without_acting_twice(stack):
    # Given a case resolved through its link
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    action_id = link(email, "resolved")
    status, page = request(stack, "GET", action_id, query="do=resolved")
    form = {"csrf_token": csrf_of(page), "action": "resolved"}
    assert request(stack, "POST", action_id, **form)[0] == 200
    wait_for(stack, case["id"], lambda c: "closed_at" in c)
    # When the form is sent again, and another link of the same email is clicked
    status, second = request(stack, "POST", action_id, **form, note="otra vez")
    status_other, other = request(stack, "GET", link(email, "contacted"))
    # Then both say the link was used, and the case was closed once
    assert (status, status_other) == (410, 410)
    assert "Resuelto" in text_of(second) and "se ha anotado" in text_of(second)
    assert "Resuelto" in text_of(other) and "anotada en el historial" in text_of(other)
    assert 'name="csrf_token"' not in other  # the one late answer of this link is noted
    closed = stack.get_case(case["id"])
    assert kinds(closed).count("department_action") == 1
    assert kinds(closed).count("closed") == 1
    assert kinds(closed)[-1] == "late_answer"
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


def test_opening_links_changes_nothing(stack):
    # Given a derived case
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    emails_before = len(stack.outbox())
    # When a mail scanner opens every link, twice
    for url in email["links"] * 2:
        parts = urlsplit(url)
        status, page = request(stack, "GET", parts.path.rsplit("/", 1)[1], query=parts.query)
        assert status == 200 and "<form" in page
    # Then the case, the workflow and the outbox are as they were
    assert stack.get_case(case["id"]) == case
    assert execution_of(stack, case["id"])["status"] == "RUNNING"
    assert len(stack.outbox()) == emails_before


def test_bad_action_requests_get_clear_pages(stack):
    case = derived_case(stack)
    action_id = link(emails_to(stack, SUPPORT, case["id"])[0], "resolved")
    _, page = request(stack, "GET", action_id)
    # Unknown id -> 404; no CSRF or a wrong one -> 403; unknown action -> 400
    assert request(stack, "GET", "x" * 32)[0] == 404
    assert request(stack, "POST", "x" * 32, action="resolved")[0] == 404
    assert request(stack, "POST", action_id, action="resolved")[0] == 403
    assert request(stack, "POST", action_id, csrf_token="forged", action="resolved")[0] == 403
    assert request(stack, "POST", action_id, csrf_token=csrf_of(page), action="delete")[0] == 400
    # And none of them changed anything
    assert stack.get_case(case["id"]) == case
    status, body = request(stack, "GET", action_id)
    assert status == 200 and "Traceback" not in body


def test_a_failed_resume_answers_503_and_the_link_stays_usable(stack):
    # Given Step Functions refusing SendTaskSuccess once
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.table import CasesTable
    from socialcare.adapters.step_functions import StepFunctionsTaskTokens
    from socialcare.app.action_links import ActionDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from tests.integration.test_webhook_handler import client

    case = derived_case(stack)
    action_id = link(emails_to(stack, SUPPORT, case["id"])[0], "resolved")
    _, page = request(stack, "GET", action_id)
    table = CasesTable(client(stack, "dynamodb"), stack.cases_table)
    flaky = ActionDependencies(
        cases=DynamoDBCaseReader(table),
        actions=DynamoDBActionLinks(table),
        closing=DynamoDBCaseStates(table, routing_config().retention),
        tokens=StepFunctionsTaskTokens(
            client(stack, "stepfunctions", fail={"SendTaskSuccess"}, times=1)
        ),
        routing=routing_config(),
        clock=system_clock,
        time_scale=1,
    )
    form = {"csrf_token": csrf_of(page), "action": "resolved"}
    event = action_link_event("POST", action_id, form=form)
    # When the department confirms
    response = stack.function("ActionsFunction").invoke(event, dependencies=flaky)
    # Then it is asked to try again, nothing changed, and the retry goes through
    assert response["statusCode"] == 503 and "Traceback" not in response["body"]
    assert stack.get_case(case["id"]) == case
    assert request(stack, "POST", action_id, **form)[0] == 200
    assert wait_for(stack, case["id"], lambda c: "closed_at" in c)["status"] == "resolved"


def test_an_expired_link_gets_410_even_before_dynamodb_deletes_it(stack):
    # Given a link past its expiry that DynamoDB's TTL has not removed yet
    case = derived_case(stack)
    action_id = link(emails_to(stack, SUPPORT, case["id"])[0], "resolved")
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"ACTION#{action_id}"}, "SK": {"S": "ACTION"}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": "1700000000"}},
    )
    # When it is opened
    status, page = request(stack, "GET", action_id)
    # Then it says it expired, and the case is as it was
    assert status == 410 and "caducado" in text_of(page)
    assert stack.get_case(case["id"]) == case


def test_a_form_from_one_case_cannot_act_on_another(stack):
    # Given two derived cases and the confirmation page of the first
    first = derived_case(stack)
    first_link = link(emails_to(stack, SUPPORT, first["id"])[0], "resolved")
    _, page = request(stack, "GET", first_link)
    stack.function("WebhookFunction").invoke(sample("x_dm"))
    other = next(c for c in stack.wait_until_triaged() if c["id"] != first["id"])
    other_email = email_to(stack, "ventas@segurosmarea.example", other["id"])
    other_link = link(other_email, "resolved")
    # When the first page's CSRF token is posted to the second case's link
    status, _ = request(stack, "POST", other_link, csrf_token=csrf_of(page), action="resolved")
    # Then it is refused and neither case moved
    assert status == 403
    assert stack.get_case(other["id"])["status"] == "derived"
    assert stack.get_case(first["id"])["status"] == "derived"
