"""New cases reach triage through the table's stream, delivered as Lambda's event source
mapping would: partial failures, retries, the on-failure queue and `socialcare replay`.
Exactly one triage per case, one workflow per derived case, nothing lost."""

from __future__ import annotations

from socialcare_cli.local.dependencies import triage_dependencies
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample, sample_payload, signed_event, stream_event
from tests.integration.webhook_helpers import (
    assert_one_workflow_per_derived_case,
    client,
    deliver,
)

PRAISE = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"


def test_a_derived_case_has_one_workflow_and_an_autonomous_one_none(stack: LocalStack):
    # Given a complaint by DM and praise in public
    deliver(stack, sample("x_dm"))
    deliver(stack, sample("meta_instagram_comment"))
    # When the stream brings both to triage
    cases = assert_one_workflow_per_derived_case(stack)
    # Then each was triaged once, and only what a department answers has a workflow
    statuses = sorted(c["status"] for c in cases)
    assert len(cases) == 2 and len(stack.executions()) == sum(
        s not in ("autonomous", "spam") for s in statuses
    )


def test_appending_to_an_open_case_does_not_trigger_triage_again(stack: LocalStack):
    # Given a case triaged and waiting for its department
    deliver(stack, sample("meta_messenger_message"))
    stack.wait_until_triaged()
    triage = stack.function("TriageFunction")
    containers = triage.containers
    # When the same customer writes again
    deliver(stack, sample("meta_returning_customer"))
    # Then the message joins the case; triage is not invoked, nothing restarts
    assert stack.wait_for_streams()
    [case] = assert_one_workflow_per_derived_case(stack)
    assert case["message_count"] == 2 and triage.containers == containers


def test_one_record_that_cannot_be_triaged_does_not_hold_back_its_batch(stack: LocalStack):
    # Given a batch with a real new case and a record whose keys are not a case's
    deliver(stack, sample("x_dm"))
    stack.wait_until_triaged()
    [case] = stack.list_cases()
    event = stream_event(case["id"], "20261124-ffffffffffffffff")
    event["Records"][1]["dynamodb"]["Keys"]["PK"]["S"] = "CASE#not-a-case"
    # When the triage function gets the batch
    response = stack.function("TriageFunction").invoke(event)
    # Then only that record is reported for retry
    second = event["Records"][1]["dynamodb"]["SequenceNumber"]
    assert response == {"batchItemFailures": [{"itemIdentifier": second}]}


def test_a_case_that_no_longer_exists_is_skipped_and_the_batch_goes_on(stack: LocalStack):
    # Given a batch with the record of a case no longer there, then a real new case
    with stack.streams_paused():
        deliver(stack, sample("x_dm"))
    [case] = stack.list_cases()
    event = stream_event("20261124-ffffffffffffffff", case["id"])
    # When the triage function gets the batch
    response = stack.function("TriageFunction").invoke(event)
    # Then nothing is reported for retry, and the real case is triaged
    assert response == {"batchItemFailures": []}
    assert stack.get_case(case["id"])["status"] != "new"


def test_a_case_erased_before_triage_runs_lands_nowhere(stack: LocalStack):
    # Given a case recorded while the stream is busy, and erased before triage reads it
    errors = len(stack.invocation_errors)
    with stack.streams_paused():
        deliver(stack, sample("telegram_message"))
        [case] = stack.list_cases()
        erase_items(stack, case["id"])
    # When the stream delivers its record
    assert stack.wait_for_streams(timeout=30)
    # Then triage let it be: no retry, nothing in TriageFailuresQueue, no workflow
    assert stack.triage_failures() == 0 and len(stack.invocation_errors) == errors
    assert stack.executions() == []


def erase_items(stack: LocalStack, case_id: str) -> None:
    """What an erasure leaves of the case in the table: none of its items."""
    dynamodb = stack.client("dynamodb")
    items = dynamodb.scan(TableName=stack.cases_table)["Items"]
    for item in items:
        dynamodb.delete_item(TableName=stack.cases_table, Key={"PK": item["PK"], "SK": item["SK"]})


def test_a_throttled_start_execution_is_started_by_the_streams_retry(stack: LocalStack):
    # Given Step Functions refusing the triage function's first StartExecution
    flaky = client(stack, "stepfunctions", fail={"StartExecution"}, times=1)
    stack.stream_adapters["TriageFunction"] = {
        "dependencies": triage_dependencies(stack, stepfunctions=flaky)
    }
    # When a complaint arrives
    deliver(stack, sample("x_dm"))
    # Then the retried record starts its one workflow, and the case was triaged once
    [case] = assert_one_workflow_per_derived_case(stack)
    assert case["status"] == "derived" and stack.triage_failures() == 0


def test_a_batch_triage_gives_up_on_is_kept_and_replay_triages_it_once(stack: LocalStack):
    # Given the table refusing every read of the triage function
    broken = client(stack, "dynamodb", fail={"Query"}, times=10**9)
    stack.stream_adapters["TriageFunction"] = {
        "dependencies": triage_dependencies(stack, dynamodb=broken)
    }
    deliver(stack, sample("x_dm"))
    # When every retry of the stream has failed
    assert stack.wait_for_streams(timeout=30)
    # Then the case waits untriaged, its batch is in the failures queue
    [case] = stack.list_cases()
    assert case["status"] == "new" and stack.triage_failures() == 1
    # And once the table answers again, replay triages it, once
    stack.stream_adapters.clear()
    outcome = stack.replay_failed_deliveries()
    # (its message's record, in the same batch, is indexed again alike)
    assert outcome == {
        "triage_batches_replayed": 1,
        "cases_sent_to_triage": 1,
        "messages_sent_to_search_index": 1,
    }
    [case] = assert_one_workflow_per_derived_case(stack)
    assert case["status"] == "derived" and stack.triage_failures() == 0


def test_autonomous_cases_read_together_reach_the_social_team_in_one_email(stack: LocalStack):
    # Given three praises recorded while the stream is busy (read together)
    with stack.streams_paused():
        for number in range(3):
            payload = sample_payload("meta_facebook_comment")
            value = payload["entry"][0]["changes"][0]["value"]
            value.update(comment_id=f"998877665544_9{number}", message=PRAISE)
            value["from"] = {"id": f"61009{number}", "name": "Ana"}
            deliver(stack, signed_event("meta", payload))
        ids = [c["id"] for c in stack.list_cases()]
        # When triage gets them in one batch
        response = stack.function("TriageFunction").invoke(stream_event(*ids))
    # Then each is closed, and the social team got one email naming all three
    assert response == {"batchItemFailures": []}
    assert stack.wait_for_streams()
    assert {c["status"] for c in stack.list_cases()} == {"autonomous"}
    [email] = stack.outbox()
    assert all(case_id in email["text"] for case_id in ids) and "3" in email["subject"]
