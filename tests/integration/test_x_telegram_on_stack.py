"""X and Telegram answers through the real handlers and the platform emulator: a POST the
platform acted on and then answered 5xx is never sent twice, and the case says so."""

from __future__ import annotations

from datetime import UTC, datetime

from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_outbound_on_stack import browse, fresh, sent
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


def test_an_x_reply_x_posted_then_answered_503_is_posted_once_and_uncertain(stack, api):
    # Given an X mention, the social team's publish link, and X that posts the reply then
    # answers 503 (its docs: "wait and retry"; a resend would post it twice or be refused
    # as a duplicate)
    case_id = deliver(
        stack, signed_event("x", dated(sample_payload("x_mention"), datetime.now(UTC)))
    )
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, case_id)["links"] if "/publish/" in u]
    form = {"csrf_token": csrf_of(browse("GET", url).body.decode()), "public_text": "Hola Ana."}
    stack.platforms.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When the social team publishes, and publishes again once X answers normally
    first = browse("POST", url, form)
    stack.platforms.set_faults({"rate": 0})
    second = browse("POST", url, form)
    # Then X holds the reply once, the page says it may have gone and will not be resent,
    # and the case's timeline says uncertain
    assert "no sabemos si ha llegado" in text_of(first.body.decode()).lower()
    assert second.status == 410  # the link was used: nothing is sent again
    assert [s["text"] for s in sent(stack, platform="x")] == ["@ivanprieto_ Hola Ana."]
    assert [c["status"] for c in stack.platforms.calls_made() if c["platform"] == "x"] == [503]
    assert kinds(stack.get_case(case_id)).count("outbound_uncertain") == 1


def test_a_telegram_reply_sent_then_answered_502_is_sent_once_and_uncertain(stack):
    # Given a derived Telegram case, and a Bot API gateway answering 502 after sending
    case_id = deliver(stack, fresh("telegram_message", "telegram"))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    stack.platforms.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When the department replies from its page
    form = {"csrf_token": csrf_of(page), "action": "contacted", "reply": "Hola Nuria, ya está."}
    status, done = request(stack, "POST", action_id, **form)
    stack.platforms.set_faults({"rate": 0})
    # Then the chat has it once, and the case says uncertain
    assert status == 409 and "no sabemos si ha llegado" in text_of(done).lower()
    assert len(sent(stack, platform="telegram")) == 1
    assert kinds(stack.get_case(case_id)).count("outbound_uncertain") == 1


def test_a_brand_past_its_x_24_hour_cap_is_told_until_when_and_x_is_not_called_again(stack, api):
    # Given an X mention, its publish link, and a brand whose X user spent its 24-hour cap
    case_id = deliver(
        stack, signed_event("x", dated(sample_payload("x_mention"), datetime.now(UTC)))
    )
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, case_id)["links"] if "/publish/" in u]
    form = {"csrf_token": csrf_of(browse("GET", url).body.decode()), "public_text": "Hola Ana."}
    stack.platforms.x_rules.user_cap_24h = 0
    # When the social team publishes, and tries again
    first = browse("POST", url, form)
    second = browse("POST", url, form)
    # Then nothing went out, the page says until when X limits the brand (a day, not "a
    # few minutes"), and the second try did not call X
    said = text_of(first.body.decode()).lower()
    assert "limita los envíos de la marca hasta el" in said and "unos minutos" not in said
    assert second.status == first.status == 409
    assert [c["status"] for c in stack.platforms.calls_made() if c["platform"] == "x"] == [429]
    assert sent(stack, platform="x") == []
