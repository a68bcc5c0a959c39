"""Workflow cost: what one case costs on each path, counted on the real stack.

Each path runs on the local stack (the real ASL in moto's interpreter, the real handlers):
a delivery through the webhook, the stream's triage, then what the department does (or
does not do) through the links in its email (cost_paths.py). What that cost, item by
item, is cost_meter.py's; what the volume changes (and storage) volume_costs.py's; the
prices and the fixed monthly costs aws_costs.py's. Two mixes: at volume (autonomous cases
triaged in batches) and at low volume (one at a time, containers cold).
"""

from __future__ import annotations

from typing import Any

from socialcare_cli.bench.aws_calls import AwsCalls
from socialcare_cli.bench.aws_costs import (
    PLATFORM_CALL_MS,
    PLATFORM_LOG_BYTES,
    PRICES,
    break_even_cases,
    fixed_monthly,
)
from socialcare_cli.bench.cost_meter import (
    NON_CASE_DELIVERIES_PER_REPLY,
    Meter,
    median_sample,
)
from socialcare_cli.bench.cost_paths import AUTONOMOUS_BURST, Paths, run_path
from socialcare_cli.bench.volume_costs import (
    BURST,
    LOW,
    LOW_STATUSES,
    VOLUME_PRICES,
    XRAY_RATE,
    XRAY_RESERVOIR_PER_S,
    Volume,
    secrets_usd,
)

MIX = {"autonomous": 0.6, "derived_resolved": 0.3, "escalated_l1": 0.1}
# At low volume cases come one at a time: the autonomous ones are triaged alone.
MIX_LOW_VOLUME = {"autonomous_alone": 0.6, "derived_resolved": 0.3, "escalated_l1": 0.1}
TARGETS = {
    "derived_resolved_transitions": 8,
    "autonomous_transitions": 0,
    "mix_usd": 0.25,
    "mix_low_volume_usd": 0.35,
}
PATHS = ("autonomous", "autonomous_alone", "derived_resolved", "escalated_l1", "breached")


def measure(
    stack: Any, calls: AwsCalls, log: Any, runs: int = 3, init_ms: dict[str, float] | None = None
) -> dict[str, Any]:
    """Each path `runs` times (medians per case); the stack must be started after
    `calls.install()` so that the handlers' clients carry the hook. `log`: the file the
    handlers' stdout goes to (its growth is what CloudWatch Logs would ingest)."""
    from socialcare_cli.local.stack import project_root

    memory = {
        logical_id: stack.template.function_memory(logical_id) for logical_id in stack.functions
    }
    meter = Meter(stack, calls, log, memory, init_ms or {})
    paths = Paths(stack, calls)
    with calls.observing():
        stack.reset_data()
    non_case = meter.non_case_delivery(paths)
    _add_secrets(non_case, _secrets(calls), LOW_STATUSES)
    results: dict[str, Any] = {}
    for name in PATHS:
        samples = []
        for _ in range(runs):
            with calls.observing():
                stack.reset_data()
            meter.start()
            paths.http_requests = 0
            case_id, cases = run_path(stack, paths, name)
            execution = paths.finished(case_id)
            samples.append(meter.count(paths, execution, non_case, cases))
        results[name] = median_sample(samples)
    secrets = _secrets(calls)
    for result in results.values():
        _add_secrets(result, secrets, LOW)
    mix = sum(share * results[path]["usd_per_1000_cases"] for path, share in MIX.items())
    mix_low = sum(
        share * results[path]["usd_per_1000_cases_low_volume"]
        for path, share in MIX_LOW_VOLUME.items()
    )
    fees = sum(
        share * results[path]["platform_fees_usd_per_1000_cases"] for path, share in MIX.items()
    )
    fixed = fixed_monthly(project_root(), stack.template)
    return {
        "paths": results,
        "mix": {
            **MIX,
            "usd_per_1000_cases": round(mix, 4),
            "platform_fees_usd_per_1000_cases": round(fees, 4),
            "by_item": _mix_by_item(results, MIX, "usd_per_1000_by_item"),
            "table_class": meter.table_class.name,
            "dynamodb_by_table_class": _mix_by_item(
                results, MIX, "dynamodb_usd_per_1000_by_table_class"
            ),
        },
        "mix_low_volume": {
            **MIX_LOW_VOLUME,
            "usd_per_1000_cases": round(mix_low, 4),
            "by_item": _mix_by_item(results, MIX_LOW_VOLUME, "usd_per_1000_low_volume_by_item"),
            "dynamodb_by_table_class": _mix_by_item(
                results, MIX_LOW_VOLUME, "dynamodb_usd_per_1000_by_table_class"
            ),
        },
        "non_case_delivery": non_case,
        "fixed": {
            **fixed,
            "cases_per_month_for_fixed_under_10pct": break_even_cases(fixed["usd_per_month"], mix),
        },
        "assumptions": {
            "volume": {
                "cases_per_s": BURST.cases_per_s,
                "cold_share": BURST.cold_share,
                "secret_reads_per_cold_start": BURST.secret_reads_per_cold_start,
                "autonomous": f"triaged {AUTONOMOUS_BURST} at a time (the stream's batches)",
            },
            "low_volume": {
                "cold_share": LOW.cold_share,
                "cold_share_by_function": LOW.cold_share_by_function,
                "statuses_cold_share": LOW_STATUSES.cold_share,
                "secret_reads_per_cold_start": LOW.secret_reads_per_cold_start,
                "autonomous": "triaged one at a time; every invocation traced",
            },
            "init_ms": meter.init_ms,
            "secrets_per_function": secrets,
            "retention_days": meter.retention_days,
            "storage": "the items each path leaves, in the table and in each index (its "
            "projection, 100 bytes per item), kept until their TTL or the retention; PITR "
            "on the table's bytes; the free 25 GB not counted",
            "non_case_deliveries_per_reply": NON_CASE_DELIVERIES_PER_REPLY,
            "platform_log_bytes_per_invocation": PLATFORM_LOG_BYTES,
            "xray": f"a trace per invocation of a function in Active mode "
            f"({sorted(meter.traces.active_functions)}) and per execution of the traced "
            f"state machine ({meter.traces.state_machine}), {XRAY_RESERVOIR_PER_S:g}/s and "
            f"{XRAY_RATE:.0%} of the rest sampled; the free tier not counted",
            "stream_reads": "free for Lambda triggers",
            "answers": "the social team publishes every case's suggested reply; a platform "
            f"call bills {PLATFORM_CALL_MS} ms of Lambda waiting; X DMs at a post's price",
            "left_out": "the customers table (configuration, not per case); Step Functions' "
            "own traces; CloudWatch Logs storage after ingestion; S3 (reports); data "
            "transfer; free tiers",
        },
        "prices": {**PRICES, **VOLUME_PRICES, "table_class": meter.table_class.__dict__},
        "targets": TARGETS,
        "ok": results["derived_resolved"]["transitions"] <= TARGETS["derived_resolved_transitions"]
        and results["autonomous"]["transitions"] <= TARGETS["autonomous_transitions"]
        and mix <= TARGETS["mix_usd"]
        and mix_low <= TARGETS["mix_low_volume_usd"],
    }


def _secrets(calls: AwsCalls) -> dict[str, int]:
    return {function: len(ids) for function, ids in calls.secrets_read.items()}


def _add_secrets(result: dict[str, Any], secrets: dict[str, int], low: Volume) -> None:
    """Secrets Manager's reads, once each function's secrets are known (read by the
    paths on a stack started cold), added to a path's (or a delivery's) figures."""
    cases = result.get("cases_measured_together", 1)
    for volume, by_item, total in (
        (BURST, "usd_per_1000_by_item", "usd_per_1000_cases"),
        (low, "usd_per_1000_low_volume_by_item", "usd_per_1000_cases_low_volume"),
    ):
        usd = 1000 * secrets_usd(result["lambda_by_function"], secrets, volume) / cases
        result[by_item]["secrets_manager"] = round(usd, 5)
        before = result[total]
        result[total] = round(sum(result[by_item].values()), 4)
        if volume is BURST and "usd_per_1000_cases_runs" in result:
            added = result[total] - before
            result["usd_per_1000_cases_runs"] = [
                round(run + added, 4) for run in result["usd_per_1000_cases_runs"]
            ]


def _mix_by_item(results: dict[str, Any], mix: dict[str, float], key: str) -> dict[str, float]:
    """What each item adds to a mix's cost per 1,000 cases."""
    items: dict[str, float] = {}
    for path, share in mix.items():
        for item, usd in results[path][key].items():
            items[item] = items.get(item, 0.0) + share * usd
    return {item: round(usd, 5) for item, usd in items.items()}
