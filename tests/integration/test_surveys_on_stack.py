"""The satisfaction survey through the real handlers, stream and state machine, and the
platform emulator: asked when a department closes the case, answered by a tap delivered
as the platform's signed webhook, or on the survey page over HTTP."""

from __future__ import annotations

import json
import re
import time

from tests.conftest import signed_event
from tests.integration.test_outbound_on_stack import browse, fresh
from tests.integration.workflow_helpers import (
    SOCIAL_TEAM,
    SUPPORT,
    act,
    email_to,
    kinds,
    link,
    wait_for,
)


def survey_call(stack, platform: str) -> dict:
    """The one call that carried the survey (its buttons, or its link)."""
    [call] = [
        c
        for c in stack.platforms.calls_made()
        if c["platform"] == platform and ("csat:" in str(c["body"]) or "/survey/" in str(c["body"]))
    ]
    return call


def resolved_telegram_case(stack) -> str:
    stack.set_outbound_mode("live")
    case_id = deliver_new(stack, fresh("telegram_message", "telegram"))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    status, _ = act(stack, link(email_to(stack, SUPPORT, case_id), "resolved"), "resolved")
    assert status == 200
    wait_for(stack, case_id, lambda c: c.get("survey_sent_at"))
    return case_id


def wait_until(found, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while (value := found()) is None:
        assert time.monotonic() < deadline, "not found in time"
        time.sleep(0.05)
    return value


def deliver_new(stack, event) -> str:
    response = stack.function("WebhookFunction").invoke(event)
    assert response["statusCode"] == 200, response
    [case] = stack.list_cases()
    return case["id"]


def tap(stack, call: dict, score: int, app_language: str | None = None) -> dict:
    """The customer's tap, as Telegram delivers it: a callback_query naming the button
    (and the language of the app it was tapped in, when Telegram says it)."""
    [row] = call["body"]["reply_markup"]["inline_keyboard"]
    data = row[score - 1]["callback_data"]
    update = {
        "update_id": 918273999 + score,
        "callback_query": {
            "id": f"43829{score}",
            "from": {
                "id": 555000111,
                "is_bot": False,
                "first_name": "Nuria",
                **({"language_code": app_language} if app_language else {}),
            },
            "message": {"message_id": 10001, "chat": {"id": 555000111, "type": "private"}},
            "chat_instance": "-734631",
            "data": data,
        },
    }
    return stack.function("WebhookFunction").invoke(signed_event("telegram", update))


def test_a_resolved_case_asks_in_the_chat_and_the_tapped_answer_is_recorded_once(stack):
    # Given a Telegram complaint a department resolved through its link
    case_id = resolved_telegram_case(stack)
    # When the customer taps "5" under the survey (and Telegram delivers it twice)
    call = survey_call(stack, "telegram")
    assert call["body"]["chat_id"] == "555000111"
    first = tap(stack, call, 5)
    again = tap(stack, call, 5)
    # Then it is that case's answer, no case was opened, and the score is on the case;
    # the webhook's answer is the Bot API call that thanks her on the tapped button
    assert first["statusCode"] == 200
    assert json.loads(first["body"]) == {
        "method": "answerCallbackQuery",
        "callback_query_id": "438295",
        "text": "¡Gracias por tu valoración!",
    }
    assert again["statusCode"] == 200
    assert [c["id"] for c in stack.list_cases()] == [case_id]
    case = stack.get_case(case_id)
    assert case["survey_score"] == 5 and case["survey_form"] == "choices"
    assert kinds(case).count("survey_answered") == 1
    assert "follow_up" not in case


def test_the_thanks_after_a_tap_speaks_the_surveys_language_not_the_apps(stack):
    # Given a Spanish customer's Telegram survey, asked in Spanish
    case_id = resolved_telegram_case(stack)
    assert stack.get_case(case_id)["survey_language"] == "es"
    # When she taps "4" on a phone whose Telegram app is set to English
    answer = tap(stack, survey_call(stack, "telegram"), 4, app_language="en")
    # Then she is thanked in the survey's language (finding 4 of the fixups of issue 30)
    assert json.loads(answer["body"])["text"] == "¡Gracias por tu valoración!"


def test_a_low_score_opens_a_follow_up_and_alerts_the_social_team(stack):
    # Given a resolved Telegram case whose customer was asked
    case_id = resolved_telegram_case(stack)
    # When they tap "2", then change their mind and tap "4"
    call = survey_call(stack, "telegram")
    tap(stack, call, 2)
    tap(stack, call, 4)
    # Then 2 stands, the follow-up is open on the timeline, and the team is alerted once
    alert = email_to(stack, SOCIAL_TEAM, case_id, number=2)  # after the derivation's copy
    assert "2/5" in alert["subject"]
    case = wait_for(stack, case_id, lambda c: "survey_answer_later" in kinds(c))
    assert case["survey_score"] == 2 and case["follow_up"]["status"] == "open"
    assert "follow_up_opened" in kinds(case)
    low = [m for m in stack.outbox() if "2/5" in m["subject"]]
    assert len(low) == 1


def test_a_public_commenter_answers_on_the_survey_page(stack, api):
    # Given a Facebook comment a department resolved
    stack.set_outbound_mode("live")
    text = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama"
    case_id = deliver_new(stack, fresh("meta_facebook_comment", "meta", text))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    department = wait_until(
        lambda: next(
            (m for m in stack.outbox() if case_id in m["subject"] and SOCIAL_TEAM not in m["to"]),
            None,
        )
    )
    act(stack, link(department, "resolved"), "resolved")
    wait_for(stack, case_id, lambda c: c.get("survey_sent_at"))
    # When the customer opens the link of the one private reply (a scanner would too)
    [private] = [s for s in stack.platforms.state.sent if s["kind"] == "private_reply"]
    url = re.search(r"https?://\S+/survey/\S+", private["text"]).group(0)
    opened = browse("GET", url)
    assert opened.status == 200 and stack.get_case(case_id).get("survey_score") is None
    page = opened.body.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answered = browse("POST", url, {"csrf_token": token, "score": "4", "comment": "Bien"})
    # Then the answer and its comment are on the case
    assert answered.status == 200, answered.body
    case = stack.get_case(case_id)
    assert case["survey_score"] == 4 and case["survey_comment"] == "Bien"
    assert not [
        s
        for s in stack.platforms.state.sent
        if s["kind"] == "comment_reply" and "survey" in str(s["text"])
    ]
