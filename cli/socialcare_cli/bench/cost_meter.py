"""What one case costs, item by item: the AWS calls the handlers made (DynamoDB units,
GSI copies, SES recipients), their Lambda invocations and time, the bytes they logged,
the HTTP requests, the state machine's transitions; priced by aws_costs.py."""

from __future__ import annotations

import math
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from socialcare_cli.bench.aws_calls import running
from socialcare_cli.bench.aws_costs import (
    PLATFORM_CALL_MS,
    PLATFORM_LOG_BYTES,
    PLATFORM_PRICES,
    PRICES,
    _key_of,
    counted_requests,
    email_recipients,
    index_write_units,
    item_bytes,
    request_units,
)
from socialcare_cli.bench.volume_costs import (
    BURST,
    LOW,
    LOW_STATUSES,
    TABLE_CLASSES,
    TableClass,
    Volume,
    retention_days,
    storage,
    table_class,
    table_indexes,
    template_traces,
    volume_items,
)

# Deliveries that make no case, per reply the brand sends: WhatsApp reports each message
# sent, delivered and read (three webhook deliveries); Messenger's echo and the Page's own
# comment are one. Every reply is counted as if on WhatsApp: an upper bound.
# https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
NON_CASE_DELIVERIES_PER_REPLY = 3


class Invocations:
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
                with running(name):
                    return invoke(event, **adapters)
            finally:
                with self._lock:
                    self.durations.append((name, time.perf_counter() - started))

        return timed

    def take(self) -> list[tuple[str, float]]:
        with self._lock:
            taken, self.durations = self.durations, []
        return taken


class Meter:
    """Everything one case costs, from the calls, invocations and log bytes it made."""

    def __init__(
        self, stack: Any, calls: Any, log: Any, memory: dict[str, int], init_ms: dict
    ) -> None:
        self.stack, self.calls, self.log, self.memory = stack, calls, log, memory
        self.invocations = Invocations(stack)
        self.init_ms = {f: float(init_ms.get(f, 500.0)) for f in memory}
        from socialcare_cli.local.stack import project_root

        self.indexes = table_indexes(stack.template)
        self.table_class = table_class(stack.template)
        self.traces = template_traces(stack.template)
        self.retention_days = retention_days(project_root())
        self._log_start = 0
        self._platform_start = 0

    def start(self) -> None:
        self.calls.take()
        self.invocations.take()
        self._log_start = self._logged()
        self._platform_start = len(self.stack.platforms.calls_made())

    def _logged(self) -> int:
        """Bytes the handlers have written to stdout (redirected to `log`)."""
        sys.stdout.flush()
        return os.fstat(self.log.fileno()).st_size

    def non_case_delivery(self, paths: Any, runs: int = 3) -> dict[str, Any]:
        """A delivery that makes no case (WhatsApp statuses), priced as any other: the
        median of `runs` after one that warms the container (the first on a fresh stack
        also builds its clients and reads its secrets, which volume_costs.py prices)."""
        from socialcare_cli.local.stack import project_root
        from socialcare_cli.samples import load_event

        event = load_event(project_root() / "events" / "meta_ignored_whatsapp_statuses.json")
        samples = []
        for run in range(runs + 1):
            self.start()
            paths.http_requests = 1
            response = self.stack.function("WebhookFunction").invoke(event)
            if response["statusCode"] != 200:
                raise RuntimeError(f"the statuses delivery was refused: {response}")
            counted = self._count(paths, None, None, low=LOW_STATUSES)
            if run:
                samples.append(counted)
        return median_sample(samples)

    def count(
        self, paths: Any, execution: dict | None, non_case: dict | None, cases: int = 1
    ) -> dict:
        """Per case: what `cases` cases of the same path cost together, divided."""
        counted = self._count(paths, execution, non_case, cases)
        if cases == 1:
            return counted
        per_case: dict[str, Any] = {
            k: round(v / cases, 4) if isinstance(v, (int, float)) and k != "transitions" else v
            for k, v in counted.items()
        }
        for key in (
            "usd_per_1000_by_item",
            "usd_per_1000_low_volume_by_item",
            "dynamodb_usd_per_1000_by_table_class",
        ):
            per_case[key] = {k: round(v / cases, 5) for k, v in counted[key].items()}
        kinds = counted["stored_bytes_by_kind"]
        per_case["stored_bytes_by_kind"] = {k: round(v / cases) for k, v in kinds.items()}
        return {**per_case, "cases_measured_together": cases}

    def _count(
        self,
        paths: Any,
        execution: dict | None,
        non_case: dict | None,
        cases: int = 1,
        low: Volume = LOW,
    ) -> dict:
        with self.calls.observing():
            history = []
            if execution is not None:
                sfn = self.stack.client("stepfunctions")
                history = sfn.get_execution_history(
                    executionArn=execution["executionArn"], maxResults=1000
                )["events"]
            items_left = _items_left(self.stack)
        sizes = {_key_of(item): item_bytes(item) for item in items_left}
        indexed = {_key_of(item) for item in items_left if "GSI1PK" in item}
        states = [
            e["stateEnteredEventDetails"]["name"]
            for e in history
            if e["type"].endswith("StateEntered")
        ]
        taken = self.calls.take()
        operations = Counter(f"{service}:{operation}" for service, operation, _, _ in taken)
        reads = writes = index_writes = 0.0
        # Of them, the cases table's (priced at its class; the rest at Standard's).
        table_reads = table_writes = 0.0
        read_requests = write_requests = recipients = 0
        for service, operation, params, parsed in taken:
            if service == "sesv2":
                recipients += email_recipients(params)
            if service != "dynamodb":
                continue
            read_units, write_units = request_units(operation, params, parsed, sizes)
            reads, writes = reads + read_units, writes + write_units
            index_units = index_write_units(operation, params, sizes, indexed)
            index_writes += index_units
            if _table_of(params) == self.stack.cases_table:
                table_reads += read_units
                table_writes += write_units + index_units
            is_read, is_write = counted_requests(operation)
            read_requests, write_requests = read_requests + is_read, write_requests + is_write
        durations = self.invocations.take()
        gb_seconds = sum(
            self.memory[name] / 1024 * math.ceil(seconds * 1000) / 1000
            for name, seconds in durations
        )
        log_bytes = self._logged() - self._log_start + PLATFORM_LOG_BYTES * len(durations)
        platform_calls = self.stack.platforms.calls_made()[self._platform_start :]
        replies = sum(1 for call in platform_calls if call["method"] != "GET")
        # Answers go out from the triage and actions functions, both at the same memory.
        caller_gb = self.memory.get("ActionsFunction", 512) / 1024
        platform_seconds = len(platform_calls) * PLATFORM_CALL_MS / 1000
        stored = storage(
            items_left, self.indexes, time.time(), self.retention_days, self.table_class
        )

        def dynamodb_usd(table: TableClass) -> dict[str, float]:
            extra = table.request_factor - 1.0
            return {
                "dynamodb_writes": (writes + index_writes + extra * table_writes)
                * PRICES["write_unit"],
                "dynamodb_reads": (reads + extra * table_reads) * PRICES["read_unit"],
                "dynamodb_storage": stored["gb_months"] * table.storage_gb_month,
                "dynamodb_pitr": stored["pitr_usd"],
            }

        items = {
            "transitions": len(states) * PRICES["transition"],
            "lambda_requests": len(durations) * PRICES["lambda_request"],
            "lambda_duration": gb_seconds * PRICES["lambda_gb_second"],
            "http_requests": paths.http_requests * PRICES["http_request"],
            **dynamodb_usd(self.table_class),
            "ses": recipients * PRICES["email_recipient"],
            "logs": log_bytes / 1024**3 * PRICES["log_gb"],
            "lambda_waiting_for_platforms": caller_gb
            * platform_seconds
            * PRICES["lambda_gb_second"],
        }
        by_function = dict(Counter(name for name, _ in durations))
        at = {
            volume.name: volume_items(
                by_function,
                int(execution is not None),
                self.memory,
                self.init_ms,
                self.traces,
                volume,
                PRICES,
                cases,
            )
            for volume in (BURST, low)
        }
        items_low = {**items, **at["low"]}
        items.update(at["burst"])
        if non_case is not None:
            deliveries = NON_CASE_DELIVERIES_PER_REPLY * replies
            items["non_case_deliveries"] = deliveries * non_case["usd_per_1000_cases"] / 1000
            items_low["non_case_deliveries"] = (
                deliveries * non_case["usd_per_1000_cases_low_volume"] / 1000
            )
        cost = sum(items.values())
        return {
            "status": execution["status"] if execution else "no execution",
            "states": states,
            "transitions": len(states),
            "lambda_invocations": len(durations),
            "lambda_by_function": by_function,
            "lambda_gb_seconds": round(gb_seconds, 4),
            "http_requests": paths.http_requests,
            "dynamodb_read_requests": read_requests,
            "dynamodb_write_requests": write_requests,
            "dynamodb_read_units": reads,
            "dynamodb_write_units": writes,
            "dynamodb_index_write_units": index_writes,
            "emails": operations["sesv2:SendEmail"],
            "email_recipients": recipients,
            "log_bytes": log_bytes,
            "stored_table_bytes": stored["table_bytes"],
            "stored_index_bytes": stored["index_bytes"],
            "stored_bytes_by_kind": stored["bytes_by_kind"],
            # The cases table's class as the template declares it, and DynamoDB's share of
            # the cost under each class (for the choice between them).
            "table_class": self.table_class.name,
            "dynamodb_usd_per_1000_by_table_class": {
                name: round(sum(dynamodb_usd(table).values()) * 1000, 5)
                for name, table in TABLE_CLASSES.items()
            },
            "platform_replies": replies,
            "usd_per_1000_cases": round(cost * 1000, 4),
            "usd_per_1000_by_item": {k: round(v * 1000, 5) for k, v in items.items()},
            "usd_per_1000_cases_low_volume": round(sum(items_low.values()) * 1000, 4),
            "usd_per_1000_low_volume_by_item": {
                k: round(v * 1000, 5) for k, v in items_low.items()
            },
            "platform_calls": len(platform_calls),
            # Of them, reads (GET): triage's author names and mention texts.
            "platform_reads": sum(1 for c in platform_calls if c["method"] == "GET"),
            "platform_calls_by_platform": dict(Counter(c["platform"] for c in platform_calls)),
            "platform_fees_usd_per_1000_cases": round(platform_fees(platform_calls) * 1000, 4),
        }


def platform_fees(calls: list[dict[str, Any]]) -> float:
    """What the platforms bill for the calls that created something (X's posts and DMs)."""
    fees = 0.0
    for call in calls:
        created = call["platform"] == "x" and call["status"] == 201 and call.get("fault") != "500"
        if not created:
            continue
        text = str((call.get("body") or {}).get("text", ""))
        with_url = "http://" in text or "https://" in text
        fees += PLATFORM_PRICES["x_post_with_url" if with_url else "x_post"]
    return fees


def _table_of(params: dict[str, Any]) -> str | None:
    """The table a DynamoDB request names (a transaction's: its first item's)."""
    if "TransactItems" in params:
        params = next(iter(params["TransactItems"][0].values()))
    return params.get("TableName")


def _items_left(stack: Any) -> list[dict[str, Any]]:
    """Every item the path left in the cases table (the table is emptied before it)."""
    dynamodb = stack.client("dynamodb")
    return [
        item
        for page in dynamodb.get_paginator("scan").paginate(TableName=stack.cases_table)
        for item in page["Items"]
    ]


def median_sample(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts are the same run to run; Lambda time (and so its cost) varies: the median."""
    ordered = sorted(samples, key=lambda s: s["usd_per_1000_cases"])
    middle = dict(ordered[len(ordered) // 2])
    middle["usd_per_1000_cases_runs"] = [s["usd_per_1000_cases"] for s in samples]
    middle["lambda_gb_seconds_median"] = statistics.median(s["lambda_gb_seconds"] for s in samples)
    return middle
