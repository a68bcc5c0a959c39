"""The real case workflow on every path: the ASL executed by moto, the Lambda tasks and
the action-link handler in-process, driven as a department drives it (the emails in the
outbox, the links in them, the confirmation page, the form)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from socialcare_cli.local.http import action_link_event
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample, sample_payload, signed_event

SUPPORT = "atencion.cliente@segurosmarea.example"
SUPPORT_LEAD = "jefe.atencion@segurosmarea.example"
CLAIMS = "siniestros@segurosmarea.example"
SALES = "ventas@segurosmarea.example"
SALES_LEAD = "direccion.comercial@segurosmarea.example"
SOCIAL_TEAM = "redes@segurosmarea.example"
FAST = 1e6  # every business-hours wait becomes the 1-second minimum


# --- driving the stack as a department would -------------------------------------------


def wait_for(
    stack: LocalStack, case_id: str, ready: Callable[[dict[str, Any]], bool], timeout=20.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        case = stack.get_case(case_id)
        if case and ready(case):
            return case
        if time.monotonic() > deadline:
            raise AssertionError(f"case never got there: {json.dumps(case, default=str)[:2000]}")
        time.sleep(0.05)


def deliver(stack: LocalStack, event: dict[str, Any]) -> str:
    """The id of the one case the delivery opened (each test starts with none)."""
    response = stack.function("WebhookFunction").invoke(event)
    assert response["statusCode"] == 200, response
    [case] = stack.list_cases()
    return case["id"]


def deliver_more(stack: LocalStack, event: dict[str, Any]) -> str:
    """The id of the case a delivery opened, among others already there."""
    before = {c["id"] for c in stack.list_cases()}
    response = stack.function("WebhookFunction").invoke(event)
    assert response["statusCode"] == 200, response
    [case_id] = {c["id"] for c in stack.list_cases()} - before
    return case_id


def derived_case(stack: LocalStack, name: str = "telegram_message") -> dict[str, Any]:
    """Deliver a sample and wait until its department has been emailed."""
    case_id = deliver(stack, sample(name))
    case = wait_for(stack, case_id, lambda c: c["status"] == "derived")
    email_to(stack, SOCIAL_TEAM, case_id)  # the copy goes last
    return case


def emails_to(stack: LocalStack, address: str, case_id: str) -> list[dict[str, Any]]:
    return [m for m in stack.outbox() if address in m["to"] and case_id in m["subject"]]


def email_to(
    stack: LocalStack, address: str, case_id: str, *, number: int = 1, timeout: float = 20.0
) -> dict[str, Any]:
    """The `number`th email to `address` about the case, once it has been sent."""
    deadline = time.monotonic() + timeout
    while len(found := emails_to(stack, address, case_id)) < number:
        assert time.monotonic() < deadline, f"no email {number} to {address}"
        time.sleep(0.05)
    return found[number - 1]


def link(email: dict[str, Any], choice: str) -> str:
    """The action id behind one of the email's links."""
    [url] = [u for u in email["links"] if u.endswith(f"?do={choice}")]
    return urlsplit(url).path.rsplit("/", 1)[1]


def request(stack: LocalStack, method: str, action_id: str, **kwargs: Any) -> tuple[int, str]:
    query = kwargs.pop("query", "")
    event = action_link_event(method, action_id, query, kwargs)
    response = stack.function("ActionsFunction").invoke(event)
    assert response["headers"]["Cache-Control"] == "no-store", response
    return response["statusCode"], response["body"]


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def act(stack: LocalStack, action_id: str, choice: str, **form: str) -> tuple[int, str]:
    """Open the link (GET), then confirm on the page (POST with its CSRF token)."""
    status, page = request(stack, "GET", action_id, query=f"do={choice}")
    assert status == 200, page
    return request(stack, "POST", action_id, csrf_token=csrf_of(page), action=choice, **form)


def execution_of(stack: LocalStack, case_id: str) -> dict[str, Any]:
    [execution] = [e for e in stack.executions() if e["name"] == f"case-{case_id}"]
    return execution


def finished(stack: LocalStack, case_id: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (execution := execution_of(stack, case_id))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the workflow is still running"
        time.sleep(0.05)
    return execution


def kinds(case: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in case["timeline"]]


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def fast_deadlines(stack: LocalStack) -> Iterator[LocalStack]:
    before = stack.time_scale
    stack.set_time_scale(FAST)
    yield stack
    stack.set_time_scale(before)


# --- the paths ---------------------------------------------------------------------------


def test_an_autonomous_case_closes_at_triage_and_the_social_team_gets_the_reply(stack):
    # Given praise on the brand's Facebook page (no department needs to act)
    payload = sample_payload("meta_facebook_comment")
    change = payload["entry"][0]["changes"][0]["value"]
    change["message"] = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"
    case_id = deliver(stack, signed_event("meta", payload))
    # When the workflow runs
    case = wait_for(stack, case_id, lambda c: "closed_at" in c)
    # Then it is closed as handled by the social team, nobody else is emailed
    assert (case["status"], case["triage"]["category"]) == ("autonomous", "praise")
    assert kinds(case) == ["case_created", "triaged", "closed"]
    assert finished(stack, case_id)["status"] == "SUCCEEDED"
    [email] = stack.outbox()
    assert email["to"] == [SOCIAL_TEAM] and case_id in email["subject"]
    assert case["triage"]["suggested_replies"]["public"] in email["text"]
    assert email["links"] == []


def test_a_whatsapp_customer_known_by_phone_is_found_by_their_business_scoped_id(stack):
    # Given a known customer (by phone, in the customers table) who adopted a username:
    # Meta sends their business-scoped id first and the phone beside it
    payload = sample_payload("meta_whatsapp_text")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["from_user_id"] = "ES.1410018717833190"
    case_id = deliver(stack, signed_event("meta", payload))
    # When the workflow triages it
    case = wait_for(stack, case_id, lambda c: "triage" in c)
    # Then the author is the business-scoped id, and still recognised as a customer
    assert case["author"]["id"] == "ES.1410018717833190"
    assert case["triage"]["relation"] == "customer"


def test_derived_then_resolved(stack):
    # Given a customer's double charge, derived to customer service
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    # Then the department's email has the case, the deadline and four action links
    assert case["triage"]["priority"] == "P1" and "[P1]" in email["subject"]
    assert "cobrado dos veces" in email["text"] and "Europe/Madrid" in email["text"]
    assert {u.rsplit("=", 1)[1] for u in email["links"]} == {
        "contacted",
        "resolved",
        "not_ours",
        "more_time",
    }
    assert email["html"].count("/actions/") == 4
    [copy] = emails_to(stack, SOCIAL_TEAM, case["id"])
    assert copy["links"] == email["links"]
    # When the department confirms it resolved the case, with a note
    status, page = act(stack, link(email, "resolved"), "resolved", note="Cobro devuelto")
    # Then it is thanked, the case closes as resolved, and the workflow ends
    assert status == 200 and "Resuelto" in text_of(page)
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert closed["status"] == "resolved"
    assert closed["resolved_at"] == closed["department_action_at"]
    assert kinds(closed) == ["case_created", "triaged", "derived", "department_action", "closed"]
    answer = closed["timeline"][3]
    assert answer["data"]["actor"] == "Atención al cliente (level 0)"
    assert (answer["data"]["action"], answer["data"]["note"]) == ("resolved", "Cobro devuelto")
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


def test_contacted_closes_the_case_as_contacted(stack):
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    assert act(stack, link(email, "contacted"), "contacted")[0] == 200
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert closed["status"] == "contacted"
    assert closed["contacted_at"] == closed["department_action_at"]


def test_derived_not_ours_then_resolved_by_the_chosen_department(stack):
    # Given a case derived to customer service
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    # When customer service says it belongs to claims
    status, page = act(stack, link(email, "not_ours"), "not_ours", department="claims")
    # Then claims is emailed new links, and the case is theirs, one hop on
    assert status == 200 and "Siniestros" in text_of(page)
    claims_email = email_to(stack, CLAIMS, case["id"])
    moved = stack.get_case(case["id"])
    assert (moved["status"], moved["hops"], moved["escalation_level"]) == ("derived", 1, 0)
    assert "Otro departamento" in claims_email["text"]
    # And the old link is spent
    assert request(stack, "GET", link(email, "resolved"))[0] == 410
    # When claims resolves it
    status, _ = act(stack, link(claims_email, "resolved"), "resolved")
    # Then the case is resolved by claims
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert (closed["status"], closed["department"]) == ("resolved", "claims")
    assert kinds(closed) == [
        "case_created",
        "triaged",
        "derived",
        "department_action",
        "rederived",
        "department_action",
        "closed",
    ]
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


def test_not_ours_to_its_own_department_or_an_unknown_one_is_refused(stack):
    case = derived_case(stack)
    action_id = link(emails_to(stack, SUPPORT, case["id"])[0], "not_ours")
    assert act(stack, action_id, "not_ours", department="customer_service")[0] == 400
    assert act(stack, action_id, "not_ours", department="nowhere")[0] == 400
    assert stack.get_case(case["id"])["department"] == "customer_service"


def test_derived_more_time_once_then_resolved(stack):
    # Given a case derived to customer service
    case = derived_case(stack)
    [email] = emails_to(stack, SUPPORT, case["id"])
    # When the department needs more time
    status, page = act(stack, link(email, "more_time"), "more_time", note="Esperando banco")
    # Then the deadline moves on by its SLA and new links arrive
    assert status == 200 and "Europe/Madrid" in text_of(page)
    new_email = email_to(stack, SUPPORT, case["id"], number=2)
    extended = stack.get_case(case["id"])
    assert extended["deadline"] > case["deadline"]
    assert (extended["status"], extended["department"]) == ("derived", "customer_service")
    assert "Plazo ampliado" in new_email["subject"]
    # And a second extension is refused, the link staying usable
    assert act(stack, link(new_email, "more_time"), "more_time")[0] == 409
    # When it is then resolved
    assert act(stack, link(new_email, "resolved"), "resolved")[0] == 200
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert closed["status"] == "resolved"
    assert kinds(closed)[2:] == [
        "derived",
        "department_action",
        "extended",
        "department_action",
        "closed",
    ]
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


def test_timeout_escalates_to_the_supervisor_who_resolves(stack, fast_deadlines):
    # Given a case whose department's deadline passes in a second
    case = derived_case(stack)
    stack.set_time_scale(1)  # the supervisor then gets a real business-hours deadline
    # When nobody acts
    email = email_to(stack, SUPPORT_LEAD, case["id"])
    # Then the supervisor gets the case with the same actions and a new deadline
    escalated = stack.get_case(case["id"])
    assert (escalated["status"], escalated["escalation_level"]) == ("escalated", 1)
    assert "sla_breached" not in escalated
    assert "ESCALADO nivel 1" in email["subject"] and len(email["links"]) == 4
    assert escalated["deadline"] >= case["deadline"]
    # When the supervisor resolves it
    assert act(stack, link(email, "resolved"), "resolved")[0] == 200
    # Then the case is resolved at level 1, within SLA
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert (closed["status"], closed["escalation_level"]) == ("resolved", 1)
    assert kinds(closed)[2:] == ["derived", "escalated", "department_action", "closed"]
    assert closed["timeline"][4]["data"]["actor"] == "Responsable de atención al cliente (level 1)"
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


def test_timeouts_at_every_level_end_breached(stack, fast_deadlines):
    # Given a sales lead nobody answers: sales, its director, then the main contact
    case = derived_case(stack, "x_dm")
    assert case["department"] == "sales"
    # When every deadline passes
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    # Then the case was escalated twice, marked SLA-breached, and closed as breached
    assert (closed["status"], closed["escalation_level"], closed["sla_breached"]) == (
        "breached",
        2,
        True,
    )
    assert kinds(closed)[2:] == ["derived", "escalated", "escalated", "closed"]
    levels = [e["data"].get("level") for e in closed["timeline"] if e["kind"] == "escalated"]
    assert levels == [1, 2]
    for address in (SALES, SALES_LEAD, SUPPORT):
        assert len(emails_to(stack, address, case["id"])) == 1, address
    [main_contact] = emails_to(stack, SUPPORT, case["id"])
    assert "SLA" in main_contact["text"]
    assert len(emails_to(stack, SOCIAL_TEAM, case["id"])) == 3
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


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


def telegram_complaint(number: int) -> dict[str, Any]:
    payload = sample_payload("telegram_message")
    payload["update_id"] += number
    message = payload["message"]
    message["message_id"] += number
    message["from"]["id"] = message["chat"]["id"] = 700000 + number
    message["text"] = "Me habéis cobrado dos veces el recibo, es una vergüenza"
    return signed_event("telegram", payload)


def test_a_burst_of_negative_cases_on_one_topic_alerts_the_crisis_contacts_once(stack):
    # Given seven customers complaining about the same thing within minutes (threshold: >5)
    for number in range(7):
        case_id = deliver_more(stack, telegram_complaint(number))
        wait_for(stack, case_id, lambda c: c["status"] != "new" and "triage" in c)
    # Then the sixth and seventh are flagged as a crisis, and one alert went out
    cases = stack.list_cases()
    assert [c["triage"]["crisis"] for c in cases] == [False] * 5 + [True] * 2
    alerts = [m for m in stack.outbox() if "crisis@segurosmarea.example" in m["to"]]
    assert len(alerts) == 1 and "ALERTA DE CRISIS: 6 casos" in alerts[0]["subject"]
    assert cases[5]["triage"]["priority"] == "P1"
    assert [e["kind"] for e in cases[5]["timeline"]].count("crisis_alert") == 1


def test_a_failed_resume_answers_503_and_the_link_stays_usable(stack):
    # Given Step Functions refusing SendTaskSuccess once
    from socialcare.adapters.dynamodb.workflow import CaseWorkflowStore
    from socialcare.adapters.step_functions import StepFunctionsTaskTokens
    from socialcare.app.action_links import ActionDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from tests.integration.test_webhook_handler import client

    case = derived_case(stack)
    action_id = link(emails_to(stack, SUPPORT, case["id"])[0], "resolved")
    _, page = request(stack, "GET", action_id)
    flaky = ActionDependencies(
        store=CaseWorkflowStore(client(stack, "dynamodb"), stack.cases_table),
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
