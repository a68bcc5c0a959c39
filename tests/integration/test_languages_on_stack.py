"""One language per reader on the local stack: an English X customer is surveyed in
English (what the emulated X received) and reads the survey page in English; a Spanish
department reads a masked phone as «[teléfono]», an English one as "[phone]"."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_outbound_on_stack import browse
from tests.integration.workflow_helpers import (
    SUPPORT,
    act,
    deliver,
    deliver_more,
    email_to,
    link,
    text_of,
    wait_for,
)

IT_SUPPORT = "it-support@segurosmarea.example"  # web_it reads English (routing.yaml)


def an_x_dm(text: str, message_id: str, sender: str = "2200000000000000002") -> dict:
    """X's sample DM, written now by `sender`, saying `text` (X's DM events carry no
    language)."""
    sample = json.dumps(sample_payload("x_dm")).replace("2200000000000000002", sender)
    body = dated(json.loads(sample), datetime.now(UTC))
    [event] = body["direct_message_events"]
    event["id"] = message_id
    event["message_create"]["message_data"]["text"] = text
    return signed_event("x", body)


def test_an_english_x_customer_is_surveyed_in_english_and_staff_read_their_own(stack, api):
    # Given an English X customer's complaint with their phone, and one about the app
    stack.set_outbound_mode("live")
    complaint = "You charged me twice this month and nobody calls back. My phone is 612 345 678"
    case_id = deliver(stack, an_x_dm(complaint, "1861000000000000301"))
    app = "Your app login fails with an error since yesterday, call me on 612 345 679"
    app_case = deliver_more(stack, an_x_dm(app, "1861000000000000302", "2200000000000000003"))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    # When customer service (Spanish) and web IT (English) get their emails, and customer
    # service resolves the complaint
    spanish = email_to(stack, SUPPORT, case_id)
    english = email_to(stack, IT_SUPPORT, app_case)
    status, _ = act(stack, link(spanish, "resolved"), "resolved")
    assert status == 200
    wait_for(stack, case_id, lambda c: c.get("survey_sent_at"))
    # Then X received the survey DM in English, and its page is in English
    [survey] = [
        c
        for c in stack.platforms.calls_made()
        if c["platform"] == "x" and "/survey/" in str(c["body"])
    ]
    text = survey["body"]["text"]
    assert text.startswith("We have closed your request"), text
    url = re.search(r"https?://\S+/survey/\S+", text).group(0)
    page = text_of(browse("GET", url).body.decode())
    assert "How well did we help you" in page and "Hemos cerrado" not in page, page
    case = stack.get_case(case_id)
    assert (case["survey_language"], case["survey_language_fallback"]) == ("en", False)
    # And each department reads the masked phone in its own language
    assert "[teléfono]" in spanish["text"] and "[phone]" not in spanish["text"]
    assert "[phone]" in english["text"] and "[teléfono]" not in english["text"]
