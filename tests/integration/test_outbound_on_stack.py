"""Answering on the platforms through the real handlers, the real stream and state
machine, and the platform emulator: what config sends by itself, the social team's
publish link over HTTP, a department's reply in the customer's chat, dry runs, faults."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from socialcare_cli.samples import HttpAnswer, http_request
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
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

PHONE_COMMENT = "Mi teléfono es 612 345 678, llamadme ya por el siniestro, nadie me atiende"


def fresh(name: str, platform: str, text: str | None = None) -> dict:
    """A sample delivery written just now (the samples are days old: windows closed)."""
    body = dated(sample_payload(name), datetime.now(UTC))
    if text is not None:
        if platform == "telegram":
            body["message"]["text"] = text
        else:
            body["entry"][0]["changes"][0]["value"]["message"] = text
    return signed_event(platform, body)


def browse(method: str, url: str, form: dict[str, str] | None = None) -> HttpAnswer:
    """A person's browser on the local HTTP API."""
    if form is None:
        return http_request(method, url, {})
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request(method, url, headers, urlencode(form).encode())


def sent(stack, **match) -> list[dict]:
    """What the emulated platforms accepted (not refused, not faulted)."""
    return [s for s in stack.platforms.state.sent if all(s[k] == v for k, v in match.items())]


def test_a_comment_exposing_personal_data_is_hidden_answered_and_followed_up_once(stack):
    # Given a customer who publishes their phone under the brand's Facebook post
    case_id = deliver(stack, fresh("meta_facebook_comment", "meta", PHONE_COMMENT))
    # When triage runs (and the stream delivers the record a second time)
    case = wait_for(stack, case_id, lambda c: kinds(c).count("outbound_sent") == 3)
    stack.function("TriageFunction").invoke(_stream_record(case_id))
    # Then the comment was hidden, followed up privately, and answered in public with the
    # notice that says so: each once, in that order, all on the timeline
    assert [s["kind"] for s in stack.platforms.state.sent] == [
        "hide",
        "private_reply",
        "comment_reply",
    ]
    notice = sent(stack, kind="comment_reply")[0]["text"]
    assert "ocultado tu comentario" in notice and "612" not in notice
    case = stack.get_case(case_id)
    assert case["first_public_response_at"] and case["comment_hidden_at"]
    assert kinds(case).count("outbound_sent") == 3


def test_the_social_team_publishes_the_suggested_reply_over_http(stack, api):
    # Given a praise comment, closed by triage, and the social team's email about it
    case_id = deliver(
        stack,
        fresh("meta_facebook_comment", "meta", "¡Gracias por la atención de ayer, todo perfecto!"),
    )
    email = email_to(stack, SOCIAL_TEAM, case_id)
    [url] = [u for u in email["links"] if "/publish/" in u]
    # When it opens the link (a scanner would too): a form, nothing sent
    opened = browse("GET", url)
    assert opened.status == 200 and stack.platforms.calls_made() == []
    page = opened.body.decode()
    # ... and publishes the reply it edited
    form = {
        "csrf_token": csrf_of(page),
        "public_text": "¡Gracias a ti, Lucía! Se lo contamos al equipo.",
    }
    published = browse("POST", url, form)
    again = browse("POST", url, form)
    # Then the reply is under the comment once, and it set the first public response time
    assert published.status == 200, published.body
    assert again.status == 410
    [reply] = sent(stack, kind="comment_reply")
    assert reply["text"] == form["public_text"]
    case = stack.get_case(case_id)
    assert case["first_public_response_at"]
    assert case["publish_link"]["used_by"] == "social team"


def test_a_public_reply_graph_did_before_answering_500_is_sent_exactly_once(stack, api):
    # Given a praise comment and the social team's publish link
    case_id = deliver(
        stack,
        fresh("meta_facebook_comment", "meta", "¡Gracias por la atención de ayer, todo perfecto!"),
    )
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, case_id)["links"] if "/publish/" in u]
    page = browse("GET", url).body.decode()
    # ... and Graph acting on every write, then answering 500 (code 2)
    stack.platforms.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When the social team publishes the reply
    form = {"csrf_token": csrf_of(page), "public_text": "¡Gracias a ti, Lucía!"}
    published = browse("POST", url, form)
    stack.platforms.set_faults({"rate": 0})
    # Then the reply is under the comment once: the 500 was taken as "may have been
    # done", the replies were read newest first, and the reply found there
    assert published.status == 200, published.body
    assert [r["text"] for r in sent(stack, kind="comment_reply")] == [form["public_text"]]
    posts = [c for c in stack.platforms.calls_made() if c["method"] == "POST"]
    assert [(c["status"], c.get("fault")) for c in posts] == [(500, "acted_then_5xx")]
    [read] = [c for c in stack.platforms.calls_made() if c["method"] == "GET"]
    assert read["query"]["order"] == "reverse_chronological"
    case = stack.get_case(case_id)
    assert kinds(case).count("outbound_sent") == 1 and case["first_public_response_at"]


def test_a_department_answers_a_telegram_chat_from_its_action_page(stack):
    # Given a derived Telegram case and the department's email
    case_id = deliver(stack, fresh("telegram_message", "telegram"))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    status, page = request(stack, "GET", action_id, query="do=contacted")
    assert status == 200 and 'name="reply"' in page
    # When it writes to the customer from the page
    reply = "Hola Nuria, ya hemos devuelto el cargo duplicado; lo verás en 2-3 días."
    status, done = request(
        stack, "POST", action_id, csrf_token=csrf_of(page), action="contacted", reply=reply
    )
    # Then the chat got it (as a reply to her message), and the case is contacted
    assert status == 200, text_of(done)
    message, survey = sent(stack, platform="telegram")  # the closing's survey follows
    assert message["text"] == reply and message["target"] == "555000111"
    assert survey["text"].startswith("Hemos cerrado tu consulta")
    call, _ = [c for c in stack.platforms.calls_made() if c["platform"] == "telegram"]
    assert call["body"]["reply_parameters"]["message_id"] == 4411
    case = wait_for(stack, case_id, lambda c: c["status"] == "contacted")
    answer = [e for e in case["timeline"] if e["kind"] == "department_action"][-1]
    assert answer["data"]["note"] == reply


def test_a_department_answers_a_telegram_business_chat_on_behalf_of_the_business(stack):
    # Given a customer who wrote to the brand's Telegram Business account, derived
    body = dated(sample_payload("telegram_message"), datetime.now(UTC))
    body["business_message"] = {**body.pop("message"), "business_connection_id": "BCn0xYz-123"}
    case_id = deliver(stack, signed_event("telegram", body))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    # When the department answers from its page
    reply = "Hola Nuria, ya hemos devuelto el cargo duplicado."
    status, done = request(
        stack, "POST", action_id, csrf_token=csrf_of(page), action="contacted", reply=reply
    )
    # Then it went through the business connection (else the bot writes as itself, or
    # Telegram refuses), to the chat as an integer
    assert status == 200, text_of(done)
    call = next(c for c in stack.platforms.calls_made() if c["platform"] == "telegram")
    assert call["body"]["business_connection_id"] == "BCn0xYz-123"
    assert call["body"]["chat_id"] == 555000111
    assert sent(stack, platform="telegram")[0]["text"] == reply


def test_a_reply_whose_fate_is_unknown_is_never_sent_again(stack):
    # Given a derived Telegram case and a platform whose answers never come back
    case_id = deliver(stack, fresh("telegram_message", "telegram"))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    stack.platforms.set_faults({"rate": 1, "kinds": ["timeout"]})
    # When the department sends its reply, and sends it again
    form = {"csrf_token": csrf_of(page), "action": "contacted", "reply": "Hola Nuria, ya está."}
    first = request(stack, "POST", action_id, **form)
    stack.platforms.set_faults({"rate": 0})
    second = request(stack, "POST", action_id, **form)
    # Then the chat got it once (the timeout happened after it arrived), the case says
    # uncertain, and the link still acts: the department checks and marks it by hand
    assert first[0] == 409 and "no sabemos si ha llegado" in text_of(first[1]).lower()
    assert second[0] == 409
    assert len(sent(stack, platform="telegram")) == 1
    case = stack.get_case(case_id)
    assert kinds(case).count("outbound_uncertain") == 1 and case["status"] == "derived"


def test_a_dry_run_records_what_would_go_out_and_sends_nothing(stack):
    # Given a stack in dry_run (as a deployed one starts)
    stack.set_outbound_mode("dry_run")
    try:
        # When a comment exposing personal data is triaged
        case_id = deliver(stack, fresh("meta_facebook_comment", "meta", PHONE_COMMENT))
        case = wait_for(stack, case_id, lambda c: kinds(c).count("outbound_dry_run") == 3)
    finally:
        stack.set_outbound_mode("live")
    # Then the case holds the three requests as they would have gone, and no platform
    # received a call
    assert stack.platforms.calls_made() == []
    modes = [e["data"]["mode"] for e in case["timeline"] if e["kind"] == "outbound_dry_run"]
    assert modes == ["hide", "private_reply", "comment_reply"]


def test_whatsapp_after_its_window_gets_the_approved_template_never_free_text(stack):
    # Given a WhatsApp complaint written days ago (the sample's own time)
    case_id = deliver(stack, _old_whatsapp(stack))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    # When the department replies from its page
    form = {"csrf_token": csrf_of(page), "action": "contacted", "reply": "Hola, te llamamos hoy."}
    status, done = request(stack, "POST", action_id, **form)
    # Then the approved template went out (no free text outside the 24 hours)
    assert status == 200, text_of(done)
    [message] = sent(stack, platform="whatsapp")
    assert message["kind"] == "template"
    assert not [c for c in stack.platforms.calls_made() if "131047" in str(c)]


def _old_whatsapp(stack) -> dict:
    body = sample_payload("meta_whatsapp_text")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["text"] = {
        "body": "Me habéis cobrado dos veces el recibo, quiero la devolución"
    }
    return signed_event("meta", body)


def _stream_record(case_id: str) -> dict:
    from tests.conftest import stream_event

    return stream_event(case_id)


def test_publish_links_are_opaque_and_checked(stack, api):
    # Given a made-up link and one with another case's key
    bad = browse("GET", f"{api}/publish/20261124-0123456789abcdef.{'a' * 32}")
    odd = browse("GET", f"{api}/publish/{'x' * 300}")
    # Then both are not found, and nothing is looked up for an id of the wrong shape
    assert bad.status == 404 and odd.status == 404
    assert re.search(r"<h1>", bad.body.decode())
    assert urlsplit(api).hostname == "127.0.0.1"
