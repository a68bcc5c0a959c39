"""WhatsApp's statuses webhook on the local stack: a reply the Cloud API took (200, a
wamid) and later reported failed is marked failed on its record and the case's timeline,
and reaches the social team in its next digest.
https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from socialcare.adapters.dynamodb.items import decode_item
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    SOCIAL_TEAM,
    SUPPORT,
    csrf_of,
    deliver,
    deliver_more,
    email_to,
    kinds,
    link,
    request,
    text_of,
    wait_for,
)

COMPLAINT = "Me habéis cobrado dos veces el recibo, quiero la devolución"
PRAISE = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"


def test_a_failed_status_marks_the_reply_failed_and_the_next_digest_lists_it(stack):
    # Given a WhatsApp reply from a department's page that the Cloud API took
    body = dated(sample_payload("meta_whatsapp_text"), datetime.now(UTC))
    body["entry"][0]["changes"][0]["value"]["messages"][0]["text"] = {"body": COMPLAINT}
    case_id = deliver(stack, signed_event("meta", body))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    form = {"csrf_token": csrf_of(page), "action": "contacted", "reply": "Hola, te llamamos hoy."}
    status, done = request(stack, "POST", action_id, **form)
    assert status == 200, text_of(done)
    [sent] = department_replies(stack)
    assert sent["status"] == "sent" and sent["message_id"].startswith("wamid.")
    # When WhatsApp reports it read, then a late delivered (the order is not promised)
    receipts = sample_payload("meta_whatsapp_read_then_delivered")
    for status in receipts["entry"][0]["changes"][0]["value"]["statuses"]:
        status["id"] = sent["message_id"]
    answer = stack.function("WebhookFunction").invoke(signed_event("meta", receipts))
    # Then the latest is kept, never backwards
    assert json.loads(answer["body"])["statuses"] == 1
    [read] = department_replies(stack)
    assert (read["status"], read["receipt"]) == ("sent", "read")
    # When WhatsApp reports it failed (131047), signed as Meta signs it, twice (a retry)
    failure = sample_payload("meta_whatsapp_failed_status")
    failure["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = sent["message_id"]
    answers = [
        stack.function("WebhookFunction").invoke(signed_event("meta", failure)) for _ in "12"
    ]
    # Then the record is failed with the platform's code, once, on the case's timeline
    assert [json.loads(a["body"])["statuses"] for a in answers] == [1, 0]
    [failed] = department_replies(stack)
    assert (failed["status"], failed["error_code"]) == ("failed", 131047)
    case = stack.get_case(case_id)
    assert kinds(case).count("outbound_failed") == 1
    [event] = [e for e in case["timeline"] if e["kind"] == "outbound_failed"]
    assert event["data"]["error_code"] == 131047 and "template" in event["data"]["reason"]
    assert len(stack.list_cases()) == 1  # a status never makes a case
    # ... and the social team's next digest (an autonomous case read later) names it
    payload = sample_payload("meta_facebook_comment")
    payload["entry"][0]["changes"][0]["value"]["message"] = PRAISE
    praise_id = deliver_more(stack, signed_event("meta", payload))
    digest = email_to(stack, SOCIAL_TEAM, praise_id)
    assert case_id in digest["text"] and "WhatsApp informa de que no le llegó" in digest["text"]
    assert "plantilla aprobada" in digest["text"]  # what to do: only a template reaches them


def department_replies(stack) -> list[dict]:
    """The outbound records of replies from an action page (not the pointers a send
    leaves for its statuses)."""
    dynamodb = stack.client("dynamodb")
    page = dynamodb.scan(TableName=stack.cases_table)
    items = [decode_item(i) for i in page["Items"]]
    return [
        i
        for i in items
        if i["PK"].startswith("OUTBOUND#")
        and i["SK"] == "OUTBOUND"
        and i["purpose"].startswith("reply:")
    ]
