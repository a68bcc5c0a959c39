"""Survey answers as the real adapter keeps them, through the webhook function and the
survey page: one later answer is noted per case and the rest are acknowledged and dropped;
a tap counts only from the case's customer, on the case's platform and channel, for a
survey that was asked with choices there."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords
from socialcare.adapters.dynamodb.table import CasesTable
from tests.conftest import NOW, sample_payload, signed_event
from tests.integration.test_outbound_on_stack import browse
from tests.integration.workflow_helpers import kinds


def store(stack) -> DynamoDBSurveyRecords:
    return DynamoDBSurveyRecords(CasesTable(stack.client("dynamodb"), stack.cases_table))


def surveyed(
    stack, name: str, platform: str, form: str, change: Callable[[Any], None] | None = None
) -> str:
    """A case from the sample `name`, whose survey went out as `form` ("choices" or "link")."""
    payload = sample_payload(name)
    if change:
        change(payload)
    response = stack.function("WebhookFunction").invoke(signed_event(platform, payload))
    assert response["statusCode"] == 200, response
    [case] = stack.list_cases()
    if form == "link":
        store(stack).open_survey_link(case["id"], "k" * 32, "c" * 32)
    assert store(stack).mark_survey_sent(case["id"], form, NOW)
    return case["id"]


def telegram_tap(case_id: str, score: int, n: int, user: int = 555000111) -> dict:
    update = {
        "update_id": 918274000 + n,
        "callback_query": {
            "id": f"43829{n:04d}",
            "from": {"id": user, "is_bot": False, "first_name": "Nuria", "language_code": "es"},
            "message": {"message_id": 10001, "chat": {"id": user, "type": "private"}},
            "chat_instance": "-734631",
            "data": f"csat:{case_id}:{score}",
        },
    }
    return signed_event("telegram", update)


def quick_reply(name: str, case_id: str, sender: str, score: int = 1) -> dict:
    """A Messenger or Instagram quick reply tapped by `sender`, naming the case."""
    payload = sample_payload(name)
    event = payload["entry"][0]["messaging"][0]
    event["sender"]["id"] = sender
    event["message"]["quick_reply"]["payload"] = f"csat:{case_id}:{score}"
    return signed_event("meta", payload)


def list_reply(case_id: str, score: int, *, phone: str | None, user_id: str | None) -> dict:
    payload = sample_payload("meta_whatsapp_survey_answer")
    value = payload["entry"][0]["changes"][0]["value"]
    message = value["messages"][0]
    message["interactive"]["list_reply"]["id"] = f"csat:{case_id}:{score}"
    message.pop("from", None)
    if phone:
        message["from"] = phone
    if user_id:
        message["from_user_id"] = user_id
    value["contacts"] = [{"profile": {"name": "Javier Ruiz"}, "wa_id": phone, "user_id": user_id}]
    return signed_event("meta", payload)


def kept_survey_markers(stack) -> int:
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    return sum(item["PK"]["S"].startswith("DEDUP#survey") for item in items)


def test_thirty_taps_note_one_later_answer_and_keep_nothing_else(stack):
    # Given a Telegram case whose survey went out with buttons, answered 4
    case_id = surveyed(stack, "telegram_message", "telegram", "choices")
    webhook = stack.function("WebhookFunction")
    assert webhook.invoke(telegram_tap(case_id, 4, 0))["statusCode"] == 200
    # When the customer (or a script) taps thirty more times, each a new callback
    answers = [webhook.invoke(telegram_tap(case_id, 1 + n % 5, n + 1)) for n in range(30)]
    # Then each is acknowledged (the button stops waiting), 4 stands, one later answer is
    # on the timeline and nothing else is kept for the others
    assert {a["statusCode"] for a in answers} == {200}
    assert {json.loads(a["body"])["method"] for a in answers} == {"answerCallbackQuery"}
    case = stack.get_case(case_id)
    assert case["survey_score"] == 4 and "follow_up" not in case
    assert kinds(case).count("survey_answered") == 1
    assert kinds(case).count("survey_answer_later") == 1
    assert kept_survey_markers(stack) == 0


def test_fifteen_page_posts_note_one_later_answer(stack, api):
    # Given an X DM case asked through the survey page, answered 3 with a comment
    case_id = surveyed(stack, "x_dm", "x", "link")
    url = f"{api}/survey/{case_id}.{'k' * 32}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', browse("GET", url).body.decode())
    form = {"csrf_token": token.group(1), "score": "3", "comment": "Tardasteis un poco"}
    assert browse("POST", url, form).status == 200
    # When the page is posted fifteen more times, each with another comment
    statuses = [
        browse("POST", url, {**form, "score": str(1 + n % 5), "comment": f"otra vez {n}"}).status
        for n in range(15)
    ]
    # Then each gets the calm "already answered" page; one later answer is noted
    assert set(statuses) == {200}
    case = stack.get_case(case_id)
    assert (case["survey_score"], case["survey_comment"]) == (3, "Tardasteis un poco")
    assert kinds(case).count("survey_answer_later") == 1
    assert kept_survey_markers(stack) == 0


def _x_user(user: str) -> Callable[[Any], None]:
    def change(payload: Any) -> None:
        event = payload["direct_message_events"][0]
        payload["users"][user] = payload["users"].pop(event["message_create"]["sender_id"])
        event["message_create"]["sender_id"] = user

    return change


def test_a_telegram_tap_from_the_same_id_as_an_x_customer_is_not_their_answer(stack):
    # Given X user 777000111's case, surveyed (through the page, as X is)
    case_id = surveyed(stack, "x_dm", "x", "link", _x_user("777000111"))
    # When Telegram user 777000111 sends a callback naming that case with a 1
    answer = stack.function("WebhookFunction").invoke(telegram_tap(case_id, 1, 1, user=777000111))
    # Then it is acknowledged, and nothing is recorded, opened or alerted
    assert answer["statusCode"] == 200
    case = stack.get_case(case_id)
    assert "survey_score" not in case and "follow_up" not in case
    assert "survey_answered" not in kinds(case)
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    assert not [i for i in items if i["SK"]["S"] == "LOW_SCORE"]


@pytest.mark.parametrize(
    ("name", "author", "tap"),
    [
        # an Instagram commenter, asked through the one private reply (a link)
        ("meta_instagram_comment", "17841455500000001", "meta_instagram_survey_answer"),
        # a Facebook commenter, asked through the one private reply (a link, in Messenger)
        ("meta_facebook_comment", "6102938475610001", "meta_messenger_survey_answer"),
    ],
)
def test_a_quick_reply_for_a_survey_asked_with_a_link_is_not_an_answer(stack, name, author, tap):
    # Given a public commenter's case, surveyed with the page's link
    case_id = surveyed(stack, name, "meta", "link")
    # When a quick reply from the same person's id names that case
    answer = stack.function("WebhookFunction").invoke(quick_reply(tap, case_id, author))
    # Then no choice was ever offered there: nothing is recorded
    assert answer["statusCode"] == 200
    assert "survey_score" not in stack.get_case(case_id)


def test_a_whatsapp_tap_counts_by_either_id_of_the_customer(stack):
    # Given a WhatsApp customer known by phone, surveyed with a list
    case_id = surveyed(stack, "meta_whatsapp_text", "meta", "choices")
    # When they tap after adopting a username (Meta now sends both ids)
    tap = list_reply(case_id, 5, phone="34600111222", user_id="ES.1410018717833190")
    answer = stack.function("WebhookFunction").invoke(tap)
    # Then it is their answer
    assert answer["statusCode"] == 200
    assert stack.get_case(case_id)["survey_score"] == 5


def _telegram_elsewhere(case_id: str, where: str) -> dict:
    """The case's customer (555000111) tapping 1 for the case from elsewhere than the
    private chat the survey went to (https://core.telegram.org/bots/api#callbackquery)."""
    event = telegram_tap(case_id, 1, 7)
    update = json.loads(event["body"])
    query = update["callback_query"]
    if where == "supergroup":
        query["message"]["chat"] = {"id": -1001234567890, "type": "supergroup", "title": "g"}
    else:  # a message sent via the bot in inline mode: no message, its own id
        del query["message"]
        query["inline_message_id"] = "AgAAAPcDAAB0vBkA"
    return signed_event("telegram", update)


def _meta_elsewhere(name: str, case_id: str, sender: str) -> dict:
    """A quick reply from the case's customer to another of the brand's accounts."""
    event = quick_reply(name, case_id, sender)
    payload = json.loads(event["body"])
    entry = payload["entry"][0]
    entry["id"] = entry["messaging"][0]["recipient"]["id"] = entry["id"][:-1] + "9"
    return signed_event("meta", payload)


def _whatsapp_elsewhere(case_id: str) -> dict:
    """A list reply from the case's customer on another of the brand's numbers."""
    payload = json.loads(list_reply(case_id, 1, phone="34600111222", user_id=None)["body"])
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "106540352249999"
    return signed_event("meta", payload)


@pytest.mark.parametrize(
    ("name", "platform", "tap"),
    [
        pytest.param(
            "telegram_message",
            "telegram",
            lambda case_id: _telegram_elsewhere(case_id, "supergroup"),
            id="telegram-supergroup",
        ),
        pytest.param(
            "telegram_message",
            "telegram",
            lambda case_id: _telegram_elsewhere(case_id, "inline"),
            id="telegram-inline",
        ),
        pytest.param(
            "meta_messenger_message",
            "meta",
            lambda case_id: _meta_elsewhere(
                "meta_messenger_survey_answer", case_id, "7345610987654321"
            ),
            id="messenger-another-page",
        ),
        pytest.param(
            "meta_whatsapp_text", "meta", _whatsapp_elsewhere, id="whatsapp-another-number"
        ),
    ],
)
def test_a_tap_from_elsewhere_than_the_survey_conversation_is_not_the_answer(
    stack, name, platform, tap
):
    # Given the case's customer, asked with choices in their private conversation
    case_id = surveyed(stack, name, platform, "choices")
    # When their tap of a 1 for that case comes from another chat or brand account
    answer = stack.function("WebhookFunction").invoke(tap(case_id))
    # Then it is acknowledged, and nothing is recorded, opened or alerted
    assert answer["statusCode"] == 200
    case = stack.get_case(case_id)
    assert "survey_score" not in case and "follow_up" not in case
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    assert not [i for i in items if i["SK"]["S"] == "LOW_SCORE"]


def test_a_survey_link_opened_again_keeps_its_first_key(stack):
    # Given a case whose survey link was opened (a first try at sending the survey)
    case_id = surveyed(stack, "x_dm", "x", "link")
    # When a retry opens it again with new secrets
    again = store(stack).open_survey_link(case_id, "n" * 32, "m" * 32)
    # Then the first key and CSRF token stand (the link already sent, if it was, works)
    assert again == ("k" * 32, "c" * 32)
