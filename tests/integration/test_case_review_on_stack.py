"""A case triage is unsure of, on the local stack (DynamoDB, Step Functions and SES in
its emulator): praise that needs review stays open with `needs_review` on its case item
(the console's review queue reads it), and a person's confirmation closes it as the
autonomous path would have, once; a derived one still goes to its department, flagged."""

from __future__ import annotations

import json
from dataclasses import replace

from socialcare.app.case_review import ReviewResult, confirm_review
from socialcare.app.case_triage import TriageOutcome, triage_case
from socialcare.bootstrap.console_review import dependencies as review_dependencies
from socialcare_cli.local.dependencies import stack_root, triage_dependencies
from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample, sample_payload, signed_event
from tests.integration.webhook_helpers import deliver
from tests.unit.test_case_review import ANA, UnsureTriager

PRAISE = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"


def unsure_triage(stack: LocalStack, case_id: str, reasons: tuple[str, ...] = ("category",)):
    """Triage as the stack runs it, unsure of `reasons` (what the model slice decides)."""
    deps = replace(triage_dependencies(stack), triager=UnsureTriager(reasons))
    return triage_case(case_id, deps)


def kinds(case: dict) -> list[str]:
    return [event["kind"] for event in case["timeline"]]


def test_praise_that_needs_review_waits_open_and_a_confirmation_closes_it_once(
    stack: LocalStack,
):
    # Given praise on the brand's page, triaged by a triage unsure of its category
    with stack.streams_paused():
        payload = sample_payload("meta_facebook_comment")
        payload["entry"][0]["changes"][0]["value"]["message"] = PRAISE
        deliver(stack, signed_event("meta", payload))
        [recorded] = stack.list_cases()
        triaged = unsure_triage(stack, recorded["id"])
    assert stack.wait_for_streams()  # the stream's own delivery finds it held, too
    # Then it stays open in the review queue, the social team not emailed
    case = stack.case(recorded["id"])
    assert triaged.outcome is TriageOutcome.HELD_FOR_REVIEW
    assert case["status"] == "triaged" and "closed_at" not in case
    assert case["needs_review"] is True and case["review_reasons"] == ["category"]
    assert case["triage"]["needs_review"] is True
    [event] = [e for e in case["timeline"] if e["kind"] == "triaged"]
    assert event["data"]["needs_review"] is True
    assert stack.outbox() == [] and stack.executions() == []
    # When a person confirms it in the console, twice
    review = review_dependencies(stack_root(stack))
    first = confirm_review(recorded["id"], ANA, review)
    second = confirm_review(recorded["id"], ANA, review)
    # Then it is closed as the autonomous path closes it, once, and says who confirmed
    assert (first.result, first.then) == (ReviewResult.CONFIRMED, TriageOutcome.AUTONOMOUS)
    assert second.result is ReviewResult.CLOSED
    case = stack.case(recorded["id"])
    assert case["status"] == "autonomous" and case["needs_review"] is False
    assert kinds(case).count("review_confirmed") == 1 and kinds(case).count("closed") == 1
    [confirmed] = [e for e in case["timeline"] if e["kind"] == "review_confirmed"]
    assert confirmed["data"]["by"] == "ana"
    [email] = stack.outbox()
    assert recorded["id"] in email["subject"]


def test_a_derived_case_that_needs_review_still_goes_to_its_department_flagged(
    stack: LocalStack,
):
    # Given a complaint by DM, triaged by a triage unsure of its urgency
    with stack.streams_paused():
        deliver(stack, sample("x_dm"))
        [recorded] = stack.list_cases()
        triaged = unsure_triage(stack, recorded["id"], ("urgent",))
    assert stack.wait_for_streams()
    # Then its workflow started and it waits in the review queue all the same
    assert triaged.outcome is TriageOutcome.DERIVED and len(stack.executions()) == 1
    assert stack.case(recorded["id"])["needs_review"] is True
    # And the department's email says what triage is unsure of
    department = [m for m in stack.outbox() if "Triaje dudoso: la urgencia" in m["text"]]
    assert department, [m["subject"] for m in stack.outbox()]


def _console_call(stack: LocalStack, method: str, path: str, query: str = "") -> dict:
    """The console function's answer, its person fixed (signing in is the access area's)."""
    from socialcare.bootstrap.console import area_dependencies, routes
    from socialcare.presentation.console.router import Console
    from socialcare.settings import get_settings

    # What the console function is given for the access area (the pages' CSRF key); the
    # person is fixed here: signing in is the access area's.
    outputs = stack.stack_outputs()
    settings = replace(
        get_settings(),
        user_pool_id=outputs["UserPoolId"],
        user_pool_client_id=outputs["UserPoolClientId"],
        console_csrf_secret_id=outputs["ConsoleCsrfSecretArn"],
        cognito_jwks_url=stack.console_login_environment()["COGNITO_JWKS_URL"],
    )
    root = stack_root(stack, settings)
    console = Console(
        routes=routes(),
        identify=lambda request: ANA,
        csrf_valid=lambda who, token: False,
        area=lambda area: area_dependencies(root, area),
    )
    event = to_http_api_event(method, path, query, {}, b"", "ANY /console/{proxy+}", {})
    return stack.function("ConsoleFunction").invoke(event, console=console)


def test_the_inbox_lists_it_for_review_and_the_console_api_confirms_it(stack: LocalStack, api: str):
    # Given praise triage is unsure of
    with stack.streams_paused():
        payload = sample_payload("meta_facebook_comment")
        payload["entry"][0]["changes"][0]["value"]["message"] = PRAISE
        deliver(stack, signed_event("meta", payload))
        [recorded] = stack.list_cases()
        unsure_triage(stack, recorded["id"])
    # Then the inbox shows it in the review queue
    listed = _console_call(stack, "GET", "/console/api/cases", "queue=needs_review")
    assert listed["statusCode"] == 200, listed["body"]
    listed = json.loads(listed["body"])
    [row] = listed["cases"]
    assert row["id"] == recorded["id"] and row["needs_review"] is True
    # When a person confirms it through the console's API
    answer = _console_call(stack, "POST", f"/console/api/cases/{recorded['id']}/review")
    # Then it is closed as triage would have closed it, and leaves the inbox
    assert answer["statusCode"] == 200, answer["body"]
    assert json.loads(answer["body"]) == {"result": "confirmed", "then": "autonomous"}
    assert stack.case(recorded["id"])["status"] == "autonomous"
    after = json.loads(_console_call(stack, "GET", "/console/api/cases")["body"])
    assert recorded["id"] not in [case["id"] for case in after["cases"]]
