"""`socialcare bench`: performance and cost figures, each beside its floor as a ratio
(the machines are shared and noisy: a ratio measured in one run holds where absolute
times do not). Writes bench/results.json and prints a table."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from socialcare_cli.bench import console_inbox, protocol_diff


def run(
    output: Path,
    *,
    lambda_python: str | None = None,
    scale: float = 1.0,
    report_sizes: tuple[int, ...] = (100_000, 1_000_000),
    only: str | None = None,
) -> dict[str, Any]:
    """Every step, or `only` one of them: its figures replace that step's in `output` (the
    others', cold starts included, are read from it)."""
    from socialcare_cli.local.stack import project_root

    root = project_root()
    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        "scale": scale,
    }
    python = lambda_python or sys.executable
    steps = (
        ("cold_start", lambda: _cold_start(python, root, scale)),
        ("warm_webhook", lambda: _warm_webhook(root, scale)),
        ("workflow_cost", lambda: _workflow_cost(scale, results["cold_start"])),
        ("reports", lambda: _reports(report_sizes, scale, root)),
        ("triage", lambda: _triage(root, scale)),
        ("text_cost", lambda: _text_cost(scale)),
        ("crisis", lambda: _crisis(scale)),
        ("console_inbox", lambda: console_inbox.measure(root, **console_inbox.sized(scale))),
        ("protocol_diff", lambda: protocol_diff.measure(root, **protocol_diff.sized(scale))),
    )
    if only is not None:
        return _run_only(output, only, dict(steps), results)
    for name, step in steps:
        print(f"  {name}...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        results[name] = step()
        results[name + "_seconds"] = round(time.perf_counter() - began, 1)
    results["cold_start_python"] = python
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["summary"] = summary(results)
    results["ok"] = all(
        results[name]["ok"]
        for name in (
            *("cold_start", "warm_webhook", "workflow_cost", "reports", "text_cost", "crisis"),
            *("console_inbox", "protocol_diff"),
        )
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if output.resolve() == (root / "bench" / "results.json").resolve():
        from socialcare_cli.bench import readme_table

        readme_table.update(root / "README.md", results["summary"], results["when"][:10])
    print(table(results))
    return results


STEPS = ("cold_start", "warm_webhook", "workflow_cost", "reports", "triage", "text_cost")


def _run_only(
    output: Path, name: str, steps: dict[str, Any], results: dict[str, Any]
) -> dict[str, Any]:
    previous = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    for key, value in previous.items():  # the steps read `results` (cold starts' times)
        results.setdefault(key, value)
    results.setdefault("cold_start", {"functions": []})  # init times then taken as 500 ms
    began = time.perf_counter()
    results[name] = steps[name]()
    results[name + "_seconds"] = round(time.perf_counter() - began, 1)
    if all(step in results for step in STEPS):
        results["summary"] = summary(results)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results.get("summary", {}).get("cost_per_1000_usd", {}), indent=2))
    return {**results, "ok": results[name].get("ok", True)}


def _cpus() -> int:
    import os

    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # None: the count is unknown


def _cold_start(python: str, root: Path, scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import cold_start

    bin_dir = Path(sys.executable).parent
    artifact = cold_start.build(root, str(bin_dir / "sam"), str(bin_dir))
    runs = max(3, round(cold_start.SAMPLES * scale))
    rows = cold_start.measure(python, root, artifact, runs=runs)
    return {
        "artifact": str(artifact.relative_to(root)),
        "functions": rows,
        "ok": all(row["ok"] for row in rows),
    }


def _warm_webhook(root: Path, scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import warm_webhook

    return warm_webhook.measure(root, deliveries=max(20, round(2000 * scale)))


def _workflow_cost(scale: float, cold: dict[str, Any]) -> dict[str, Any]:
    """On the local stack at the deployed log level: what the handlers write to stdout is
    what CloudWatch Logs would ingest, so it goes to a file that is measured."""
    import tempfile

    from socialcare_cli.bench.warm_webhook import stdout_to
    from socialcare_cli.bench.workflow_cost import AwsCalls, measure
    from socialcare_cli.local.stack import LocalStack, local_secrets

    init_ms = {row["function"]: row["cold_ms"] for row in cold["functions"]}
    calls = AwsCalls()
    calls.install()  # before the handlers create their clients
    with (
        tempfile.TemporaryFile() as log,
        stdout_to(log),
        LocalStack(secrets=local_secrets({})) as stack,
    ):
        return measure(stack, calls, log, runs=1 if scale < 1 else 3, init_ms=init_ms)


# Lambda gives a function one full vCPU at 1,769 MB, a share of it below.
FULL_VCPU_MB = 1769
DAY_AT_10M_A_MONTH = 330_000


def _reports(sizes: tuple[int, ...], scale: float, root: Path) -> dict[str, Any]:
    """Each run in a process of its own (its peak memory its own): a month's report from
    nothing at each size beside its floor, one day's report (projected to 330,000 cases
    at the function's memory), and a month from its days' partials."""
    from socialcare_cli.local.template import Template

    template = Template.load(root)
    memory = template.function_memory("ReportFunction")
    timeout = int(template.functions()["ReportFunction"]["Properties"]["Timeout"])
    runs = []
    for cases in sizes:
        report = _report_process("month", cases)
        floor = _report_process("floor", cases)
        read = report["cases"]  # the month and the month before
        runs.append(
            {
                "cases": cases,
                "cases_read": read,
                "microseconds_per_case": round(report["seconds"] / read * 1e6, 1),
                "floor_microseconds_per_case": round(floor["seconds"] / floor["cases"] * 1e6, 1),
                "ratio": round((report["seconds"] / read) / (floor["seconds"] / floor["cases"]), 2),
                "peak_rss_mb": report["peak_rss_mb"],
                "floor_peak_rss_mb": floor["peak_rss_mb"],
            }
        )
    day_cases = max(2000, round(DAY_AT_10M_A_MONTH * scale))
    day = _report_process("day", day_cases)
    share = FULL_VCPU_MB / memory  # this machine's core taken as one Lambda vCPU
    projected = day["seconds"] / day_cases * DAY_AT_10M_A_MONTH * share
    partials = _report_process("partials", min(sizes))
    growth = runs[-1]["peak_rss_mb"] - runs[0]["peak_rss_mb"]
    return {
        "runs": runs,
        "peak_mb": {str(run["cases"]): run["peak_rss_mb"] for run in runs},
        "memory_growth_mb": round(growth, 1),
        "day": {**day, "memory_mb": memory, "vcpu_share": round(1 / share, 3)},
        "day_330k_projected_s": round(projected, 1),
        "timeout_s": timeout,
        "month_from_partials_s": partials["seconds"],
        "targets": {"growth_mb": 20, "day_330k_s": timeout / 2, "month_from_partials_s": 30},
        "ok": growth <= 20 and projected <= timeout / 2 and partials["seconds"] <= 30,
    }


def _report_process(mode: str, cases: int) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-m", "socialcare_cli.bench.report_aggregation", mode, str(cases)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"report benchmark failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _triage(root: Path, scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import second_opinion_cost

    return second_opinion_cost.beside_triage(root, count=max(200, round(20_000 * scale)))


def _text_cost(scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import text_cost

    # Below a tenth of the full scale (the test suite's run) one repetition per text:
    # the figure is then a smoke test, not a measure.
    return text_cost.measure(rounds=1 if scale < 1 else 3, repetitions=1 if scale < 0.1 else 5)


def _crisis(scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import crisis

    return crisis.measure(scale)


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """The figures the issue's targets are read against (README's table comes from it)."""
    cost = results["workflow_cost"]
    paths = cost["paths"]
    reports = results["reports"]
    cold_rows = results["cold_start"]["functions"]
    return {
        "cold_start_ratio": {_name(row): row["ratio"] for row in cold_rows},
        "cold_start_p75_ratio": {_name(row): row["ratio_p75"] for row in cold_rows},
        "cold_start_ms": {
            _name(row): {
                "median": row["cold_ms"],
                "p75": row["cold_p75_ms"],
                "floor_median": row["floor_ms"],
            }
            for row in cold_rows
        },
        "warm_webhook_p50_ratio": results["warm_webhook"]["ratio_p50"],
        "cost_per_1000_usd": {
            "autonomous": paths["autonomous"]["usd_per_1000_cases"],
            "derived_resolved": paths["derived_resolved"]["usd_per_1000_cases"],
            "escalated_l1": paths["escalated_l1"]["usd_per_1000_cases"],
            "breached": paths["breached"]["usd_per_1000_cases"],
            "mix": cost["mix"]["usd_per_1000_cases"],
            # One case at a time: no batching, every invocation a cold start and traced.
            "mix_low_volume": cost["mix_low_volume"]["usd_per_1000_cases"],
            # Storage and PITR over the retention are in every figure above.
            "storage_included": True,
            # What the platforms bill (X's posts), beside AWS: not in the AWS target.
            "platform_fees_mix": cost["mix"]["platform_fees_usd_per_1000_cases"],
        },
        "fixed_usd_per_month": cost["fixed"]["usd_per_month"],
        "report_day_330k_projected_s": reports["day_330k_projected_s"],
        "report_timeout_s": reports["timeout_s"],
        "report_month_from_partials_s": reports["month_from_partials_s"],
        "report_peak_mb_100k": reports["peak_mb"].get("100000", 0.0),
        "report_peak_mb_1m": reports["peak_mb"].get("1000000", 0.0),
        "adversarial_text_ratio": {
            platform: [row["characters"], row["worst_ratio"], row["spread"]]
            for platform, row in results["text_cost"]["limits"].items()
        },
        "crisis": results["crisis"]["summary"],
    }


def _name(row: dict[str, Any]) -> str:
    """A function's name in the summary: WebhookFunction -> webhook."""
    return str(row["function"]).removesuffix("Function").lower()


def table(results: dict[str, Any]) -> str:
    from socialcare_cli.bench.cold_start import table as cold_start_table

    lines = ["", "socialcare bench", "", cold_start_table(results["cold_start"]["functions"])]
    warm = results["warm_webhook"]
    lines += [
        "",
        f"warm webhook ({warm['deliveries']} deliveries, {warm['messages']} messages, stubbed AWS)",
        f"  p50 {warm['p50_ms']:.3f} ms vs floor {warm['floor_p50_ms']:.3f} ms: "
        f"ratio {warm['ratio_p50']:.2f} (target <={warm['target']}) {_mark(warm['ok'])}",
        "  by kind: "
        + ", ".join(
            f"{kind} {row['p50_ms']:.3f} ms ({row['ratio_p50']}x)"
            for kind, row in warm["by_kind"].items()
        ),
        "",
        "per case                 transitions  lambda  http  ddb W units (index)  emails"
        "  $/1000  platform calls  X fees $/1000",
    ]
    cost = results["workflow_cost"]
    for name, path in cost["paths"].items():
        lines.append(
            f"  {name:<24} {path['transitions']:11d}  {path['lambda_invocations']:6g}"
            f"  {path['http_requests']:4g}  {path['dynamodb_write_units']:6.1f}"
            f" ({path['dynamodb_index_write_units']:4.1f})      {path['email_recipients']:6g}"
            f"  {path['usd_per_1000_cases']:.4f}  {path['platform_calls']:14g}"
            f"  {path['platform_fees_usd_per_1000_cases']:.4f}"
        )
    fixed = cost["fixed"]
    lines += [
        f"  mix 60/30/10: ${cost['mix']['usd_per_1000_cases']:.4f} per 1,000 cases "
        f"(target <= ${cost['targets']['mix_usd']}); at low volume "
        f"${cost['mix_low_volume']['usd_per_1000_cases']:.4f} (target <= "
        f"${cost['targets']['mix_low_volume_usd']}) {_mark(cost['ok'])}; the platforms' "
        f"own fees beside it: ${cost['mix']['platform_fees_usd_per_1000_cases']:.4f}",
        f"  fixed: ${fixed['usd_per_month']}/month (secrets, alarms, {fixed['custom_metrics']} "
        f"metrics, dashboard): under 10% from "
        f"{fixed['cases_per_month_for_fixed_under_10pct']:,} cases a month",
    ]
    reports = results["reports"]
    lines += ["", "reports (the real use case, botocore-parsed pages, uploads, previous period)"]
    for run in reports["runs"]:
        lines.append(
            f"  month of {run['cases']:>9,} cases: {run['microseconds_per_case']} us/case vs "
            f"floor {run['floor_microseconds_per_case']} (ratio {run['ratio']}), "
            f"peak {run['peak_rss_mb']} MB"
        )
    lines += [
        f"  one day of 330,000 cases at {reports['day']['memory_mb']} MB: "
        f"{reports['day_330k_projected_s']} s projected (timeout {reports['timeout_s']} s)",
        f"  a month from its days' partials: {reports['month_from_partials_s']} s",
        f"  memory growth {reports['memory_growth_mb']} MB {_mark(reports['ok'])}",
    ]
    from socialcare_cli.bench.crisis_report import table_lines

    lines += table_lines(results["crisis"])
    triage = results["triage"]
    lines += [
        "",
        f"triage: {triage['messages_per_second']:,} messages/s vs reading+decoding "
        f"{triage['floor_messages_per_second']:,}/s (ratio {triage['ratio']})",
        *console_inbox.table_lines(results.get("console_inbox")),
        *protocol_diff.table_lines(results.get("protocol_diff")),
        "",
        f"total {results['total_seconds']} s; results in bench/results.json",
    ]
    return "\n".join(lines)


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"
