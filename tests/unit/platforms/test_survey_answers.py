"""A tapped survey choice is recognised on every channel that shows buttons: it becomes
that case's survey answer, never a message (so never a case)."""

from __future__ import annotations

import copy

import pytest

from socialcare.domain.messages import Channel
from socialcare.platforms import meta, telegram
from tests.conftest import NOW, sample_payload

CASE = "20261124-0123456789abcdef"


def parse(name: str, payload=None):
    payload = payload if payload is not None else sample_payload(name)
    if name.startswith("telegram"):
        return telegram.parse(payload, NOW, bot_id="socialcare_bot")
    return meta.parse(payload, NOW)


@pytest.mark.parametrize(
    ("name", "channel", "score", "author"),
    [
        ("telegram_survey_answer", Channel.TELEGRAM, 5, "555000111"),
        ("meta_messenger_survey_answer", Channel.MESSENGER, 2, "7345610987654321"),
        ("meta_instagram_survey_answer", Channel.INSTAGRAM_DM, 4, "1234567890123456"),
        ("meta_whatsapp_survey_answer", Channel.WHATSAPP, 1, "34600111222"),
    ],
)
def test_a_tapped_choice_is_the_case_survey_answer_and_no_message(name, channel, score, author):
    # Given the platform's delivery of a tap on one of the survey's choices
    # When it is parsed
    delivery = parse(name)
    # Then it is that case's answer, from that person, and nothing opens a case
    assert delivery.messages == []
    [answer] = delivery.survey_answers
    assert (answer.case_id, answer.score, answer.channel) == (CASE, score, channel)
    assert answer.author_id == author
    assert answer.answer_key  # its identity: a redelivery is the same answer


def test_a_quick_reply_that_is_not_ours_stays_a_message():
    # Given a quick reply of another flow (a bot menu's payload)
    payload = sample_payload("meta_messenger_survey_answer")
    message = payload["entry"][0]["messaging"][0]["message"]
    message["quick_reply"]["payload"] = "MENU_OPENING_HOURS"
    # When it is parsed
    delivery = parse("meta_messenger_survey_answer", payload)
    # Then it is what the customer wrote, as any message
    assert delivery.survey_answers == []
    assert [m.text for m in delivery.messages] == ["2 · Mal"]


@pytest.mark.parametrize(
    "forged",
    [
        f"csat:{CASE}:6",  # out of the scale
        f"csat:{CASE}:0",
        "csat:../../etc:5",
        f"csat:{CASE}:5:extra",
        f"csat:{CASE.upper()}:5",
        f" csat:{CASE}:5",
        "csat:" + "9" * 300,
    ],
)
def test_a_choice_that_does_not_parse_strictly_is_not_an_answer(forged):
    # Given a WhatsApp list reply whose id is not exactly one of ours
    payload = copy.deepcopy(sample_payload("meta_whatsapp_survey_answer"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0]["interactive"]["list_reply"]["id"] = forged
    # When it is parsed
    delivery = parse("meta_whatsapp_survey_answer", payload)
    # Then no answer is taken from it (it is described as the customer's choice instead)
    assert delivery.survey_answers == []
    assert [m.text for m in delivery.messages] == ["[choice] 1 · Muy mal"]


def test_a_telegram_button_that_is_not_a_survey_is_ignored_not_a_case():
    # Given a tap on another inline button of the bot
    payload = sample_payload("telegram_survey_answer")
    payload["callback_query"]["data"] = "menu:help"
    # When it is parsed
    delivery = parse("telegram_survey_answer", payload)
    # Then it is acknowledged without a case or an answer
    assert delivery.messages == [] and delivery.survey_answers == []
    assert [i.kind for i in delivery.ignored] == ["other_update"]


def test_a_telegram_tap_is_answered_in_the_webhook_reply_without_a_token():
    # Given a tap on a survey button
    delivery = parse("telegram_survey_answer")
    # Then the delivery carries the Bot API call that stops the button's spinner
    assert delivery.reply_call == {
        "method": "answerCallbackQuery",
        "callback_query_id": "4382bfdwdsb323b2d9",
        "language": "es",
    }


# --- a tap counts only from the conversation the survey went to ---------------------------

# Each sample tap's conversation, as the case that was surveyed there keeps it: the brand
# account the customer wrote to and the chat (Telegram) or the customer's id (Meta).
SURVEYED = {
    "telegram_survey_answer": (Channel.TELEGRAM, "socialcare_bot", "555000111", "555000111"),
    "meta_messenger_survey_answer": (
        Channel.MESSENGER,
        "104857600000001",
        "7345610987654321",
        "7345610987654321",
    ),
    "meta_instagram_survey_answer": (
        Channel.INSTAGRAM_DM,
        "17841400000000001",
        "1234567890123456",
        "1234567890123456",
    ),
    "meta_whatsapp_survey_answer": (
        Channel.WHATSAPP,
        "106540352242922",
        "34600111222",
        "34600111222",
    ),
}


def surveyed_store(name: str):
    """An in-memory store holding the case `name`'s tap names, surveyed with choices."""
    from socialcare.domain.cases import CaseAuthor, SurveyState
    from socialcare.domain.outbound import OutboundTarget
    from tests.fakes import InMemoryWorkflowStore, a_case

    channel, account, conversation, author = SURVEYED[name]
    store = InMemoryWorkflowStore()
    store.add(
        a_case(
            CASE,
            platform=channel.platform.value,
            channel=channel.value,
            public=False,
            author=CaseAuthor(id=author),
            reply_to=OutboundTarget(
                account_id=account, message_id="4410", conversation_id=conversation
            ),
            survey=SurveyState(sent_at="2026-11-24T09:30:00Z", form="choices"),
        )
    )
    return store


def _elsewhere(name: str, change):
    payload = copy.deepcopy(sample_payload(name))
    change(payload)
    return payload


def _telegram_chat(payload, chat):
    payload["callback_query"]["message"]["chat"] = chat


def _telegram_inline(payload):
    # A button on a message sent via the bot in inline mode: no `message`, an
    # `inline_message_id` (https://core.telegram.org/bots/api#callbackquery)
    query = payload["callback_query"]
    del query["message"]
    query["inline_message_id"] = "AgAAAPcDAAB0vBkA"


def _meta_account(payload, account):
    entry = payload["entry"][0]
    entry["id"] = account
    entry["messaging"][0]["recipient"]["id"] = account


def _whatsapp_number(payload):
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "106540352249999"


@pytest.mark.parametrize(
    ("name", "change"),
    [
        # the case's customer, tapping in a supergroup they share with the bot
        pytest.param(
            "telegram_survey_answer",
            lambda p: _telegram_chat(p, {"id": -1001234567890, "type": "supergroup"}),
            id="telegram-supergroup",
        ),
        # ... in a private chat that is not the one the survey went to
        pytest.param(
            "telegram_survey_answer",
            lambda p: _telegram_chat(p, {"id": 555000999, "type": "private"}),
            id="telegram-another-chat",
        ),
        # ... on a message sent via the bot in inline mode
        pytest.param("telegram_survey_answer", _telegram_inline, id="telegram-inline"),
        # a quick reply to another of the brand's Pages or Instagram accounts
        pytest.param(
            "meta_messenger_survey_answer",
            lambda p: _meta_account(p, "104857600000002"),
            id="messenger-another-page",
        ),
        pytest.param(
            "meta_instagram_survey_answer",
            lambda p: _meta_account(p, "17841400000000002"),
            id="instagram-another-account",
        ),
        # a list reply on another of the brand's WhatsApp numbers
        pytest.param("meta_whatsapp_survey_answer", _whatsapp_number, id="whatsapp-another-number"),
    ],
)
def test_a_tap_from_another_chat_or_brand_account_is_not_the_answer(name, change):
    # Given the case's customer, asked with choices in their private conversation
    store = surveyed_store(name)
    # When the same person's tap naming the case arrives from another conversation
    delivery = parse(name, _elsewhere(name, change))
    recorded = [store.record_survey_answer(answer, NOW) for answer in delivery.survey_answers]
    # Then it is not the case's answer: no score, no follow-up
    assert store.case(CASE).survey.score is None, recorded
    assert "follow_up" not in store.fields.get(CASE, {})


@pytest.mark.parametrize("name", list(SURVEYED))
def test_a_tap_from_the_conversation_the_survey_went_to_is_the_answer(name):
    # Given the case's customer, asked with choices in their private conversation
    store = surveyed_store(name)
    # When they tap a choice there
    [answer] = parse(name).survey_answers
    # Then it is the case's answer
    assert store.record_survey_answer(answer, NOW).value == "recorded"
    assert store.case(CASE).survey.score == answer.score
