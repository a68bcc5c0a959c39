"""The real case workflow on every path: the ASL executed by moto, the Lambda tasks and
the action-link handler in-process, driven as a department drives it (the emails in the
outbox, the links in them, the confirmation page, the form)."""

from __future__ import annotations

from typing import Any

from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails
from socialcare.adapters.dynamodb.table import CasesTable
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    CLAIMS,
    SALES,
    SALES_LEAD,
    SOCIAL_TEAM,
    SUPPORT,
    SUPPORT_LEAD,
    act,
    csrf_of,
    deliver,
    deliver_more,
    derived_case,
    email_to,
    emails_to,
    finished,
    kinds,
    link,
    request,
    text_of,
    wait_for,
)


def test_an_autonomous_case_closes_at_triage_and_the_social_team_gets_the_reply(stack):
    # Given praise on the brand's Facebook page (no department needs to act)
    payload = sample_payload("meta_facebook_comment")
    change = payload["entry"][0]["changes"][0]["value"]
    change["message"] = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"
    case_id = deliver(stack, signed_event("meta", payload))
    # When the table's stream brings it to triage
    case = wait_for(stack, case_id, lambda c: "closed_at" in c)
    # Then triage closes it as handled by the social team, without any workflow, and
    # nobody else is emailed
    assert (case["status"], case["triage"]["category"]) == ("autonomous", "praise")
    assert kinds(case) == ["case_created", "triaged", "closed"]
    assert stack.wait_for_executions() == []
    [email] = stack.outbox()
    assert email["to"] == [SOCIAL_TEAM] and case_id in email["subject"]
    assert case["triage"]["suggested_replies"]["public"] in email["text"]
    # ... with the one link that publishes the suggested reply on the platform
    # (and the comment's own address on Facebook)
    post, publish = email["links"]
    assert f"/publish/{case_id}." in publish
    assert post.startswith("https://www.facebook.com/") and "comment_id=" in post


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
    # The social team's copy also carries the link that publishes the suggested reply
    assert [u for u in copy["links"] if "/publish/" not in u] == email["links"]
    assert len([u for u in copy["links"] if "/publish/" in u]) == 1
    assert "/publish/" not in email["html"]
    # When the department confirms it resolved the case, with a note
    status, page = act(stack, link(email, "resolved"), "resolved", note="Cobro devuelto")
    # Then it is thanked, the case closes as resolved, and the workflow ends
    assert status == 200 and "Resuelto" in text_of(page)
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert closed["status"] == "resolved"
    assert closed["resolved_at"] == closed["department_action_at"]
    assert workflow_kinds(closed) == [
        "case_created",
        "triaged",
        "derived",
        "department_action",
        "closed",
    ]
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
    # ... and the reply the social team may publish names claims, not customer service
    assert "Atención al cliente" in case["triage"]["suggested_replies"]["private"]
    restated = moved["triage"]["suggested_replies"]["private"]
    assert "Siniestros" in restated and "Atención al cliente" not in restated
    # And the old link is spent
    assert request(stack, "GET", link(email, "resolved"))[0] == 410
    # When claims resolves it
    status, _ = act(stack, link(claims_email, "resolved"), "resolved")
    # Then the case is resolved by claims
    closed = wait_for(stack, case["id"], lambda c: "closed_at" in c)
    assert (closed["status"], closed["department"]) == ("resolved", "claims")
    assert workflow_kinds(closed) == [
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
    assert workflow_kinds(closed)[2:] == [
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
    assert workflow_kinds(closed)[2:] == ["derived", "escalated", "department_action", "closed"]
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
    assert workflow_kinds(closed)[2:] == ["derived", "escalated", "escalated", "closed"]
    levels = [e["data"].get("level") for e in closed["timeline"] if e["kind"] == "escalated"]
    assert levels == [1, 2]
    for address in (SALES, SALES_LEAD, SUPPORT):
        assert len(emails_to(stack, address, case["id"])) == 1, address
    [main_contact] = emails_to(stack, SUPPORT, case["id"])
    assert "superado su plazo de respuesta" in main_contact["text"]
    # The social team heard of it once; both escalations wait for its digest (at most one
    # email a case an hour)
    assert len(emails_to(stack, SOCIAL_TEAM, case["id"])) == 1
    owed = DynamoDBOwedEmails(CasesTable(stack.client("dynamodb"), stack.cases_table)).owed_emails()
    assert [(o.case_id, o.hold.value) for o in owed] == [(case["id"], "digest")] * 2
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"


def test_a_department_that_answers_after_the_breach_makes_the_case_resolved_late(
    stack, fast_deadlines
):
    # Given a case that breached at every level, and the first department's email
    case = derived_case(stack, "x_dm")
    first_email = email_to(stack, SALES, case["id"])
    wait_for(stack, case["id"], lambda c: c.get("status") == "breached")
    # When that department confirms, late, that it resolved it
    status, page = act_late(stack, link(first_email, "resolved"), "resolved")
    # Then the page says it was noted and that the case had been escalated; the case is
    # resolved late, its breach kept
    assert status == 410 and "se había escalado" in text_of(page)
    closed = stack.get_case(case["id"])
    assert (closed["status"], closed["sla_breached"], closed["resolved_late"]) == (
        "resolved",
        True,
        True,
    )
    assert closed["resolved_at"] and "resolved_late" in kinds(closed)


def act_late(stack, action_id: str, choice: str) -> tuple[int, str]:
    """Open a link that no longer acts (410, with the late answer's form) and answer."""
    status, page = request(stack, "GET", action_id)
    assert status == 410 and 'name="csrf_token"' in page, page
    return request(stack, "POST", action_id, csrf_token=csrf_of(page), action=choice)


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


def workflow_kinds(case: dict) -> list[str]:
    """The timeline without what went out on the platforms (a closing's survey is sent
    by the actions function while the workflow records the closing: either may be first)."""
    return [kind for kind in kinds(case) if not kind.startswith("outbound_")]
