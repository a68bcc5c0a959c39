"""The real webhook handler against the local stack (moto server, real state machine)."""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta

import pytest

from socialcare.adapters.sqs_parking import SqsDeliveryParking
from socialcare.domain.accounts import BrandAccounts
from tests.conftest import NOW, sample, sample_payload, signed_event
from tests.integration.webhook_helpers import (
    assert_one_workflow_per_derived_case,
    client,
    deliver,
    dependencies,
)

ALL_CHANNEL_SAMPLES = {
    "meta_facebook_comment": ["facebook_comment"],
    "meta_messenger_message": ["messenger"],
    "meta_instagram_comment": ["instagram_comment"],
    "meta_instagram_mention": ["instagram_mention"],
    "meta_instagram_dm": ["instagram_dm"],
    "meta_whatsapp_text": ["whatsapp"],
    "meta_whatsapp_media": ["whatsapp", "whatsapp"],
    "x_mention": ["x_mention"],
    "x_dm": ["x_dm"],
    "telegram_message": ["telegram"],
}
IGNORED_SAMPLES = [
    "meta_ignored_messenger",
    "meta_ignored_whatsapp_statuses",
    "meta_ignored_own_comments",
    "x_ignored",
    "x_ignored_own_dm",
    "telegram_ignored",
]


def test_every_channel_becomes_a_case_with_its_workflow(stack):
    # Given one sample delivery per channel
    for name in ALL_CHANNEL_SAMPLES:
        status, body = deliver(stack, sample(name))
        assert status == 200, (name, body)
    # Then one case per message, on the right channel, each opened by its workflow
    cases = stack.list_cases()
    expected = sorted(c for channels in ALL_CHANNEL_SAMPLES.values() for c in channels)
    assert sorted(c["channel"] for c in cases) == expected
    assert_one_workflow_per_derived_case(stack)
    for case in stack.list_cases():
        kinds = [e["kind"] for e in case["timeline"]]
        expected = {"derived": ["derived"], "autonomous": ["closed"]}[case["status"]]
        assert kinds == ["case_created", "triaged", *expected]
        assert case["workflow_execution_arn"].endswith(f"case-{case['id']}")


@pytest.mark.parametrize("name", IGNORED_SAMPLES)
def test_ignored_kinds_are_acknowledged_and_store_nothing(stack, name):
    status, body = deliver(stack, sample(name))
    assert status == 200
    assert body["received"] == 0 and body["ignored"] >= 1
    assert stack.list_cases() == []


def test_a_redelivery_three_times_in_sequence_creates_one_case_and_one_execution(stack):
    # Given the same batched delivery (3 messages) sent three times, a day apart
    event = sample("meta_batched_page")
    answers = [
        deliver(stack, event, dependencies(stack, clock=lambda d=day: NOW + timedelta(days=d)))
        for day in range(3)
    ]
    # Then the first created, the others were recognised
    assert [a[1].get("created", 0) for a in answers] == [3, 0, 0]
    assert [a[1].get("duplicate", 0) for a in answers] == [0, 3, 3]
    cases = stack.list_cases()
    assert len(cases) == 3
    assert all(c["message_count"] == 1 for c in cases)
    assert_one_workflow_per_derived_case(stack)


def test_eight_concurrent_redeliveries_create_one_case_and_one_execution(stack):
    # Given eight senders delivering the same message at the same moment
    event = sample("meta_whatsapp_text")
    start = threading.Barrier(8)
    answers: list[int] = []

    def send():
        start.wait()
        answers.append(deliver(stack, event)[0])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then all are acknowledged, one case exists, one workflow ran
    assert answers == [200] * 8
    [case] = stack.list_cases()
    assert case["message_count"] == 1
    assert_one_workflow_per_derived_case(stack)


def test_a_returning_author_is_threaded_into_the_open_case(stack):
    # Given a Messenger customer with an open case
    deliver(stack, sample("meta_messenger_message"))
    # When the same customer writes again
    status, body = deliver(stack, sample("meta_returning_customer"))
    # Then the message joins the case, which records the return; no new workflow
    assert (status, body["appended"]) == (200, 1)
    [case] = stack.list_cases()
    assert case["message_count"] == 2
    assert case["customer_returns"] == 1
    assert [m["text"][:10] for m in case["messages"]] == ["Hola, ¿me ", "Sigo esper"]
    assert "customer_returned" in [e["kind"] for e in case["timeline"]]
    assert_one_workflow_per_derived_case(stack)


def test_concurrent_new_messages_from_one_author_share_one_case(stack):
    # Given eight different messages from one WhatsApp author arriving at once
    base = json.loads(sample("meta_whatsapp_text")["body"])
    start = threading.Barrier(8)
    statuses: list[int] = []

    def send(number: int):
        payload = json.loads(json.dumps(base))
        message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
        message["id"] = f"wamid.CONCURRENT{number}"
        message["text"]["body"] = f"mensaje {number}"
        start.wait()
        statuses.append(deliver(stack, signed_event("meta", payload))[0])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then one case holds all eight, with one workflow
    assert statuses == [200] * 8
    [case] = stack.list_cases()
    assert case["message_count"] == 8
    assert case["customer_returns"] == 7
    assert_one_workflow_per_derived_case(stack)


def test_an_author_whose_case_closed_gets_a_new_case(stack):
    # Given a case that has since been closed (its pointer left behind on purpose)
    deliver(stack, sample("meta_messenger_message"))
    [first] = stack.wait_until_triaged()
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{first['id']}"}, "SK": {"S": "CASE"}},
        UpdateExpression="SET #s = :resolved, closed_at = :now",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":resolved": {"S": "resolved"},
            ":now": {"S": "2026-11-24T10:00:00.000Z"},
        },
    )
    # When the author writes again
    status, body = deliver(stack, sample("meta_returning_customer"))
    # Then a new case is opened for them
    assert (status, body["created"]) == (200, 1)
    cases = stack.wait_until_triaged()
    assert sorted(c["status"] for c in cases) == ["derived", "resolved"]


def test_the_brands_public_reply_is_the_cases_first_public_response(stack):
    # Given a customer's comment on the page that became a case
    deliver(stack, sample("meta_facebook_comment"))
    # When the page replies in public, and Meta delivers the reply twice
    first = deliver(stack, sample("meta_page_reply"))
    again = deliver(stack, sample("meta_page_reply"))
    # Then the reply is noted once on that case, with its time, and opens no case
    assert first == again == (200, {"received": 0, "ignored": 0, "responses": 1})
    [case] = stack.list_cases()
    assert case["first_public_response_at"] == "2026-11-24T09:45:00.000Z"
    responses = [e for e in case["timeline"] if e["kind"] == "public_response"]
    assert [(e["at"], e["data"]["actor"]) for e in responses] == [
        ("2026-11-24T09:45:00.000Z", "brand")
    ]


def test_a_customers_edit_and_deletion_are_noted_on_the_case_of_the_message(stack):
    # Given a customer's Telegram message that became a case
    deliver(stack, sample("telegram_message"))
    # When they edit it (Telegram delivers the edit twice) and no other case exists
    first = deliver(stack, sample("telegram_edited"))
    again = deliver(stack, sample("telegram_edited"))
    # Then the edit is noted once on that case, with its new text, and opens no case
    assert first == again == (200, {"received": 0, "ignored": 0, "changes": 1})
    [case] = stack.list_cases()
    [edited] = [e for e in case["timeline"] if e["kind"] == "message_edited"]
    assert edited["data"]["actor"] == "customer" and "412,30" in edited["data"]["text"]
    # And the message as first received stays as the department saw it
    assert "412,30" not in case["messages"][0]["text"]


def test_an_edit_of_a_message_never_received_is_acknowledged_and_stores_nothing(stack):
    status, body = deliver(stack, sample("telegram_edited"))
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == []


def test_an_id_no_platform_can_send_is_acknowledged_never_parked(stack):
    # Given a Telegram update whose update_id has 3,000 digits (a key DynamoDB refuses)
    message = json.dumps(sample_payload("telegram_message")["message"])
    event = signed_event(
        "telegram", f'{{"update_id": {"7" * 3000}, "message": {message}}}'.encode()
    )
    deps = dependencies(stack)
    deps.parking = SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"])
    # When it is delivered
    status, body = deliver(stack, event, deps)
    # Then it is acknowledged as a malformed item: no case, nothing parked to fail again
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == [] and stack.parked_deliveries() == 0


def test_deliveries_for_accounts_that_are_not_the_brands_are_ignored_and_counted(stack, capsys):
    # Given the brand's Page listed, and a delivery for another Page of the same Meta app
    deps = dependencies(stack)
    deps.accounts = BrandAccounts(facebook_pages=frozenset({"999999999"}))
    # When it arrives
    status, body = deliver(stack, sample("meta_facebook_comment"), deps)
    # Then it is acknowledged, no case is opened, and the metric counts it
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == []
    assert "DeliveriesForOtherAccounts" in capsys.readouterr().out


def test_a_brand_reply_to_a_message_never_received_is_acknowledged_and_stores_nothing(stack):
    status, body = deliver(stack, sample("x_reply_from_brand"))
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == []


def test_the_default_dependencies_read_the_stack_from_the_environment(stack):
    # Given the handler with no adapters passed: it builds them from its settings
    response = stack.function("WebhookFunction").invoke(sample("telegram_photo"))
    # Then it reached the same table, secret and state machine
    assert response["statusCode"] == 200
    assert [c["channel"] for c in stack.list_cases()] == ["telegram"]
    assert base64 is not None
