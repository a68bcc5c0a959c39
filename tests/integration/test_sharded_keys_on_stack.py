"""The keys a crisis writes and reads, on the local stack's table: the day index and the
owed emails spread over shards (and items written before them still read), and crisis
windows counted from per-minute counters, each case once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from socialcare.adapters.dynamodb.alerts import DynamoDBCaseAlerts
from socialcare.adapters.dynamodb.day_index import DEFAULT_DAY_INDEX_SHARDS, day_key
from socialcare.adapters.dynamodb.items import encode_item
from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails
from socialcare.adapters.dynamodb.report_days import DynamoDBCaseDays
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso
from socialcare.domain.email_delivery import EmailHold, OwedEmail
from socialcare.domain.failures import StorageUnavailable
from tests.conftest import sample
from tests.integration.webhook_helpers import deliver

DAY = "2026-12-07"
NOW = datetime(2026, 12, 7, 12, 0, 30, tzinfo=UTC)
WINDOW = timedelta(minutes=60)


def put_case(stack: Any, case_id: str, created: str, index_key: str) -> None:
    stack.client("dynamodb").put_item(
        TableName=stack.cases_table,
        Item=encode_item(
            PK=f"CASE#{case_id}",
            SK="CASE",
            entity="case",
            id=case_id,
            created_at=created,
            GSI1PK=index_key,
            GSI1SK=f"{created}#{case_id}",
        ),
    )


def test_a_days_cases_are_read_from_every_shard_and_the_unsharded_key(stack):
    # Given a day's cases written before the shards (DAY#<date>), with 4 shards, and after
    # the count was raised to 64 and lowered to 2
    written = {}
    for number in range(40):
        case_id = f"20261207-{number:016x}"
        created = f"{DAY}T10:{number:02d}:00.000Z"
        shards = (None, 4, 64, 2)[number % 4]
        key = f"DAY#{DAY}" if shards is None else day_key(DAY, case_id, shards)
        put_case(stack, case_id, created, key)
        written[case_id] = created
    put_case(stack, "20261208-0000000000000001", "2026-12-08T00:00:01.000Z", "DAY#2026-12-08#0")
    days = DynamoDBCaseDays(stack.client("dynamodb"), stack.cases_table)
    # When the report reads the day, whole and in part
    whole = {row.id for row in days.cases_created_on(DAY)}
    part = {row.id for row in days.cases_created_on(DAY, f"{DAY}T10:10", f"{DAY}T10:19~")}
    # Then every case of the day is there once, whatever key it carries, and no other day's
    assert whole == set(written)
    assert part == {f"20261207-{number:016x}" for number in range(10, 20)}


def test_new_cases_write_their_shard_of_the_day(stack):
    # Given a page's batch of three messages
    # When the webhook records them
    status, _ = deliver(stack, sample("meta_batched_page"))
    # Then each case item carries its shard's key of its day, not the unsharded key
    cases = [
        item
        for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
        if item["SK"]["S"] == "CASE"
    ]
    assert status == 200 and len(cases) == 3
    for case in cases:
        case_id, created = case["id"]["S"], case["created_at"]["S"]
        assert case["GSI1PK"]["S"] == day_key(created[:10], case_id, DEFAULT_DAY_INDEX_SHARDS)


def owed(case_id: str) -> OwedEmail:
    return OwedEmail(
        case_id=case_id,
        key="autonomous",
        to=("redes@segurosmarea.example",),
        subject=f"case {case_id}",
        text="text",
        html="<p>html</p>",
        hold=EmailHold.DIGEST,
        owed_at=NOW,
    )


def test_owed_emails_spread_over_shards_and_the_unsharded_key_is_still_read(stack):
    # Given 20 owed emails, and one owed before the shards (GSI1PK EMAIL_OWED)
    store = DynamoDBOwedEmails(CasesTable(stack.client("dynamodb"), stack.cases_table))
    ids = [f"20261207-{n:016x}" for n in range(20)]
    for case_id in ids:
        assert store.owe_email(owed(case_id))
    legacy = "20261206-00000000000000ff"
    stack.client("dynamodb").put_item(
        TableName=stack.cases_table,
        Item=encode_item(
            PK=f"CASE#{legacy}",
            SK="EMAIL_OWED#autonomous",
            case_id=legacy,
            key="autonomous",
            to=["redes@segurosmarea.example"],
            subject="old",
            text="t",
            html="h",
            hold="digest",
            owed_at=utc_iso(NOW),
            GSI1PK="EMAIL_OWED",
            GSI1SK=f"{utc_iso(NOW)}#{legacy}#autonomous",
        ),
    )
    # When the schedule lists them
    listed = store.owed_emails()
    # Then every one is listed once, and the new ones sit under more than one shard
    assert sorted(e.case_id for e in listed) == sorted([*ids, legacy])
    keys = {
        item["GSI1PK"]["S"]
        for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
        if "GSI1PK" in item
    }
    assert len(keys - {"EMAIL_OWED"}) > 5 and all(k.startswith("EMAIL_OWED") for k in keys)


def alerts(stack: Any, client: Any = None) -> DynamoDBCaseAlerts:
    return DynamoDBCaseAlerts(CasesTable(client or stack.client("dynamodb"), stack.cases_table))


def count(store: DynamoDBCaseAlerts, number: int, created: datetime) -> int:
    return store.count_negative("billing", f"20261207-{number:016x}", utc_iso(created), WINDOW, NOW)


def test_a_case_is_counted_once_however_often_its_triage_is_retried(stack):
    store = alerts(stack)
    # Given a negative case counted
    assert count(store, 1, NOW) == 1
    # When its triage step runs again
    again = count(store, 1, NOW)
    # Then it is not counted twice; another case is
    assert again == 1 and count(store, 2, NOW) == 2
    # And the minute's counter is one item, not one per case
    minutes = stack.client("dynamodb").query(
        TableName=stack.cases_table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :m)",
        ExpressionAttributeValues=encode_item(**{":pk": "CRISIS#billing", ":m": "MINUTE#"}),
    )["Items"]
    assert [(m["SK"]["S"], m["n"]["N"]) for m in minutes] == [("MINUTE#2026-12-07T12:00", "2")]


class FailingUpdates:
    """The stack's client, but its next UpdateItem is throttled."""

    def __init__(self, client: Any) -> None:
        self._client, self.fail = client, True

    def update_item(self, **kwargs: Any) -> Any:
        if self.fail:
            self.fail = False
            raise ClientError({"Error": {"Code": "ThrottlingException"}}, "UpdateItem")
        return self._client.update_item(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_a_count_that_could_not_be_added_is_added_by_the_retry(stack):
    # Given DynamoDB throttling the counter's ADD once
    flaky = alerts(stack, FailingUpdates(stack.client("dynamodb")))
    # When the negative case is counted, fails, and its step is retried
    with pytest.raises(StorageUnavailable):
        count(flaky, 1, NOW)
    # Then the retry counts it (its note was taken back), once
    assert count(flaky, 1, NOW) == 1 and count(flaky, 1, NOW) == 1


def test_the_window_counts_whole_minutes_and_the_window_before_shares_none(stack):
    store = alerts(stack)
    # Given negative cases in the window's first minute, just before it, and in the window
    # before (now 12:00:30, a 60-minute window: from 11:00 on; the one before from 10:00)
    at = {
        1: datetime(2026, 12, 7, 11, 0, 5, tzinfo=UTC),  # the first minute: counted
        2: datetime(2026, 12, 7, 10, 59, 59, tzinfo=UTC),  # the minute before: not
        3: datetime(2026, 12, 7, 10, 0, 0, tzinfo=UTC),  # the window before's first
        4: datetime(2026, 12, 7, 9, 59, 0, tzinfo=UTC),  # before both
        5: NOW,
    }
    for number, created in at.items():
        count(store, number, created)
    # When the window and the one before are counted
    current = store.count_negative_between("billing", NOW - WINDOW, None)
    before = store.count_negative_between("billing", NOW - 2 * WINDOW, NOW - WINDOW)
    # Then each case is in one window at most
    assert (current, before) == (2, 2)


def test_the_alert_lists_the_newest_cases_from_every_shard(stack):
    store = alerts(stack)
    # Given 30 negative cases, a minute apart
    for number in range(30):
        count(store, number, NOW - timedelta(minutes=29 - number))
    # When the alert asks for the newest 20 since 10 minutes ago
    ids = store.negative_case_ids("billing", NOW - timedelta(minutes=10, seconds=30), 20)
    # Then it gets the 11 of them, newest first
    assert ids == [f"20261207-{n:016x}" for n in range(29, 18, -1)]
    # And with a limit, only the newest
    assert store.negative_case_ids("billing", NOW - WINDOW, 3) == ids[:3]


def test_each_counted_case_is_findable_for_erasure_and_expires(stack):
    # Given a negative case counted
    count(alerts(stack), 7, NOW)
    case_id = f"20261207-{7:016x}"
    # Then what names it outside its partition is found by the person index, and expires
    found = stack.client("dynamodb").query(
        TableName=stack.cases_table,
        IndexName="GSI2",
        KeyConditionExpression="GSI2PK = :case",
        ExpressionAttributeValues=encode_item(**{":case": f"CASE#{case_id}"}),
    )["Items"]
    assert [item["PK"]["S"].split("#")[0] for item in found] == ["CRISIS"]
    item = stack.client("dynamodb").get_item(
        TableName=stack.cases_table, Key={"PK": found[0]["PK"], "SK": found[0]["SK"]}
    )["Item"]
    assert int(item["expires_at"]["N"]) == int((NOW + 2 * WINDOW).timestamp())


def test_one_crisis_alert_per_topic_and_window(stack):
    store = alerts(stack)
    assert store.claim_crisis_alert("billing", WINDOW, NOW)
    assert not store.claim_crisis_alert("billing", WINDOW, NOW + timedelta(minutes=59))
    assert store.claim_crisis_alert("billing", WINDOW, NOW + timedelta(minutes=61))
