"""The pacing's stores against the local stack's DynamoDB (moto's, in this process: a
test of its own under mock_aws would reset the stack's): the second's counter never lets
more recipients through than the rate allows (alerts keep their share), a container that
found its second full asks no more in it, and the crisis digest is claimed once a minute
a topic."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialcare.adapters.dynamodb.crisis_digests import DynamoDBCrisisDigests
from socialcare.adapters.dynamodb.send_slots import DynamoDBSendSlots
from socialcare.adapters.dynamodb.table import CasesTable
from tests.conftest import NOW


@pytest.fixture
def table(stack):
    return CountingTable(stack.client("dynamodb"), stack.cases_table)


class CountingTable(CasesTable):
    """The cases table, with the recipients each second's item counts."""

    def sent_by_key(self) -> dict[str, int]:
        items = self.client.scan(TableName=self.name)["Items"]
        return {item["PK"]["S"]: int(item["sent"]["N"]) for item in items if "sent" in item}


class CountingClient:
    def __init__(self, client):
        self._client = client
        self.updates = 0

    def update_item(self, **kwargs):
        self.updates += 1
        return self._client.update_item(**kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_a_second_carries_at_most_the_rate_and_alerts_keep_their_share(table):
    # Given SES's rate of 14 a second (11 for all but alerts), shared by two containers
    first, second = DynamoDBSendSlots(table, lambda: 14.0), DynamoDBSendSlots(table, lambda: 14.0)
    # When both take places for single-recipient emails in one second, then alerts
    taken = [s.take(NOW, 1, alert=False) for s in (first, second) for _ in range(10)]
    alerts = [first.take(NOW, 1, alert=True) for _ in range(5)]
    # Then 11 emails and 3 alerts went: 14 recipients, the rate, in that second's item
    assert taken.count(True) == 11 and alerts.count(True) == 3
    assert table.sent_by_key() == {f"EMAIL_RATE#{int(NOW.timestamp())}": 14}
    # And the next second starts afresh
    assert first.take(NOW + timedelta(seconds=1), 1, alert=False)


def test_an_email_to_more_recipients_than_the_room_left_waits(table):
    # Given a rate of 5 (4 for all but alerts) and 3 recipients already taken
    slots = DynamoDBSendSlots(table, lambda: 5.0)
    assert slots.take(NOW, 3, alert=False)
    # When an email to two more asks, then a lone alert
    # Then the email waits (SES counts recipients), and the alert has its place
    assert not slots.take(NOW, 2, alert=False)
    assert slots.take(NOW, 1, alert=True)


def test_a_container_that_found_its_second_full_asks_no_more_in_it(table):
    # Given a container whose second is full
    counting = CountingClient(table.client)
    slots = DynamoDBSendSlots(CasesTable(counting, table.name), lambda: 1.0)
    assert slots.take(NOW, 1, alert=False)
    assert not slots.take(NOW, 1, alert=False)
    asked = counting.updates
    # When it asks again and again in that second, for any email
    refused = [slots.take(NOW, 1, alert=alert) for alert in (False, True) * 50]
    # Then it refuses them itself: no write (a failed condition costs one too)
    assert not any(refused)
    assert counting.updates == asked + 1  # one for the alerts' class, once


def test_the_crisis_digest_is_claimed_once_a_minute_a_topic(table):
    # Given two containers, and a topic whose alert went now
    first, second = DynamoDBCrisisDigests(table), DynamoDBCrisisDigests(table)
    minute = timedelta(minutes=1)
    assert first.claim_crisis_digest("billing", NOW, minute) is not None
    # When cases of the topic keep coming within the minute, then past it
    within = [
        c.claim_crisis_digest("billing", NOW + timedelta(seconds=s), minute)
        for s in (1, 20, 59)
        for c in (first, second)
    ]
    claim = second.claim_crisis_digest("billing", NOW + timedelta(seconds=61), minute)
    # Then none claims it within the minute; past it one does, knowing when the last went
    assert within == [None] * 6
    assert claim is not None and claim.previous_at == NOW
    # And another topic has its own minute
    assert first.claim_crisis_digest("delivery", NOW + timedelta(seconds=1), minute)


def test_a_refused_claim_is_remembered_until_that_minute_is_over(table):
    # Given a digest claimed by another container
    counting = CountingClient(table.client)
    other, mine = (
        DynamoDBCrisisDigests(table),
        DynamoDBCrisisDigests(CasesTable(counting, table.name)),
    )
    other.claim_crisis_digest("billing", NOW, timedelta(minutes=1))
    # When this container's cases of the topic ask through the minute
    for seconds in range(1, 60):
        mine.claim_crisis_digest("billing", NOW + timedelta(seconds=seconds), timedelta(minutes=1))
    # Then it wrote once: the refusal told it when the minute ends
    assert counting.updates == 1
