"""Nothing the brand says is false, on the local stack: the private reply goes first, the
public reply says "we have written to you privately" only once it went (else how to reach
the brand), the publish page says beforehand what can go, and every page and timeline
entry reports what the platforms received (the template's words when WhatsApp's template
replaced the written ones). Judged from the emulator's calls and the case's timeline."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from socialcare.config.loaders import outbound_config
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_outbound_on_stack import browse, sent
from tests.integration.workflow_helpers import (
    SOCIAL_TEAM,
    SUPPORT,
    csrf_of,
    deliver,
    email_to,
    kinds,
    link,
    request,
    text_of,
    wait_for,
)

CLAIM = "Te hemos enviado un mensaje privado"


def words(page: str) -> str:
    body = page.split("</style>")[-1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', page) or re.search(
        rf'name="{name}" value="([^"]*)"', page
    )
    return html.unescape(found.group(1)) if found else None


def publish_url(stack, case_id: str) -> str:
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, case_id)["links"] if "/publish/" in u]
    return url


def a_comment(written: datetime) -> dict:
    return signed_event("meta", dated(sample_payload("meta_facebook_comment"), written))


def posts(stack) -> list[dict]:
    return [c for c in stack.platforms.calls_made() if c["method"] == "POST"]


def test_a_comment_past_seven_days_gets_the_contact_path_said_before_and_after(stack, api):
    # Given a complaint commented 10 days ago, derived, and the social team's link
    case_id = deliver(stack, a_comment(datetime.now(UTC) - timedelta(days=10)))
    url = publish_url(stack, case_id)
    # When the social team opens the page
    page = browse("GET", url).body.decode()
    # Then, before «Publicar», it says the private reply cannot go and offers the public
    # reply with the contact path, each reply once
    before = words(page.split("<button", 1)[0])
    assert "7 días" in before and CLAIM not in before, before
    assert field(page, "private_text") is None
    public = field(page, "public_text")
    assert public and "900 000 000" in public
    # When it publishes the page as it is, and then posts the form of an older page with
    # the promise and the private reply (a second tab)
    done = browse("POST", url, {"csrf_token": csrf_of(page), "public_text": public})
    stale = {"csrf_token": csrf_of(page), "public_text": CLAIM, "private_text": "Hola"}
    again = browse("POST", url, stale)
    # Then the customer got one public reply, with the contact path, and nothing else
    assert done.status == 200 and again.status == 410, words(done.body.decode())
    assert [s["kind"] for s in stack.platforms.state.sent] == ["comment_reply"]
    assert sent(stack, kind="comment_reply")[0]["text"] == public
    assert len(posts(stack)) == 1
    assert "Publicada en Facebook" in words(done.body.decode())
    # And the timeline says what went
    case = stack.get_case(case_id)
    said = [e["data"]["text"] for e in case["timeline"] if e["kind"] == "outbound_sent"]
    assert said == [public]


def test_a_private_reply_the_platform_refuses_is_never_promised_in_public(stack, api):
    # Given a recent complaint comment whose private reply Graph refuses: as Graph counts
    # it, the comment is past its 7 days (10903)
    case_id = deliver(stack, a_comment(datetime.now(UTC) - timedelta(hours=2)))
    url = publish_url(stack, case_id)
    page = browse("GET", url).body.decode()
    comment_id = stack.get_case(case_id)["reply_to"]["message_id"]
    stack.platforms.state.comments[comment_id].at -= timedelta(days=8)
    # When the social team publishes the suggested replies as the page offers them
    form = {
        "csrf_token": csrf_of(page),
        "public_text": field(page, "public_text"),
        "private_text": field(page, "private_text"),
    }
    assert CLAIM in form["public_text"]
    done = browse("POST", url, form)
    # Then the private reply was asked first and refused, and the public reply gave the
    # contact path instead of the promise
    calls = posts(stack)
    assert [c["path"].rsplit("/", 1)[-1] for c in calls] == ["messages", "comments"]
    assert calls[0]["status"] == 400 and "10903" in str(calls[0])
    [reply] = sent(stack, kind="comment_reply")
    assert CLAIM not in reply["text"] and "900 000 000" in reply["text"]
    said = words(done.body.decode())
    assert "No se pudo enviar el mensaje privado" in said and "10903" not in said, said
    # And the timeline records the refusal and the words published
    case = stack.get_case(case_id)
    assert kinds(case).count("outbound_refused") == 1
    [published] = [e["data"]["text"] for e in case["timeline"] if e["kind"] == "outbound_sent"]
    assert published == reply["text"]


def test_whatsapp_outside_its_window_reports_the_template_text_as_sent(stack, api):
    # Given a WhatsApp complaint written two days ago and the social team's link
    body = sample_payload("meta_whatsapp_text")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["text"] = {
        "body": "Me habéis cobrado dos veces el recibo, quiero la devolución"
    }
    case_id = deliver(
        stack, signed_event("meta", dated(body, datetime.now(UTC) - timedelta(days=2)))
    )
    url = publish_url(stack, case_id)
    template = outbound_config().whatsapp_template
    # When the social team opens the page: it says, before «Publicar», the template goes
    page = browse("GET", url).body.decode()
    before = words(page.split("<button", 1)[0])
    assert "plantilla" in before and template.body in before, before
    # ... and publishes it, with the words an older page had (edited text)
    done = browse(
        "POST", url, {"csrf_token": csrf_of(page), "private_text": "Hola, te llamamos hoy."}
    )
    # Then the template went, and the page and the timeline say its words, never the edited
    [message] = sent(stack, platform="whatsapp")
    assert message["kind"] == "template"
    said = words(done.body.decode())
    assert template.body in said and "te llamamos hoy" not in said, said
    assert "Mensaje: enviado" not in said
    case = stack.get_case(case_id)
    [event] = [e["data"] for e in case["timeline"] if e["kind"] == "outbound_sent"]
    assert event["text"] == template.body and event["template"] == template.name


def test_a_departments_whatsapp_reply_replaced_by_the_template_is_recorded_as_the_template(
    stack,
):
    # Given a WhatsApp complaint written two days ago, derived to customer service
    body = sample_payload("meta_whatsapp_text")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["text"] = {
        "body": "Me habéis cobrado dos veces el recibo, quiero la devolución"
    }
    case_id = deliver(
        stack, signed_event("meta", dated(body, datetime.now(UTC) - timedelta(days=2)))
    )
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    # When the department replies from its page with its own words
    edited = "Hola, te llamamos hoy mismo."
    form = {"csrf_token": csrf_of(page), "action": "contacted", "reply": edited}
    status, done = request(stack, "POST", action_id, **form)
    # Then the template went, the page says its words, and the case keeps the department's
    # words as its note only: what was sent is the template
    assert status == 200, text_of(done)
    template = outbound_config().whatsapp_template
    assert template.body in text_of(done) and edited not in text_of(done), text_of(done)
    case = wait_for(stack, case_id, lambda c: c["status"] == "contacted")
    noted = [e["kind"] for e in case["timeline"] if edited in str(e.get("data"))]
    assert noted and "outbound_sent" not in noted, noted
    [event] = [e["data"] for e in case["timeline"] if e["kind"] == "outbound_sent"]
    assert event["text"] == template.body, event


def test_a_whatsapp_template_goes_once_whoever_asks_until_the_customer_answers(stack, api):
    # Given a WhatsApp complaint written two days ago, derived to customer service
    body = sample_payload("meta_whatsapp_text")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["text"] = {
        "body": "Me habéis cobrado dos veces el recibo, quiero la devolución"
    }
    case_id = deliver(
        stack, signed_event("meta", dated(body, datetime.now(UTC) - timedelta(days=2)))
    )
    # When the social team publishes (the template goes) ...
    url = publish_url(stack, case_id)
    page = browse("GET", url).body.decode()
    browse("POST", url, {"csrf_token": csrf_of(page), "private_text": "Hola, ¿nos cuentas más?"})
    # ... and the department answers seconds later from its own link
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, form_page = request(stack, "GET", action_id, query="do=contacted")
    form = {"csrf_token": csrf_of(form_page), "action": "contacted", "reply": "Hola, ya está."}
    status, done = request(stack, "POST", action_id, **form)
    # Then the platform got one template, and the department is told it went already
    assert [m["kind"] for m in sent(stack, platform="whatsapp")] == ["template"]
    assert status == 409 and "ya se envió" in text_of(done), text_of(done)
