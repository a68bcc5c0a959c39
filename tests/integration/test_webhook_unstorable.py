"""Deliveries holding text DynamoDB refuses (a lone surrogate, escaped as \\ud800 in a signed
JSON body), through the real handler and the emulated table: acknowledged and kept with
U+FFFD in its place, counted, never answered 503, never parked; one parked by an earlier
version replays; triage never sees a case that is not there."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from socialcare.adapters.sqs_parking import SqsDeliveryParking
from socialcare.app.parked_deliveries import parked
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_webhook_handler import client, deliver, dependencies
from tests.unit.test_invalid_unicode import BAD, REPAIRED, TEXTS, put

PER_PLATFORM = ["telegram_message", "meta_messenger_message", "meta_whatsapp_text", "x_dm"]


def with_surrogate(name: str) -> tuple[str, bytes]:
    platform, path = TEXTS[name]
    payload = put(dated(sample_payload(name), datetime.now(UTC)), path, BAD)
    raw = json.dumps(payload).encode()
    assert b"\\ud800" in raw
    return platform, raw


def parking(stack):
    deps = dependencies(stack)
    deps.parking = SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"])
    return deps


@pytest.mark.parametrize("name", PER_PLATFORM)
def test_a_lone_surrogate_is_kept_as_a_replacement_character_never_503(stack, capsys, name):
    # Given a signed delivery whose text holds a lone surrogate
    platform, raw = with_surrogate(name)
    errors = len(stack.invocation_errors)
    # When it arrives
    status, body = deliver(stack, signed_event(platform, raw), parking(stack))
    # Then it is a case, with U+FFFD where the surrogate was, counted; nothing is parked,
    # and triage takes the case like any other
    assert (status, body.get("created")) == (200, 1), body
    [case] = stack.list_cases()
    assert REPAIRED in stack.get_case(case["id"])["messages"][0]["text"]
    assert "DeliveriesMalformed" in capsys.readouterr().out
    assert stack.parked_deliveries() == 0
    assert stack.wait_for_streams()
    assert stack.triage_failures() == 0 and len(stack.invocation_errors) == errors
    assert stack.get_case(case["id"])["status"] != "new"


def test_a_batch_with_one_bad_message_keeps_all_of_them(stack):
    # Given a Page delivery of several entries, one comment holding a lone surrogate
    payload = dated(sample_payload("meta_batched_page"), datetime.now(UTC))
    payload["entry"][0]["changes"][0]["value"]["message"] = "gracias \ud800"
    # When it arrives
    status, body = deliver(
        stack, signed_event("meta", json.dumps(payload).encode()), parking(stack)
    )
    # Then every customer message of it has its case
    assert (status, body.get("created")) == (200, 3), body
    assert stack.parked_deliveries() == 0


def test_a_parked_delivery_holding_a_lone_surrogate_replays(stack):
    # Given a delivery parked by an earlier version (it answered 503 and parked it)
    platform, raw = with_surrogate("telegram_message")
    event = signed_event(platform, raw)
    record = parked(
        platform,
        {k.lower(): v for k, v in event["headers"].items()},
        event["body"],
        False,
        verified=True,
        reason="StorageUnavailable",
        now=datetime.now(UTC),
        seal_key=dependencies(stack).seal_key,
    )
    assert SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"]).park(
        record
    )
    # When `socialcare replay` runs
    outcome = stack.replay_failed_deliveries()
    # Then it is recorded, and nothing fails for ever
    assert outcome.get("still_failing", 0) == 0 and outcome["replayed"] == 1, outcome
    assert outcome["created"] == 1 and stack.parked_deliveries() == 0
