"""The webhook handler when storage fails: the retry loses and duplicates nothing."""

from __future__ import annotations

from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords
from socialcare.adapters.dynamodb.table import CasesTable
from tests.conftest import sample
from tests.integration.webhook_helpers import (
    assert_one_workflow_per_derived_case,
    client,
    deliver,
    dependencies,
)


def test_storage_failure_answers_503_and_the_retry_loses_and_duplicates_nothing(stack):
    # Given DynamoDB refusing the second transaction of a three-message batch
    event = sample("meta_batched_page")
    flaky = client(stack, "dynamodb", fail={"TransactWriteItems"}, times=1)
    first = dependencies(stack)
    calls = {"n": 0}
    real_record = first.messages.record

    def record_then_fail(message, now):
        calls["n"] += 1
        if calls["n"] == 2:
            return DynamoDBMessageRecords(CasesTable(flaky, stack.cases_table)).record(message, now)
        return real_record(message, now)

    first.messages.record = record_then_fail
    # When it is delivered: the platform gets a 5xx, so it will retry
    status, body = deliver(stack, event, first)
    assert status == 503 and body["error"] == "unavailable"
    assert len(stack.list_cases()) == 1
    # And when the platform retries
    status, body = deliver(stack, event)
    # Then every message has exactly one case, each triaged once
    assert (status, body.get("created"), body.get("duplicate")) == (200, 2, 1)
    cases = stack.list_cases()
    assert len(cases) == 3
    assert_one_workflow_per_derived_case(stack)
