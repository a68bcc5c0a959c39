"""Workflow cost: what one case costs on each path, counted on the real stack.

Each path runs on the local stack (the real ASL in moto's interpreter, the real handlers):
a delivery through the webhook, then what the department does (or does not do) through the
links in its email. Counted per case: state transitions (StateEntered events in the
execution's history, which is what Step Functions Standard bills), Lambda invocations and
their time, HTTP API requests, DynamoDB requests and the request units they consume (from
the sizes of the items written and read), emails. Priced at the us-east-1 list prices.
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

# us-east-1 list prices (the table; README "Performance and cost").
PRICES = {
    "transition": 0.025 / 1000,
    "lambda_request": 0.20 / 1_000_000,
    "lambda_gb_second": 0.0000133334,  # arm64
    "http_request": 1.00 / 1_000_000,
    "write_unit": 0.625 / 1_000_000,
    "read_unit": 0.125 / 1_000_000,
    "email": 0.10 / 1000,
}
MIX = {"autonomous": 0.6, "derived_resolved": 0.3, "escalated_level_1": 0.1}
TARGETS = {"derived_resolved_transitions": 8, "autonomous_transitions": 3, "mix_usd": 0.40}
FAST = 1e6  # every business-hours deadline becomes the 1-second minimum
_READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
_WRITES = {
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactWriteItems",
}


class AwsCalls:
    """Every AWS call the handlers make (a botocore hook on the default session, which
    the handlers' clients copy when created), except the benchmark's own observation."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        self._observing = threading.local()
        self._lock = threading.Lock()

    def install(self) -> None:
        import boto3

        boto3.setup_default_session()
        boto3.DEFAULT_SESSION.events.register("provide-client-params", self._params)
        boto3.DEFAULT_SESSION.events.register("after-call", self._after_call)

    def _after_call(self, http_response: Any, parsed: Any, model: Any, context: Any, **_: Any):
        if getattr(self._observing, "on", False):
            return
        params = context.get("bench_params", {})
        with self._lock:
            self.calls.append((model.service_model.service_name, model.name, params, parsed))

    @staticmethod
    def _params(params: dict[str, Any], context: Any, **_: Any) -> None:
        context["bench_params"] = params

    @contextmanager
    def observing(self) -> Iterator[None]:
        self._observing.on = True
        try:
            yield
        finally:
            self._observing.on = False

    def take(self) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        with self._lock:
            taken, self.calls = self.calls, []
        return taken


def item_bytes(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (numbers about half their digits)."""
    return sum(len(name.encode()) + _value_bytes(value) for name, value in item.items())


def _value_bytes(value: dict[str, Any]) -> int:
    (kind, content), *_ = value.items()
    if kind in ("S", "B"):
        return len(content.encode() if isinstance(content, str) else content)
    if kind == "N":
        return math.ceil(len(content.lstrip("-").replace(".", "")) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_bytes(v) + 1 for k, v in content.items())
    if kind == "L":
        return 3 + sum(_value_bytes(v) + 1 for v in content)
    return sum(len(str(v).encode()) for v in content)  # sets


def request_units(
    operation: str, params: dict[str, Any], parsed: dict[str, Any], sizes: dict[str, int]
) -> tuple[float, float]:
    """(read units, write units) of one DynamoDB request, on-demand: writes 1 per 1 KB of
    item, reads 1 per 4 KB strongly consistent (half eventually), transactions double.
    An update is charged on the item's size, taken as its final size (an upper bound)."""

    def written(request: dict[str, Any]) -> int:
        if "Item" in request:
            return math.ceil(item_bytes(request["Item"]) / 1024) or 1
        return math.ceil(sizes.get(_key_of(request.get("Key", {})), 0) / 1024) or 1

    def read(items: list[dict[str, Any]], consistent: bool) -> float:
        units = math.ceil(sum(item_bytes(i) for i in items) / 4096) or 1
        return units if consistent else units / 2

    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return 0.0, float(written(params))
    if operation == "TransactWriteItems":
        return 0.0, float(
            sum(2 * written(next(iter(entry.values()))) for entry in params["TransactItems"])
        )
    if operation == "GetItem":
        items = [parsed["Item"]] if parsed.get("Item") else []
        return read(items, bool(params.get("ConsistentRead"))), 0.0
    if operation in ("Query", "Scan"):
        return read(parsed.get("Items", []), bool(params.get("ConsistentRead"))), 0.0
    if operation == "TransactGetItems":
        items = [r["Item"] for r in parsed.get("Responses", []) if r.get("Item")]
        return 2 * read(items, True), 0.0
    return 0.0, 0.0


def _key_of(key: dict[str, Any]) -> str:
    return f"{key.get('PK', {}).get('S')}|{key.get('SK', {}).get('S')}"


class _Invocations:
    """Lambda invocations of the stack's functions, with their duration."""

    def __init__(self, stack: Any) -> None:
        self.durations: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        for function in stack.functions.values():
            function.invoke = self._timed(function.logical_id, function.invoke)

    def _timed(self, name: str, invoke: Callable[..., Any]) -> Callable[..., Any]:
        def timed(event: Any, **adapters: Any) -> Any:
            started = time.perf_counter()
            try:
                return invoke(event, **adapters)
            finally:
                with self._lock:
                    self.durations.append((name, time.perf_counter() - started))

        return timed

    def take(self) -> list[tuple[str, float]]:
        with self._lock:
            taken, self.durations = self.durations, []
        return taken


class _Paths:
    """Drives one case down each path, as the platform and the department would."""

    def __init__(self, stack: Any, calls: AwsCalls) -> None:
        self.stack = stack
        self.calls = calls
        self.http_requests = 0

    def deliver(self, event: dict[str, Any]) -> str:
        with self.calls.observing():
            before = {c["id"] for c in self.stack.list_cases()}
        self.http_requests += 1
        response = self.stack.function("WebhookFunction").invoke(event)
        if response["statusCode"] != 200:
            raise RuntimeError(f"delivery refused: {response}")
        with self.calls.observing():
            [case_id] = {c["id"] for c in self.stack.list_cases()} - before
        return case_id

    def wait(self, case_id: str, ready: Callable[[dict[str, Any]], bool], timeout=60.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            with self.calls.observing():
                case = self.stack.get_case(case_id)
            if case and ready(case):
                return case
            if time.monotonic() > deadline:
                raise RuntimeError(f"case {case_id} never got there: {case and case['status']}")
            time.sleep(0.05)

    def email_link(self, case_id: str, address: str, choice: str, number: int = 1) -> str:
        deadline = time.monotonic() + 60
        while True:
            found = [
                m
                for m in self.stack.outbox()
                if address in m["to"] and case_id in m["subject"] and m["links"]
            ]
            if len(found) >= number:
                [url] = [u for u in found[number - 1]["links"] if u.endswith(f"?do={choice}")]
                return urlsplit(url).path.rsplit("/", 1)[1]
            if time.monotonic() > deadline:
                raise RuntimeError(f"no email {number} to {address} about {case_id}")
            time.sleep(0.05)

    def act(self, action_id: str, choice: str) -> None:
        """The department opens the link (GET) and confirms on the page (POST)."""
        import re

        from socialcare_cli.local.http import action_link_event

        actions = self.stack.function("ActionsFunction")

        def request(method: str, query: str, form: dict[str, str] | None) -> dict[str, Any]:
            self.http_requests += 1
            return actions.invoke(action_link_event(method, action_id, query, form))

        page = request("GET", f"do={choice}", None)["body"]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = request("POST", "", {"csrf_token": token, "action": choice})
        if answer["statusCode"] != 200:
            raise RuntimeError(f"the department's answer was refused: {answer['statusCode']}")

    def finished(self, case_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        with self.calls.observing():
            while True:
                [execution] = [e for e in self.stack.executions() if e["name"] == f"case-{case_id}"]
                if execution["status"] != "RUNNING":
                    return execution
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the workflow of {case_id} is still running")
                time.sleep(0.05)


def _run_path(stack: Any, paths: _Paths, name: str) -> str:
    """One case down the named path; its id."""
    from socialcare_cli.local.stack import local_secrets, project_root
    from socialcare_cli.samples import load_event
    from socialcare_cli.synthetic import deliveries

    root = project_root()
    support, support_lead = (
        "atencion.cliente@segurosmarea.example",
        "jefe.atencion@segurosmarea.example",
    )
    if name == "autonomous":
        [praise] = list(deliveries(1, local_secrets({}), root))  # praise on a Facebook post
        case_id = paths.deliver(praise.event)
        paths.wait(case_id, lambda c: "closed_at" in c)
    elif name == "derived_resolved":
        case_id = paths.deliver(load_event(root / "events" / "telegram_message.json"))
        paths.act(paths.email_link(case_id, support, "resolved"), "resolved")
        paths.wait(case_id, lambda c: "closed_at" in c)
    elif name == "escalated_level_1":
        stack.set_time_scale(FAST)  # customer service's deadline passes in a second
        case_id = paths.deliver(load_event(root / "events" / "telegram_message.json"))
        paths.wait(case_id, lambda c: c.get("escalation_level") == 1)
        stack.set_time_scale(1)  # the supervisor then has a real deadline, and acts
        paths.act(paths.email_link(case_id, support_lead, "resolved"), "resolved")
        paths.wait(case_id, lambda c: "closed_at" in c)
    elif name == "breached":
        stack.set_time_scale(FAST)  # nobody acts at any level
        case_id = paths.deliver(load_event(root / "events" / "x_dm.json"))
        paths.wait(case_id, lambda c: "closed_at" in c)
        stack.set_time_scale(1)
    else:
        raise ValueError(name)
    return case_id


def measure(stack: Any, calls: AwsCalls, runs: int = 3) -> dict[str, Any]:
    """Each path `runs` times (medians per case); the stack must be started after
    `calls.install()` so that the handlers' clients carry the hook."""
    memory = {
        logical_id: stack.template.function_memory(logical_id) for logical_id in stack.functions
    }
    invocations = _Invocations(stack)
    paths = _Paths(stack, calls)
    results: dict[str, Any] = {}
    for name in ("autonomous", "derived_resolved", "escalated_level_1", "breached"):
        samples = []
        for _ in range(runs):
            with calls.observing():
                stack.reset_data()
            calls.take()
            invocations.take()
            paths.http_requests = 0
            case_id = _run_path(stack, paths, name)
            execution = paths.finished(case_id)
            samples.append(_count(stack, calls, invocations, paths, execution, memory))
        results[name] = _median_sample(samples)
    mix = sum(share * results[path]["usd_per_1000_cases"] for path, share in MIX.items())
    return {
        "paths": results,
        "mix": {**MIX, "usd_per_1000_cases": round(mix, 4)},
        "prices": PRICES,
        "targets": TARGETS,
        "ok": results["derived_resolved"]["transitions"] <= TARGETS["derived_resolved_transitions"]
        and results["autonomous"]["transitions"] <= TARGETS["autonomous_transitions"]
        and mix <= TARGETS["mix_usd"],
    }


def _count(
    stack: Any,
    calls: AwsCalls,
    invocations: _Invocations,
    paths: _Paths,
    execution: dict[str, Any],
    memory: dict[str, int],
) -> dict[str, Any]:
    with calls.observing():
        sfn = stack.client("stepfunctions")
        history = sfn.get_execution_history(
            executionArn=execution["executionArn"], maxResults=1000
        )["events"]
        sizes = _final_item_sizes(stack)
    transitions = sum(1 for e in history if e["type"].endswith("StateEntered"))
    states = [
        e["stateEnteredEventDetails"]["name"] for e in history if e["type"].endswith("StateEntered")
    ]
    taken = calls.take()
    operations = Counter(f"{service}:{operation}" for service, operation, _, _ in taken)
    reads = writes = 0.0
    read_requests = write_requests = 0
    for service, operation, params, parsed in taken:
        if service != "dynamodb":
            continue
        read_units, write_units = request_units(operation, params, parsed, sizes)
        reads += read_units
        writes += write_units
        read_requests += operation in _READS
        write_requests += operation in _WRITES
    emails = operations["sesv2:SendEmail"]
    durations = invocations.take()
    gb_seconds = sum(
        memory[name] / 1024 * math.ceil(seconds * 1000) / 1000 for name, seconds in durations
    )
    cost = (
        transitions * PRICES["transition"]
        + len(durations) * PRICES["lambda_request"]
        + gb_seconds * PRICES["lambda_gb_second"]
        + paths.http_requests * PRICES["http_request"]
        + writes * PRICES["write_unit"]
        + reads * PRICES["read_unit"]
        + emails * PRICES["email"]
    )
    return {
        "status": execution["status"],
        "states": states,
        "transitions": transitions,
        "lambda_invocations": len(durations),
        "lambda_by_function": dict(Counter(name for name, _ in durations)),
        "lambda_gb_seconds": round(gb_seconds, 4),
        "http_requests": paths.http_requests,
        "dynamodb_read_requests": read_requests,
        "dynamodb_write_requests": write_requests,
        "dynamodb_read_units": reads,
        "dynamodb_write_units": writes,
        "emails": emails,
        "usd_per_1000_cases": round(cost * 1000, 4),
        "usd_share": {
            "step_functions": round(transitions * PRICES["transition"] / cost, 3),
            "ses": round(emails * PRICES["email"] / cost, 3),
        },
    }


def _final_item_sizes(stack: Any) -> dict[str, int]:
    dynamodb = stack.client("dynamodb")
    sizes = {}
    for page in dynamodb.get_paginator("scan").paginate(TableName=stack.cases_table):
        for item in page["Items"]:
            sizes[_key_of(item)] = item_bytes(item)
    return sizes


def _median_sample(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts are the same run to run; Lambda time (and so its cost) varies: the median."""
    ordered = sorted(samples, key=lambda s: s["usd_per_1000_cases"])
    middle = dict(ordered[len(ordered) // 2])
    middle["usd_per_1000_cases_runs"] = [s["usd_per_1000_cases"] for s in samples]
    middle["lambda_gb_seconds_median"] = statistics.median(s["lambda_gb_seconds"] for s in samples)
    return middle
