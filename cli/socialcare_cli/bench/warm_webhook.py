"""Warm webhook path: our code's time per delivery, beside the AWS calls it cannot avoid.

Ours: the real handler module (Powertools logger and metrics, signature check, platform
parser, case store, workflow starter) with every AWS call answered by botocore's Stubber,
so no network time hides our own. The floor: a minimal script over the same stubbed
clients making the same AWS calls with the same parameters (recorded from our run and
built afresh for each call, as a script writing them out would), after the same HMAC check
and JSON parse of the same body. Blocks of deliveries alternate between
the two so that noise falls on both; logs and metrics go to /dev/null (written, not shown).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_REGION = "us-east-1"
_WORKFLOW_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:bench-CaseWorkflow"
_EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:execution:bench-CaseWorkflow:case"
# What each new message costs in AWS calls (see adapters/dynamodb_cases.py): the author's
# open case looked up, the case created in one transaction, its workflow started and noted.
_NEW_MESSAGE_CALLS = (
    ("dynamodb", "get_item", {}),
    ("dynamodb", "transact_write_items", {}),
    ("stepfunctions", "start_execution", {"executionArn": _EXECUTION_ARN}),
    ("dynamodb", "update_item", {}),
)


# Deliveries run in blocks, ours then the floor's, block after block: alternating every
# delivery made each side run with the other's code in the CPU caches; blocks keep the
# noise shared without that.
_BLOCK = 50


def _clients() -> dict[str, Any]:
    import boto3

    return {
        service: boto3.client(
            service,
            region_name=_REGION,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",  # noqa: S106 (stubbed: nothing is sent)
        )
        for service in ("dynamodb", "stepfunctions", "secretsmanager")
    }


def _load_handler(root: Path) -> Any:
    spec = importlib.util.spec_from_file_location(
        "socialcare_bench_webhook", root / "functions" / "webhook" / "app.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Logs and EMF metrics are written (their cost counts), to /dev/null: the descriptor
    itself, since the logger holds on to the stream it was created with."""
    sys.stdout.flush()
    saved = os.dup(1)
    sink = os.open(os.devnull, os.O_WRONLY)
    os.dup2(sink, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(sink)
        os.close(saved)


class _Recorder:
    """The parameters of every call our handler makes, for the floor to repeat (kept as
    given, not copied: a copy would be our cost, and neither side changes them)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls.append((model.service_model.service_name, model.name, params))


def measure(root: Path, deliveries: int = 2000, warmup: int = 50) -> dict[str, Any]:
    from botocore import xform_name
    from botocore.stub import Stubber

    from socialcare.adapters.dynamodb.cases import DynamoDBCaseStore
    from socialcare.adapters.secrets import PlatformSecretsSource
    from socialcare.adapters.step_functions import StepFunctionsWorkflowStarter
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.domain.clock import system_clock
    from socialcare_cli.local.stack import LambdaContext, local_secrets
    from socialcare_cli.synthetic import deliveries as synthetic_deliveries

    secrets = local_secrets({})
    clients = _clients()
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    stubbers["secretsmanager"].add_response(
        "get_secret_value",
        {"Name": "bench", "SecretString": json.dumps(secrets)},
    )
    deps = WebhookDependencies(
        store=DynamoDBCaseStore(clients["dynamodb"], "bench-cases"),
        workflows=StepFunctionsWorkflowStarter(clients["stepfunctions"], _WORKFLOW_ARN),
        secrets=PlatformSecretsSource("bench", client=clients["secretsmanager"]),
        clock=system_clock,
        telegram_bot_id="socialcare_bot",
        parking=None,
    )
    handler = _load_handler(root).lambda_handler
    context = LambdaContext("bench-webhook", "arn:aws:lambda:us-east-1:123456789012:function:b")
    sample = list(synthetic_deliveries(warmup + deliveries, secrets, root))

    def queue(messages: int) -> None:
        for _ in range(messages):
            for service, operation, response in _NEW_MESSAGE_CALLS:
                if operation == "start_execution":
                    response = {**response, "startDate": datetime.now(UTC)}
                stubbers[service].add_response(operation, response)

    recorder = _Recorder()
    for client in clients.values():
        client.meta.events.register("provide-client-params.*.*", recorder)

    # The harness's own objects (samples, stubs, modules) out of the collector's way, as a
    # Lambda container's heap holds only the function.
    gc.collect()
    gc.freeze()
    ours: list[float] = []
    floor: list[float] = []
    by_platform: dict[str, list[float]] = {}
    messages = 0
    with quiet_stdout():
        for first in range(0, len(sample), _BLOCK):
            block = sample[first : first + _BLOCK]
            recorded = []
            for delivery in block:  # ours: the real handler
                queue(delivery.messages)
                recorder.calls.clear()
                started = time.perf_counter()
                response = handler(delivery.event, context, dependencies=deps)
                elapsed = time.perf_counter() - started
                body = json.loads(response["body"])
                if response["statusCode"] != 200 or body.get("created") != delivery.messages:
                    raise RuntimeError(f"delivery {delivery.name} not recorded: {response}")
                calls = [c for c in recorder.calls if c[0] != "secretsmanager"]
                recorded.append((elapsed, calls))
            for offset, delivery in enumerate(block):  # the floor: same body, same calls
                elapsed, calls = recorded[offset]
                queue(delivery.messages)
                started = time.perf_counter()
                _floor(delivery.event, secrets, clients, calls, xform_name)
                floor_elapsed = time.perf_counter() - started
                if first + offset >= warmup:
                    ours.append(elapsed)
                    floor.append(floor_elapsed)
                    by_platform.setdefault(delivery.platform, []).append(elapsed)
                    messages += delivery.messages
    gc.unfreeze()
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()

    def ms(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100)[int(q) - 1] * 1000, 3)

    median, floor_median = statistics.median(ours), statistics.median(floor)
    return {
        "deliveries": len(ours),
        "messages": messages,
        "aws_calls_per_message": len(_NEW_MESSAGE_CALLS),
        "p50_ms": round(median * 1000, 3),
        "p99_ms": ms(ours, 99),
        "floor_p50_ms": round(floor_median * 1000, 3),
        "floor_p99_ms": ms(floor, 99),
        "ratio_p50": round(median / floor_median, 2),
        "ratio_p99": round(ms(ours, 99) / ms(floor, 99), 2),
        "p50_ms_by_platform": {
            platform: round(statistics.median(values) * 1000, 3)
            for platform, values in sorted(by_platform.items())
        },
        "target": 1.3,
        "ok": median / floor_median <= 1.3,
    }


def _floor(
    event: dict[str, Any],
    secrets: dict[str, str],
    clients: dict[str, Any],
    calls: list[tuple[str, str, dict[str, Any]]],
    xform_name: Any,
) -> None:
    raw = event["body"].encode()
    expected = hmac.new(secrets["meta_app_secret"].encode(), raw, hashlib.sha256).hexdigest()
    hmac.compare_digest(expected, expected)
    json.loads(raw)
    for service, operation, params in calls:
        getattr(clients[service], xform_name(operation))(**_built(params))


def _built(value: Any) -> Any:
    """The request parameters made afresh, as a minimal script writes them out (dicts
    and lists of the same strings): the calls need them, whoever builds them."""
    if type(value) is dict:
        return {key: _built(item) for key, item in value.items()}
    if type(value) is list:
        return [_built(item) for item in value]
    return value
