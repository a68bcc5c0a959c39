"""The crisis simulator end to end on a small burst: what it counts per partition key is
what the adapters called (recorded apart, by a hook of botocore's default session), and
its AWS refuses a call boto3 would refuse."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ParamValidationError

from socialcare_cli.bench.crisis_aws import CountedAws
from socialcare_cli.bench.crisis_capacity import TableSchema
from socialcare_cli.local.stack import project_root

_WRITES = {"PutItem", "UpdateItem", "DeleteItem"}


def test_the_fake_refuses_what_boto3_would_refuse():
    # Given a DynamoDB client as production configures it (client-side validation off),
    # counted by the simulator's AWS
    schema = TableSchema("cases", "PK", "SK", ())
    aws = CountedAws({"cases": schema}, lambda: 0)
    client = aws.install(
        boto3.client(
            "dynamodb",
            region_name="us-east-1",
            aws_access_key_id="crisis",
            aws_secret_access_key="crisis",
            config=Config(parameter_validation=False),
        )
    )
    # When a call misses a required parameter, or names one the API does not have
    # Then it is refused before any answer, as boto3's default client would
    with pytest.raises(ParamValidationError, match="Item"):
        client.put_item(TableName="cases")
    with pytest.raises(ParamValidationError, match="Itme"):
        client.put_item(TableName="cases", Item={"PK": {"S": "a"}}, Itme={})
    assert aws.ledger.series == {}


def test_a_small_burst_counts_exactly_what_the_adapters_called():
    # Given every AWS call of the handlers' clients recorded apart, by hooks of its own,
    # in a process of its own: the simulation's moto.mock_aws() resets every moto backend
    # of its process, and with them the session's local stack of this worker (tests/conftest)
    # When a burst of 3 simulated seconds at 15 deliveries a second runs in full
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
        results, counted, recorded, index_keys = child.submit(_recorded_burst).result()
    # Then every delivery was answered, new cases were triaged and derived ones started
    assert sum(results["deliveries"].values()) == 45
    assert set(results["webhook_statuses"]) == {"200"}
    assert results["invocations"]["case_stream"] > 0
    assert results["invocations"]["workflow"] == results["sfn_starts_total"] > 0
    # And the writes and reads counted per partition key are the calls' own
    assert counted == recorded
    # And each new case's day was written to the day index (GSI1) as often as it was put
    # (GSI1 also lists the emails held for the team's digest, under EMAIL_OWED#<shard>)
    days = [key for key in index_keys if key.startswith("DAY#")]
    assert days and all(key.startswith(("DAY#", "EMAIL_OWED#")) for key in index_keys)
    # And the summary holds the keys
    assert {
        "deliveries_per_s",
        "seconds",
        "peak_partition_wcu_per_s",
        "peak_partition_rcu_per_s",
        "peak_gsi_partition_wcu_per_s",
        "webhook_429_pct",
        "emails_per_s_peak",
        "ses_quota_per_s",
        "sfn_starts_per_s_peak",
    } <= set(results["summary"])


def _recorded_burst() -> tuple[dict[str, Any], Counter, Counter, list[str]]:
    """The burst's results, the ledger's operations on the cases table by partition key,
    the same counted from the recorded calls, and the day index's keys (in the child)."""
    from socialcare_cli.bench.crisis import Simulation
    from socialcare_cli.bench.crisis_stack import CrisisStack

    calls: list[tuple[str, str, dict, dict]] = []
    counted_client = CrisisStack.client

    def recorded_client(stack: CrisisStack, service: str) -> Any:
        client = counted_client(stack, service)

        def remember(params: dict, context: dict, **_: Any) -> None:
            context["recorded"] = params

        def record(model: Any, parsed: Any, context: dict, **_: Any) -> None:
            calls.append((service, model.name, context.get("recorded", {}), parsed))

        client.meta.events.register("provide-client-params", remember)
        client.meta.events.register("after-call", record)
        return client

    CrisisStack.client = recorded_client  # type: ignore[method-assign]  # this process only
    simulation = Simulation(project_root(), rate=15, seconds=3, fraction=1.0)
    results = simulation.run()
    ledger = simulation.stack.aws.ledger
    table = simulation.stack.refs["CasesTable"]
    counted = Counter(
        {(kind, key): n for (target, kind, key), n in ledger.operations.items() if target == table}
    )
    index_keys = [key for (target, _, key) in ledger.operations if target == f"{table}/GSI1"]
    return results, counted, _operations_by_key(calls, table), index_keys


def _operations_by_key(calls: list[tuple[str, str, dict, dict]], table: str) -> Counter:
    """Each item a recorded call wrote ("W") or read ("R") on `table`, by partition key."""
    found: Counter = Counter()
    for service, operation, params, _ in calls:
        if service != "dynamodb":
            continue
        if operation in _WRITES and params["TableName"] == table:
            found[("W", _partition(params))] += 1
        elif operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                [(_, action)] = entry.items()
                if action["TableName"] == table:
                    found[("W", _partition(action))] += 1
        elif operation == "GetItem" and params["TableName"] == table:
            found[("R", _partition(params))] += 1
        elif operation == "Query" and params["TableName"] == table and "IndexName" not in params:
            values = params["ExpressionAttributeValues"]
            [partition] = [v["S"] for k, v in values.items() if k in _hash_values(params)]
            found[("R", partition)] += 1
    return found


def _partition(action: dict[str, Any]) -> str:
    return (action.get("Key") or action.get("Item"))["PK"]["S"]


def _hash_values(params: dict[str, Any]) -> set[str]:
    """The value names the key condition sets PK equal to."""
    import re

    names = params.get("ExpressionAttributeNames") or {}
    pairs = re.findall(r"([#\w]+)\s*=\s*(:\w+)", params["KeyConditionExpression"])
    return {value for name, value in pairs if names.get(name, name) == "PK"}


def test_the_templates_schedules_run_on_the_simulated_clock():
    from datetime import UTC, datetime

    from socialcare_cli.bench.crisis_stack import CrisisStack, SimulatedClock

    # Given the template as it is
    stack = CrisisStack(project_root(), SimulatedClock(datetime(2026, 12, 7, tzinfo=UTC)), {})
    # Then the OwedEmails schedule is found, every minute, with its input
    assert ("workflow", 60, {"step": "owed_emails"}) in stack.schedules({"workflow"})
    # And the HTTP API's throttles are read from the template's parameters
    assert stack.throttles() == (2000.0, 4000.0)
