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


def run(
    output: Path,
    *,
    lambda_python: str | None = None,
    scale: float = 1.0,
    report_sizes: tuple[int, ...] = (100_000, 1_000_000),
) -> dict[str, Any]:
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
        ("workflow_cost", lambda: _workflow_cost(scale)),
        ("reports", lambda: _reports(report_sizes)),
        ("triage", lambda: _triage(root, scale)),
    )
    for name, step in steps:
        print(f"  {name}...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        results[name] = step()
        results[name + "_seconds"] = round(time.perf_counter() - began, 1)
    results["cold_start_python"] = python
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["ok"] = all(
        results[name]["ok"] for name in ("cold_start", "warm_webhook", "workflow_cost", "reports")
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    return results


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _cold_start(python: str, root: Path, scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import cold_start

    rows = cold_start.measure(python, root, runs=max(1, round(10 * scale)))
    return {"functions": rows, "ok": all(row["ok"] for row in rows)}


def _warm_webhook(root: Path, scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import warm_webhook

    return warm_webhook.measure(root, deliveries=max(20, round(2000 * scale)))


def _workflow_cost(scale: float) -> dict[str, Any]:
    from socialcare_cli.bench.warm_webhook import quiet_stdout
    from socialcare_cli.bench.workflow_cost import AwsCalls, measure
    from socialcare_cli.local.stack import LocalStack, local_secrets

    calls = AwsCalls()
    calls.install()  # before the handlers create their clients
    with quiet_stdout(), LocalStack(secrets=local_secrets({}), quiet=True) as stack:
        return measure(stack, calls, runs=1 if scale < 1 else 3)


def _reports(sizes: tuple[int, ...]) -> dict[str, Any]:
    """Each size in a process of its own (its peak memory its own), then the floor."""
    runs = []
    for cases in sizes:
        report = _report_process(cases, "report")
        floor = _report_process(cases, "floor")
        runs.append(
            {
                "cases": cases,
                "cases_per_second": round(cases / report["seconds"]),
                "microseconds_per_case": round(report["seconds"] / cases * 1e6, 1),
                "floor_microseconds_per_case": round(floor["seconds"] / cases * 1e6, 1),
                "ratio": round(report["seconds"] / floor["seconds"], 1),
                "peak_rss_mb": report["peak_rss_mb"],
                "floor_peak_rss_mb": floor["peak_rss_mb"],
            }
        )
    growth = runs[-1]["peak_rss_mb"] - runs[0]["peak_rss_mb"]
    return {
        "runs": runs,
        "memory_growth_mb": round(growth, 1),
        "target_growth_mb": 20,
        "ok": growth <= 20,
    }


def _report_process(cases: int, mode: str) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-m", "socialcare_cli.bench.report_aggregation", str(cases), mode],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"report benchmark failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _triage(root: Path, scale: float) -> dict[str, Any]:
    from socialcare_cli.bench import triage_throughput

    return triage_throughput.measure(root, count=max(200, round(20_000 * scale)))


def table(results: dict[str, Any]) -> str:
    lines = ["", "socialcare bench", ""]
    cold = results["cold_start"]["functions"]
    lines.append("cold start (fresh interpreter; median)   ours ms  floor ms  ratio  target")
    for row in cold:
        lines.append(
            f"  {row['function']:<38} {row['import_and_setup_ms']:7.0f}  {row['floor_ms']:8.0f}"
            f"  {row['ratio']:5.2f}  <={row['target']:.1f} {_mark(row['ok'])}"
        )
    warm = results["warm_webhook"]
    lines += [
        "",
        f"warm webhook ({warm['deliveries']} deliveries, {warm['messages']} messages, stubbed AWS)",
        f"  p50 {warm['p50_ms']:.2f} ms vs floor {warm['floor_p50_ms']:.2f} ms: "
        f"ratio {warm['ratio_p50']:.2f} (target <=1.3) {_mark(warm['ok'])}",
        f"  p99 {warm['p99_ms']:.2f} ms vs floor {warm['floor_p99_ms']:.2f} ms: "
        f"ratio {warm['ratio_p99']:.2f}",
        "",
        "workflow per case             transitions  lambda  http  ddb R/W units  emails  $/1000",
    ]
    cost = results["workflow_cost"]
    for name, path in cost["paths"].items():
        lines.append(
            f"  {name:<28} {path['transitions']:11d}  {path['lambda_invocations']:6d}"
            f"  {path['http_requests']:4d}  {path['dynamodb_read_units']:5.1f}/"
            f"{path['dynamodb_write_units']:<6.1f}  {path['emails']:6d}"
            f"  {path['usd_per_1000_cases']:.4f}"
        )
    lines.append(
        f"  mix 60/30/10: ${cost['mix']['usd_per_1000_cases']:.4f} per 1,000 cases "
        f"(target <= $0.40) {_mark(cost['ok'])}"
    )
    reports = results["reports"]
    lines += ["", "reports (KPI aggregation, cases.csv, kpis.json, report.html)"]
    for run in reports["runs"]:
        lines.append(
            f"  {run['cases']:>9,} cases: {run['cases_per_second']:,}/s, "
            f"{run['microseconds_per_case']} us/case vs floor {run['floor_microseconds_per_case']}"
            f" (ratio {run['ratio']}), peak {run['peak_rss_mb']} MB"
        )
    lines.append(
        f"  memory growth {reports['memory_growth_mb']} MB (target <= 20) {_mark(reports['ok'])}"
    )
    triage = results["triage"]
    lines += [
        "",
        f"triage: {triage['messages_per_second']:,} messages/s vs reading+decoding "
        f"{triage['floor_messages_per_second']:,}/s (ratio {triage['ratio']})",
        f"triage model: loaded in {triage['model_load_ms']} ms (once per workflow container)"
        f" vs reading its bytes {triage['model_read_floor_ms']} ms",
        "",
        f"total {results['total_seconds']} s; results in bench/results.json",
    ]
    return "\n".join(lines)


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"
