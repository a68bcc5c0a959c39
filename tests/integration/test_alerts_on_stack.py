"""Alerts people can act on, through the real handlers, stream and emulated SES: the
crisis alert of a wave of complaints, and the low-score alert of an unhappy customer."""

from __future__ import annotations

import html
import re

from socialcare.config.loaders import routing_config
from tests.integration.test_case_workflow import telegram_complaint
from tests.integration.test_outbound_on_stack import browse, fresh
from tests.integration.test_surveys_on_stack import (
    deliver_new,
    resolved_telegram_case,
    survey_call,
    tap,
    wait_until,
)
from tests.integration.workflow_helpers import (
    CLAIMS,
    SOCIAL_TEAM,
    act,
    deliver_more,
    email_to,
    kinds,
    link,
    text_of,
    wait_for,
)

CRISIS = "crisis@segurosmarea.example"


def test_six_billing_complaints_raise_one_alert_with_the_topic_cases_links_and_answers(stack, api):
    # Given six customers complaining they were charged twice, within minutes
    ids = []
    for number in range(6):
        case_id = deliver_more(stack, telegram_complaint(number))
        wait_for(stack, case_id, lambda c: c["status"] != "new" and "triage" in c)
        ids.append(case_id)
    # Then the crisis contacts get one alert, naming the billing topic as configured
    wait_for(stack, ids[-1], lambda c: "crisis_alert" in kinds(c))
    [alert] = [m for m in stack.outbox() if CRISIS in m["to"]]
    assert "6 casos negativos sobre Facturación y cobros" in alert["subject"], alert["subject"]
    # with the six cases, each with the link that answers it, and each link works
    publish = [u for u in alert["links"] if "/publish/" in u]
    assert len(publish) == 6
    for case_id in ids:
        assert case_id in alert["text"]
        [url] = [u for u in publish if f"/publish/{case_id}." in u]
        assert browse("GET", url).status == 200
    # the trend against the hour before, and the answer approved for billing
    assert "Tendencia: 6 en esta ventana frente a 0 en la anterior" in alert["text"]
    approved = routing_config().crisis.answers["billing"]
    assert approved["es"] in alert["text"] and approved["en"] in alert["text"]
    assert alert["html"].startswith("<!doctype html>")


def follow_up_form(url: str) -> tuple[str, str]:
    """The follow-up page (GET: changes nothing): its CSRF token and suggested words."""
    opened = browse("GET", url)
    assert opened.status == 200, opened.body
    page = opened.body.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    suggested = re.search(r'<textarea name="text"[^>]*>([^<]*)</textarea>', page).group(1)
    return token, html.unescape(suggested)


def test_a_low_score_with_a_comment_alerts_with_the_comment_the_closer_and_a_link(stack, api):
    # Given a Facebook comment the claims department resolved, rated 1/5 on the survey
    # page with a comment
    stack.set_outbound_mode("live")
    text = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama"
    case_id = deliver_new(stack, fresh("meta_facebook_comment", "meta", text))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    act(stack, link(email_to(stack, CLAIMS, case_id), "resolved"), "resolved")
    wait_for(stack, case_id, lambda c: c.get("survey_sent_at"))
    [private] = [s for s in stack.platforms.state.sent if s["kind"] == "private_reply"]
    survey = re.search(r"https?://\S+/survey/\S+", private["text"]).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', browse("GET", survey).body.decode())
    comment = "Nadie me devolvió la llamada y el perito no vino"
    form = {"csrf_token": token.group(1), "score": "1", "comment": comment}
    assert browse("POST", survey, form).status == 200
    # Then the social team's alert quotes the comment, says who closed the case and how,
    # and links to a page that writes to the customer
    alert = wait_until(lambda: next((m for m in stack.outbox() if "1/5" in m["subject"]), None))
    assert comment in alert["text"] and comment in alert["html"]
    assert "Siniestros lo dio por resuelto" in alert["text"], alert["text"]
    [url] = [u for u in alert["links"] if "/follow-up/" in u]
    token, _ = follow_up_form(url)
    # a Facebook comment takes one private reply (the survey's): the page says so, and
    # nothing reaches the platform
    calls = len(stack.platforms.calls_made())
    sent = browse("POST", url, {"csrf_token": token, "text": "Hola, ¿nos cuentas qué pasó?"})
    assert sent.status == 409 and "solo se admite una" in text_of(sent.body.decode())
    assert len(stack.platforms.calls_made()) == calls


def test_the_follow_up_link_writes_to_a_telegram_customer_once(stack, api):
    # Given a resolved Telegram case whose customer tapped 2
    case_id = resolved_telegram_case(stack)
    tap(stack, survey_call(stack, "telegram"), 2)
    alert = email_to(stack, SOCIAL_TEAM, case_id, number=2)  # after the derivation's copy
    assert "Atención al cliente lo dio por resuelto" in alert["text"], alert["text"]
    [url] = [u for u in alert["links"] if "/follow-up/" in u]
    # When the social team sends the suggested words, twice
    token, suggested = follow_up_form(url)
    first = browse("POST", url, {"csrf_token": token, "text": suggested})
    second = browse("POST", url, {"csrf_token": token, "text": suggested})
    # Then the customer's chat got them once, and the follow-up is contacted
    assert (first.status, second.status) == (200, 410)
    chats = [c for c in stack.platforms.calls_made() if suggested in str(c["body"])]
    assert len(chats) == 1
    assert stack.get_case(case_id)["follow_up"]["status"] == "contacted"
