"""What a subject access export shows: everything about the person, and none of the
capabilities the stack keeps beside it (an action link's id opens the department's page
and closes the case; a survey or publish link's key, a task or CSRF token act too)."""

from __future__ import annotations

import json

from socialcare.domain.privacy import Held, HoldingKind, Person, PersonalData
from socialcare.presentation.privacy_export import export_document

CASE_ID = "20261124-0123456789abcdef"
ACTION = "6I1gaq5lROz-Rc5TPFL-UFG8rS_zm0zY"  # the department's link, still pending
OLD_ACTION = "cLymE3zmac4cYWOiyVLmsWe6YBEaNKAy"  # the link escalation superseded
SURVEY_KEY = "wepmAM61oesrPaEeN12g6MdZDMVOwrmA"
PUBLISH_KEY = "Cq95lQq96WwfDEt6OMrU56Hxx9XZ-Qqe"
CSRF = "Z3bq1Lw0mDqS0rXyq0HkU8Zy1iJ0o9Yc"
TASK_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAdz4cQ" + "x" * 200
OUTBOUND_ID = "4cf9e47f1c36fbd243f3ce829d1b466a"
SURVEY_URL = f"https://api.example/survey/{CASE_ID}.{SURVEY_KEY}"
NURIA = Person.of("telegram", "555000111")


def her_case_held() -> list[Held]:
    """Her Telegram case as the table holds it: escalated, its supervisor's link pending,
    the department's reply sent through the first link, a survey sent as a link."""
    case = {
        "PK": f"CASE#{CASE_ID}",
        "SK": "CASE",
        "id": CASE_ID,
        "platform": "telegram",
        "channel": "telegram",
        "author": {"id": "555000111", "display_name": "Nuria Campos"},
        "status": "escalated",
        "current_action": ACTION,
        "publish_link": {"key": PUBLISH_KEY, "csrf_token": CSRF, "used_at": "2026-11-24T10:00Z"},
        "survey_link": {"key": SURVEY_KEY, "csrf_token": CSRF},
        "survey_score": 2,
        "workflow_execution_arn": f"arn:aws:states:eu-west-1:1:execution:wf:case-{CASE_ID}",
    }
    pending = {
        "PK": f"ACTION#{ACTION}",
        "SK": "ACTION",
        "case_id": CASE_ID,
        "task_token": TASK_TOKEN,
        "csrf_token": CSRF,
        "status": "pending",
        "recipients": ["jefe.atencion@segurosmarea.example"],
    }
    used = {
        "PK": f"ACTION#{OLD_ACTION}",
        "SK": "ACTION",
        "case_id": CASE_ID,
        "task_token": TASK_TOKEN,
        "csrf_token": CSRF,
        "status": "used",
        "choice": "contacted",
        "note": f"Reenviado, el enlace era https://api.example/actions/{ACTION}",
    }
    reply = {
        "PK": f"OUTBOUND#{OUTBOUND_ID}",
        "SK": "OUTBOUND",
        "id": OUTBOUND_ID,
        "case_id": CASE_ID,
        "purpose": f"reply:{OLD_ACTION}",
        "request": {"kind": "message", "text": "Hola Nuria, ya está devuelto"},
        "status": "sent",
        "lease_until": "2026-11-24T10:01Z",
    }
    survey = {
        "at": "2026-11-24T11:00Z",
        "kind": "outbound_sent",
        "data": {"action_id": OUTBOUND_ID, "text": f"¿Qué tal te hemos atendido? {SURVEY_URL}"},
    }
    return [
        Held(HoldingKind.TIMELINE_ENTRY, CASE_ID, ("CASE#x", "EVENT#1"), survey),
        Held(HoldingKind.ACTION_LINK, CASE_ID, (pending["PK"], "ACTION"), pending),
        Held(HoldingKind.ACTION_LINK, CASE_ID, (used["PK"], "ACTION"), used),
        Held(HoldingKind.OUTBOUND_MESSAGE, CASE_ID, (reply["PK"], "OUTBOUND"), reply),
        Held(HoldingKind.CASE, CASE_ID, (case["PK"], "CASE"), case),
    ]


def exported(held: list[Held]) -> dict:
    return export_document(PersonalData((NURIA,), tuple(held)), "2026-11-24T12:00:00+00:00")


def test_an_export_holds_no_capability_of_her_cases():
    # Given her escalated case: a pending link, a used one, a reply, a survey sent
    # When it is exported
    text = json.dumps(exported(her_case_held()), ensure_ascii=False)
    # Then no link id, key, task token or CSRF token is in it, however it was kept
    for capability in (ACTION, OLD_ACTION, SURVEY_KEY, PUBLISH_KEY, CSRF, TASK_TOKEN):
        assert capability not in text, capability
    assert "current_action" not in text and "lease_until" not in text


def test_an_export_keeps_what_is_about_her_and_what_was_done():
    # Given the same case
    document = exported(her_case_held())
    # When it is read
    [case] = document["cases"]
    # Then the case, the answers, what the brand sent and when the reply was published
    # are there; a text that carried a link keeps its words and the link's route
    assert case["case"]["survey_score"] == 2 and case["case"]["status"] == "escalated"
    assert case["case"]["publish_link"] == {"used_at": "2026-11-24T10:00Z"}
    assert "survey_link" not in case["case"]
    assert [link["status"] for link in case["action_links"]] == ["pending", "used"]
    assert case["action_links"][1]["note"].startswith("Reenviado, el enlace era ")
    [sent] = case["messages_sent_by_the_brand"]
    assert sent["request"]["text"] == "Hola Nuria, ya está devuelto"
    assert sent["id"] == OUTBOUND_ID and sent["purpose"] == "reply:[redacted]"
    [event] = case["timeline"]
    assert event["data"]["text"] == (
        f"¿Qué tal te hemos atendido? https://api.example/survey/{CASE_ID}.[redacted]"
    )


def test_a_capability_kept_under_a_field_named_later_is_left_out_too():
    # Given her case with a field no one has told the export about, holding a link's id
    held = her_case_held()
    held[-1].data["previous_action"] = OLD_ACTION
    held[-1].data["reopen_link"] = {"key": "r" * 32, "opened_at": "2026-11-25T09:00Z"}
    # When it is exported
    [case] = exported(held)["cases"]
    # Then the id and the key are left out, what else the field says stays
    assert "previous_action" not in case["case"]
    assert case["case"]["reopen_link"] == {"opened_at": "2026-11-25T09:00Z"}
