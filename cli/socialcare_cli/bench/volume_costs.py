"""What a case costs beyond its requests, and what changes with the volume: the bytes it
leaves in DynamoDB over the retention (storage and point-in-time recovery), Secrets
Manager reads (per cold start and cache expiry), X-Ray traces at Lambda's sampling rate,
and the share of invocations that start a container."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcare_cli.bench.aws_costs import item_bytes

VOLUME_PRICES = {
    # Continuous backups (PITR), us-east-1: $0.20 per GB-month of the table's size (its
    # data and local secondary indexes, not its GSIs), whatever its table class.
    # https://aws.amazon.com/dynamodb/pricing/on-demand/
    # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html
    "pitr_gb_month": 0.20,
    # $0.05 per 10,000 API calls. https://aws.amazon.com/secrets-manager/pricing/
    "secrets_api_call": 0.05 / 10_000,
}


@dataclass(frozen=True)
class TableClass:
    """What a DynamoDB table class bills: storage per GB-month (the first 25 GB free, not
    counted here) and its request units against the Standard class's prices."""

    name: str
    storage_gb_month: float
    request_factor: float


# us-east-1, on demand: Standard stores at $0.25 per GB-month; Standard-IA at $0.10, its
# reads and writes 25% dearer. https://aws.amazon.com/dynamodb/pricing/on-demand/
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.TableClasses.html
TABLE_CLASSES = {
    c.name: c
    for c in (
        TableClass("STANDARD", storage_gb_month=0.25, request_factor=1.0),
        TableClass("STANDARD_INFREQUENT_ACCESS", storage_gb_month=0.10, request_factor=1.25),
    )
}


def table_class(template: Any, table: str = "CasesTable") -> TableClass:
    """The table class the template declares for the table (STANDARD when it names none)."""
    properties = template.resources[table]["Properties"]
    return TABLE_CLASSES[properties.get("TableClass", "STANDARD")]


# DynamoDB counts 100 bytes of overhead per item, in the table and in each index that
# holds a copy of it (keys and projected attributes besides).
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
ITEM_OVERHEAD_BYTES = 100
TABLE_KEYS = ("PK", "SK")
DAYS_PER_MONTH = 365 / 12
GB = 1024**3
# Lambda's active tracing samples the first request each second and 5% of the others;
# the rate cannot be configured for a function (taken per function: an upper bound).
# https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
# A function in PassThrough mode records a segment only in a caller's sampled trace
# (no trace of its own). https://docs.aws.amazon.com/lambda/latest/dg/API_TracingConfig.html
# A traced state machine makes one trace per execution, sampled by X-Ray's default rule
# (the same 1 a second and 5%), the functions it invokes inside it.
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html
XRAY_RESERVOIR_PER_S = 1.0
XRAY_RATE = 0.05


@dataclass(frozen=True)
class Volume:
    """How busy the stack is, for what the volume changes.

    cold_share: the invocations that start a container (init billed, secrets read), and
    by function where it differs; cases_per_s: the flow that decides X-Ray's sampled
    share (None: one case at a time); secret_reads_per_cold_start: what a container reads
    of each of its secrets for each of its cold starts (cache expiries included).
    """

    name: str
    cold_share: float
    cases_per_s: float | None
    secret_reads_per_cold_start: float
    cold_share_by_function: dict[str, float] = field(default_factory=dict)

    def cold(self, function: str) -> float:
        return self.cold_share_by_function.get(function, self.cold_share)


# At volume: the stream's 4 lanes fill a batch of 10 within its 5-second window
# (template.yaml's case stream mapping) from 8 cases a second; containers stay warm
# (2% of invocations start one). A container also re-reads its secrets when its cache
# expires (SECRETS_MAX_AGE_SECONDS, 300): at most once per 300 s per secret, fewer than
# its cold starts' reads once it serves one invocation every 6 s: counted as many again.
BURST = Volume("burst", cold_share=0.02, cases_per_s=8.0, secret_reads_per_cold_start=2.0)
# Low volume: cases minutes apart, no batching, every invocation traced (under Lambda's
# 1 request a second). Lambda keeps no promise on how long an idle container lives: every
# invocation is taken as a cold start but a page's POST, which follows its GET within
# seconds (the actions function: half its invocations).
LOW = Volume(
    "low",
    cold_share=1.0,
    cases_per_s=None,
    secret_reads_per_cold_start=1.0,
    cold_share_by_function={"ActionsFunction": 0.5},
)
# A reply's statuses at low volume: sent and delivered within seconds of each other (one
# cold start), read when the customer reads it (another): 2 of 3.
LOW_STATUSES = Volume("low", cold_share=2 / 3, cases_per_s=None, secret_reads_per_cold_start=1.0)


def traced_share(invocations_per_s: float | None) -> float:
    """The share of a function's invocations X-Ray records at that rate."""
    if invocations_per_s is None or invocations_per_s <= XRAY_RESERVOIR_PER_S:
        return 1.0
    rest = invocations_per_s - XRAY_RESERVOIR_PER_S
    return (XRAY_RESERVOIR_PER_S + XRAY_RATE * rest) / invocations_per_s


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[str, ...]
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    non_key: tuple[str, ...] = ()

    def projected_bytes(self, item: dict[str, Any]) -> int:
        """What this index stores of the item (0: the item is not in it)."""
        if any(key not in item for key in self.keys):
            return 0  # a sparse index: items without its keys are not copied
        if self.projection == "ALL":
            kept = item
        else:
            names = set(self.keys) | set(TABLE_KEYS) | set(self.non_key)
            kept = {name: value for name, value in item.items() if name in names}
        return item_bytes(kept) + ITEM_OVERHEAD_BYTES


def table_indexes(template: Any, table: str = "CasesTable") -> list[Index]:
    """The table's global secondary indexes as the template defines them."""
    properties = template.resources[table]["Properties"]
    return [
        Index(
            name=index["IndexName"],
            keys=tuple(key["AttributeName"] for key in index["KeySchema"]),
            projection=index["Projection"]["ProjectionType"],
            non_key=tuple(index["Projection"].get("NonKeyAttributes", ())),
        )
        for index in properties.get("GlobalSecondaryIndexes", [])
    ]


def retention_days(root: Path) -> int:
    """How long a closed case is kept (routing.yaml's retention.closed_case_days)."""
    text = (root / "layers/socialcare/socialcare/config/routing.yaml").read_text("utf-8")
    found = re.search(r"^retention:\s*\n\s+closed_case_days:\s*(\d+)", text, re.M)
    if not found:
        raise ValueError("routing.yaml names no retention.closed_case_days")
    return int(found.group(1))


# Items a run deletes once done, that a path's end finds still waiting: an email owed to
# the social team's hourly digest (or held while SES refuses it) is deleted when it goes
# (adapters/dynamodb/owed_emails.py): taken as a day.
TRANSIENT_DAYS = {"EMAIL_OWED": 1.0}


def stored_days(item: dict[str, Any], now: float, retention: int) -> float:
    """How long the item stays: until its TTL (expires_at), the run that deletes it, or
    the case's retention."""
    kind = item.get("SK", {}).get("S", "").split("#", 1)[0]
    if kind in TRANSIENT_DAYS:
        return min(float(retention), TRANSIENT_DAYS[kind])
    expires = item.get("expires_at", {}).get("N")
    if expires is None:
        return float(retention)
    return min(float(retention), max(0.0, (float(expires) - now) / 86_400))


def storage(
    items: list[dict[str, Any]],
    indexes: list[Index],
    now: float,
    retention: int,
    table_class: TableClass = TABLE_CLASSES["STANDARD"],
) -> dict[str, Any]:
    """GB-months the items take in the table and in its indexes over their lifetime, and
    what those cost: storage on both at the table class's price, point-in-time recovery
    on the table's bytes."""
    table_gb_months = index_gb_months = 0.0
    for item in items:
        months = stored_days(item, now, retention) / DAYS_PER_MONTH
        table_gb_months += (item_bytes(item) + ITEM_OVERHEAD_BYTES) / GB * months
        index_gb_months += sum(index.projected_bytes(item) for index in indexes) / GB * months
    return {
        "table_bytes": sum(item_bytes(i) + ITEM_OVERHEAD_BYTES for i in items),
        "index_bytes": sum(index.projected_bytes(i) for i in items for index in indexes),
        "bytes_by_kind": bytes_by_kind(items, indexes),
        "gb_months": table_gb_months + index_gb_months,
        "storage_usd": (table_gb_months + index_gb_months) * table_class.storage_gb_month,
        "pitr_usd": table_gb_months * VOLUME_PRICES["pitr_gb_month"],
    }


@dataclass(frozen=True)
class Traces:
    """What makes a trace of its own: the functions in Active mode, each invocation;
    the state machine (when its tracing is on), each execution."""

    active_functions: frozenset[str]
    state_machine: bool

    def recorded(
        self, by_function: dict[str, int], executions: int, volume: Volume, cases: int
    ) -> float:
        """Traces recorded for what `cases` cases made together, at the volume."""

        def sampled(count: float) -> float:
            rate = None if volume.cases_per_s is None else volume.cases_per_s * count / cases
            return count * traced_share(rate)

        traces = sum(sampled(n) for f, n in by_function.items() if f in self.active_functions)
        return traces + (sampled(executions) if self.state_machine else 0.0)


def template_traces(template: Any) -> Traces:
    shared = template.body.get("Globals", {}).get("Function", {}).get("Tracing")
    active = frozenset(
        name
        for name, function in template.functions().items()
        if function.get("Properties", {}).get("Tracing", shared) == "Active"
    )
    machines = template.of_type("AWS::Serverless::StateMachine").values()
    traced = any(m.get("Properties", {}).get("Tracing", {}).get("Enabled") for m in machines)
    return Traces(active, bool(traced))


def volume_items(
    by_function: dict[str, int],
    executions: int,
    memory_mb: dict[str, int],
    init_ms: dict[str, float],
    traces: Traces,
    volume: Volume,
    prices: dict[str, float],
    cases: int = 1,
) -> dict[str, float]:
    """USD of what the volume changes, for what `cases` cases made together: init billed
    on the cold share, traces as sampled."""
    init = sum(
        invocations * volume.cold(function) * memory_mb[function] / 1024 * init_ms[function]
        for function, invocations in by_function.items()
    )
    recorded = traces.recorded(by_function, executions, volume, cases)
    return {
        "lambda_init": init / 1000 * prices["lambda_gb_second"],
        "xray": recorded * prices["xray_trace"],
    }


def bytes_by_kind(items: list[dict[str, Any]], indexes: list[Index]) -> dict[str, int]:
    """Stored bytes (table and indexes) by the kind of item: its sort key's first part
    (its partition key's when the sort key is the partition's only kind), for the key
    design to read where the bytes go."""
    kinds: dict[str, int] = {}
    for item in items:
        sort_key = item.get("SK", {}).get("S", "")
        kind = sort_key.split("#", 1)[0] or item.get("PK", {}).get("S", "").split("#", 1)[0]
        stored = item_bytes(item) + ITEM_OVERHEAD_BYTES
        stored += sum(index.projected_bytes(item) for index in indexes)
        kinds[kind] = kinds.get(kind, 0) + stored
    return dict(sorted(kinds.items(), key=lambda kind: -kind[1]))


def secrets_usd(by_function: dict[str, int], secrets: dict[str, int], volume: Volume) -> float:
    """Secrets Manager reads of those invocations: `secrets` per function, what a cold
    container reads (counted on the local stack from the calls each function made)."""
    reads = sum(
        invocations
        * volume.cold(function)
        * volume.secret_reads_per_cold_start
        * secrets.get(function, 0)
        for function, invocations in by_function.items()
    )
    return reads * VOLUME_PRICES["secrets_api_call"]
