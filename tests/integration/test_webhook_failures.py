"""The webhook handler when storage or the workflow fail: the retry loses and duplicates
nothing."""

from __future__ import annotations

from datetime import timedelta

from socialcare.adapters.dynamodb.cases import DynamoDBCaseStore
from tests.conftest import NOW, sample
from tests.integration.webhook_helpers import client, deliver, dependencies, executions_by_case


def test_storage_failure_answers_503_and_the_retry_loses_and_duplicates_nothing(stack):
    # Given DynamoDB refusing the second transaction of a three-message batch
    event = sample("meta_batched_page")
    flaky = client(stack, "dynamodb", fail={"TransactWriteItems"}, times=1)
    first = dependencies(stack)
    calls = {"n": 0}
    real_record = first.store.record

    def record_then_fail(message, now):
        calls["n"] += 1
        if calls["n"] == 2:
            return DynamoDBCaseStore(flaky, stack.cases_table).record(message, now)
        return real_record(message, now)

    first.store.record = record_then_fail
    # When it is delivered: the platform gets a 5xx, so it will retry
    status, body = deliver(stack, event, first)
    assert status == 503 and body["error"] == "unavailable"
    assert len(stack.list_cases()) == 1
    # And when the platform retries
    status, body = deliver(stack, event)
    # Then every message has exactly one case and one workflow
    assert (status, body.get("created"), body.get("duplicate")) == (200, 2, 1)
    cases = stack.list_cases()
    assert len(cases) == 3
    assert sorted(executions_by_case(stack).values()) == [1, 1, 1]


def test_a_failed_workflow_start_is_started_by_the_retry(stack):
    # Given Step Functions refusing StartExecution once
    event = sample("telegram_message")
    flaky_sfn = client(stack, "stepfunctions", fail={"StartExecution"}, times=1)
    status, _ = deliver(stack, event, dependencies(stack, sfn=flaky_sfn))
    # Then the platform is told to retry; the case is stored, waiting for its workflow
    assert status == 503
    [case] = stack.list_cases()
    assert case["status"] == "new" and "workflow_started_at" not in case
    # When the platform retries
    status, body = deliver(stack, event)
    # Then the same case gets its one workflow
    assert (status, body["duplicate"]) == (200, 1)
    assert executions_by_case(stack) == {f"case-{case['id']}": 1}
    assert stack.get_case(case["id"])["status"] == "derived"


def test_a_redelivery_does_not_steal_a_fresh_start_claim(stack):
    # Given a case whose creator is (still) starting its workflow: claim fresh, not started
    store = DynamoDBCaseStore(client(stack, "dynamodb"), stack.cases_table)
    deliver(stack, sample("x_dm"))
    [case] = stack.list_cases()
    # Then nobody else may claim it now, but may once the claim is abandoned (stale)
    assert store.claim_workflow_start(case["id"], NOW) is False  # already started
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{case['id']}"}, "SK": {"S": "CASE"}},
        UpdateExpression="REMOVE workflow_started_at SET workflow_claimed_at = :at",
        ExpressionAttributeValues={":at": {"S": "2026-11-24T10:00:00.000Z"}},
    )
    assert store.claim_workflow_start(case["id"], NOW + timedelta(seconds=30)) is False
    assert store.claim_workflow_start(case["id"], NOW + timedelta(seconds=61)) is True
