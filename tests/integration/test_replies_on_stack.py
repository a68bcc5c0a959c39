"""Suggested replies that fit who wrote and what happened, through the real webhook,
stream, triage and workflow of the local stack (issue 30, finding 2): what the social
team finds pre-filled on its publish page for an urgent accident from someone who is not
a customer, a known customer, and a lead asking for a quote."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.samples import http_request
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import SOCIAL_TEAM, deliver, email_to, wait_for

ACCIDENT = (
    "Acabo de tener un accidente en la A-6 con mis hijos en el coche, estamos en el arcén "
    "y no sé qué hacer"
)
QUOTE = "Hola, quería pedir presupuesto para un seguro de coche, ¿cuánto me costaría?"
IDENTIFY = re.compile(r"póliza|DNI|identif|correo con el que|policy|signed up", re.IGNORECASE)


def instagram_dm(text: str) -> dict[str, Any]:
    """A DM from an Instagram author who is not on the customers list."""
    body = dated(sample_payload("meta_instagram_dm"), datetime.now(UTC))
    body["entry"][0]["messaging"][0]["message"]["text"] = text
    return signed_event("meta", body)


def prefilled(stack, case_id: str) -> list[str]:
    """The replies on the social team's publish page, as its copy of the case links it."""
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    copy = email_to(stack, SOCIAL_TEAM, case_id)
    [url] = [u for u in copy["links"] if "/publish/" in u]
    page = http_request("GET", url, {}).body.decode()
    return [html.unescape(t) for t in re.findall(r"<textarea[^>]*>([^<]*)</textarea>", page)]


def test_an_urgent_accident_from_someone_unknown_gets_the_emergency_line_and_no_paperwork(
    stack, api
):
    # Given a driver who is not a customer, in an accident with her children
    case_id = deliver(stack, instagram_dm(ACCIDENT))
    # When triage derives it to claims
    # Then the reply the social team may send gives 112 and the 24-hour line at once,
    # asks for no policy or identity, and says claims' real deadline as a day and time
    [reply] = prefilled(stack, case_id)
    assert "112" in reply and "900 000 000" in reply, reply
    assert not IDENTIFY.search(reply) and "laborables" not in reply, reply
    assert re.search(r"antes del \w+ \d+ (de \w+ )?a las? \d+:\d\d", reply), reply
    # And triage saw a person at risk, urgent
    triage = stack.get_case(case_id)["triage"]
    assert triage["urgent"] and triage.get("safety"), triage


def test_a_known_customer_is_greeted_by_name_and_not_asked_to_identify(stack, api):
    # Given Javier Ruiz, on the customers list, writing on WhatsApp about the app just now
    # (inside the 24-hour window, so the page offers the words, not the template)
    body = dated(sample_payload("meta_whatsapp_text"), datetime.now(UTC))
    case_id = deliver(stack, signed_event("meta", body))
    case = wait_for(stack, case_id, lambda c: "triage" in c)
    assert case["triage"]["relation"] == "customer" and case["customer_reference"]
    # Then his reply greets him by name and asks nothing to find him
    [reply] = prefilled(stack, case_id)
    assert reply.startswith("Hola, Javier:\n"), reply
    assert not IDENTIFY.search(reply), reply


def test_a_lead_asking_for_a_quote_gets_a_sales_reply_with_a_next_step(stack, api):
    # Given someone who is not a customer asking for a car insurance quote
    case_id = deliver(stack, instagram_dm(QUOTE))
    # Then sales will contact them by a day and a time, and they are told what to send
    [reply] = prefilled(stack, case_id)
    assert "Comercial" in reply and "qué quieres asegurar" in reply and "teléfono" in reply
    assert not IDENTIFY.search(reply), reply
