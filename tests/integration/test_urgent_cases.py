"""Urgent cases on the real workflow: P1, the department's shortest deadline, and one
immediate alert to the social team, whatever the retries."""

from __future__ import annotations

from datetime import UTC, datetime

from socialcare.app.triage import Triager
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample_payload, signed_event, stream_event
from tests.integration.test_case_workflow import (
    CLAIMS,
    SOCIAL_TEAM,
    deliver,
    email_to,
    emails_to,
    wait_for,
)

STRANDED = (
    "Estoy tirado en el arcén de la A-4 con mis dos hijos después de un accidente "
    "y la grúa no llega, por favor"
)


def telegram(text: str) -> dict:
    payload = sample_payload("telegram_message")
    payload["message"]["text"] = text
    return signed_event("telegram", payload)


def test_an_urgent_case_alerts_the_social_team_at_once_and_gets_the_shortest_deadline(
    stack: LocalStack,
):
    # Given a driver stranded with children after an accident
    case_id = deliver(stack, telegram(STRANDED))
    # When the workflow triages and derives it
    case = wait_for(stack, case_id, lambda c: c["status"] == "derived")
    # Then it is urgent and P1, claims has it with their P1 deadline (8 business hours)
    assert case["triage"]["urgent"] is True and case["triage"]["priority"] == "P1"
    assert case["department"] == "claims"
    derived = email_to(stack, CLAIMS, case_id)
    assert derived["subject"].startswith("[P1]")
    deadline = datetime.fromisoformat(case["deadline"])
    latest = Triager().routing.calendar_of("claims").add_business_hours(datetime.now(UTC), 8)
    assert datetime.fromisoformat(case["created_at"]) < deadline <= latest
    # And the social team got one urgent alert, before the derivation's copy
    [alert] = [m for m in emails_to(stack, SOCIAL_TEAM, case_id) if "URGENTE" in m["subject"]]
    assert alert["subject"].startswith("[URGENTE P1]") and STRANDED[:40] in alert["text"]
    assert [e["kind"] for e in case["timeline"]].count("urgent_alert") == 1


def test_a_redelivered_stream_record_does_not_triage_or_alert_twice(stack: LocalStack):
    # Given an urgent case already triaged (its alert sent, its workflow started)
    case_id = deliver(stack, telegram(STRANDED))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    # When the stream delivers its record again
    response = stack.function("TriageFunction").invoke(stream_event(case_id))
    # Then the record is done, the social team still has one alert, one workflow runs
    assert response == {"batchItemFailures": []}
    alerts = [m for m in emails_to(stack, SOCIAL_TEAM, case_id) if "URGENTE" in m["subject"]]
    assert len(alerts) == 1
    assert [e["name"] for e in stack.executions()] == [f"case-{case_id}"]
    assert [e["kind"] for e in stack.get_case(case_id)["timeline"]].count("triaged") == 1
