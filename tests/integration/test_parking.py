"""Deliveries that could not be recorded: parked without secrets, sealed, replayed once,
refused when altered in the queue."""

from __future__ import annotations

import json

import pytest

from socialcare.adapters.secrets import PlatformSecretsSource
from socialcare.adapters.sqs_parking import SqsDeliveryParking
from socialcare.app.webhook import WebhookDependencies
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample
from tests.integration.test_webhook_handler import (
    assert_one_workflow_per_derived_case,
    client,
    deliver,
    dependencies,
)


def test_a_delivery_that_cannot_be_recorded_is_parked_and_replay_records_it_once(stack):
    # Given DynamoDB refusing every write, and the parking queue of the stack
    deps = dependencies(stack, dynamodb=client(stack, "dynamodb", fail={"TransactWriteItems"}))
    deps.parking = SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"])
    # When a delivery arrives, and again (the platform's retry fails too)
    for _ in range(2):
        status, _ = deliver(stack, sample("telegram_message"), deps)
        assert status == 503
    # Then nothing is half-written and both attempts are parked
    assert stack.list_cases() == [] and stack.parked_deliveries() == 2
    # When ops replay once storage is back
    outcome = stack.replay_failed_deliveries()
    # Then the message is recorded once, its workflow started once, and the queue is empty
    assert outcome == {"replayed": 2, "created": 1, "duplicate": 1}
    [_] = assert_one_workflow_per_derived_case(stack)
    assert stack.parked_deliveries() == 0
    assert stack.replay_failed_deliveries() == {}


def parked_bodies(stack: LocalStack) -> list[str]:
    """The parked messages, left in the queue (visible again at once)."""
    sqs = stack.client("sqs")
    queue = stack.refs["FailedDeliveriesQueue"]
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
        "Messages", []
    )
    return [m["Body"] for m in messages]


def parking_dependencies(stack: LocalStack, **failing) -> WebhookDependencies:
    deps = dependencies(stack, **failing)
    deps.parking = SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"])
    return deps


def test_a_parked_delivery_keeps_no_secret_and_its_replay_is_sealed(stack):
    # Given storage down when a Telegram delivery arrives (its secret token in a header)
    broken = client(stack, "dynamodb", fail={"TransactWriteItems"})
    status, _ = deliver(
        stack, sample("telegram_message"), parking_dependencies(stack, dynamodb=broken)
    )
    # Then it is parked without the token, sealed, and marked as verified
    [body] = parked_bodies(stack)
    assert "local-telegram-secret-token" not in body
    record = json.loads(body)["parked_delivery"]
    assert (status, record["verified"], len(record["seal"])) == (503, True, 64)
    assert set(record["headers"]) == {"content-type"}
    # When the token is rotated before ops replay it
    stack.client("secretsmanager").put_secret_value(
        SecretId=stack.refs["PlatformSecrets"],
        SecretString=json.dumps({**stack.secrets, "telegram_secret_token": "rotated-token"}),
    )
    try:
        outcome = stack.replay_failed_deliveries()
    finally:
        stack.client("secretsmanager").put_secret_value(
            SecretId=stack.refs["PlatformSecrets"], SecretString=json.dumps(stack.secrets)
        )
    # Then the seal vouches for it: recorded once
    assert outcome == {"replayed": 1, "created": 1}
    assert len(stack.list_cases()) == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda r: r.update(body=r["body"].replace("dos veces", "tres veces")),
        lambda r: r.update(platform="meta"),
        lambda r: r.update(seal="0" * 64),
        lambda r: r.update(seal=None),
    ],
)
def test_a_parked_delivery_altered_in_the_queue_is_refused_on_replay(stack, tamper):
    # Given a sealed parked delivery, altered by someone who can write to the queue
    broken = client(stack, "dynamodb", fail={"TransactWriteItems"})
    deliver(stack, sample("telegram_message"), parking_dependencies(stack, dynamodb=broken))
    [body] = parked_bodies(stack)
    record = json.loads(body)["parked_delivery"]
    tamper(record)
    # When it is replayed
    response = stack.function("WebhookFunction").invoke(
        {"parked_delivery": record}, dependencies=dependencies(stack)
    )
    # Then it is refused and nothing is recorded
    assert response["statusCode"] == 401
    assert json.loads(response["body"])["error"] == "invalid_seal"
    assert stack.list_cases() == []


def test_a_delivery_not_yet_verified_is_parked_with_its_body_signature_only(stack):
    # Given the platform secrets unreadable: nothing can be verified
    deps = parking_dependencies(stack)
    deps.secrets = PlatformSecretsSource("missing-secret", client=client(stack, "secretsmanager"))
    # When a Meta and a Telegram delivery arrive
    meta_status, _ = deliver(stack, sample("meta_messenger_message"), deps)
    telegram_status, _ = deliver(stack, sample("telegram_message"), deps)
    # Then both are told to retry; the Meta one is parked unverified, with its signature
    # (a proof about the body, not a secret); the Telegram one, whose only proof is the
    # secret itself, is left to Telegram's own retries
    assert meta_status == telegram_status == 503
    [body] = parked_bodies(stack)
    record = json.loads(body)["parked_delivery"]
    assert (record["platform"], record["verified"], record["seal"]) == ("meta", False, None)
    assert "x-hub-signature-256" in record["headers"]
    # And its replay is verified like any delivery, once the secrets are back
    assert stack.replay_failed_deliveries() == {"replayed": 1, "created": 1}
