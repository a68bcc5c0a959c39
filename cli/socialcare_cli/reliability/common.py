"""What the scenarios share: percentiles, waiting for workflows, failing clients, log records."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from typing import Any

from socialcare_cli.local.stack import LocalStack

SENDERS = 8


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def wait_for_workflows(stack: LocalStack, expected: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        executions = stack.executions()
        done = [e for e in executions if e["status"] != "RUNNING"]
        if len(executions) >= expected and len(done) == len(executions):
            return executions
        if time.monotonic() > deadline:
            return executions
        time.sleep(1.0)


def failing_client(
    stack: LocalStack, service: str, operations: set[str] | None, rate: float, seed: int
):
    """A client whose calls (`operations`, or every call when None) fail at `rate` with a
    throttling error, injected by a botocore hook before anything is sent."""
    import boto3
    from botocore.awsrequest import AWSResponse
    from botocore.config import Config

    client = boto3.client(
        service,
        endpoint_url=stack.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 (the emulator accepts anything)
        config=Config(retries={"total_max_attempts": 1}),
    )
    rng = random.Random(seed)
    injected = Counter()

    def throttle(model, **_):
        if (operations is None or model.name in operations) and rng.random() < rate:
            injected[model.name] += 1
            error = {"Error": {"Code": "ThrottlingException", "Message": "injected"}}
            return AWSResponse(stack.endpoint_url, 400, {}, None), error
        return None

    client.meta.events.register(f"before-call.{client.meta.service_model.service_name}", throttle)
    return client, injected


def log_records(output: str) -> list[dict[str, Any]]:
    """The JSON records in captured output (threads may write two on one line)."""
    decoder, records, position = json.JSONDecoder(), [], 0
    while (start := output.find("{", position)) != -1:
        try:
            record, position = decoder.raw_decode(output, start)
        except ValueError:
            position = start + 1
            continue
        records.append(record)
    return records


def strings(value: Any) -> list[str]:
    """Every string inside a log record (numbers are timestamps and counts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []
