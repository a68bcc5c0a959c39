"""The crisis simulator's counts read against AWS's documented limits, and the webhook's
acknowledgement times, into `bench/results.json` (`crisis`, and `summary.crisis`)."""

from __future__ import annotations

import math
import random
import statistics
import subprocess
import sys
from collections import defaultdict
from typing import Any

from socialcare_cli.bench.crisis_ledger import (
    PARTITION_RCU,
    PARTITION_WCU,
    SAMPLED_WINDOW_S,
    TARGET_SHARE,
    TokenBucket,
    moving_peak,
)

# Lambda gives a function one vCPU at 1,769 MB and a share in proportion below it:
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
FULL_VCPU_MB = 1769
# Account concurrency 1,000; each function scales by 1,000 execution environments every
# 10 seconds: https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
LAMBDA_CONCURRENCY = 1000
LAMBDA_SCALING_PER_10_S = 1000
# SES's production start: 14 messages a second, 50,000 a day, unless configured otherwise:
# https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html
SES_DEFAULT_PER_S = 14.0
SES_DEFAULT_PER_DAY = 50_000
# Standard workflows' StartExecution: a token bucket of 1,300 refilled at 300 a second in
# us-east-1, us-west-2 and eu-west-1 (800 and 150 elsewhere):
# https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-api-action-throttling-general
SFN_START_BUCKET = 1300
SFN_START_PER_S = 300
# API Gateway's account throttle across HTTP APIs in a Region: 10,000 requests a second,
# burst 5,000: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
ACCOUNT_RPS = 10_000
ACCOUNT_BURST = 5_000
# A modelled round trip of each AWS call inside a handler (same Region; DynamoDB's
# documented "single-digit millisecond" latency, taken at its top): not measured here.
AWS_CALL_MS = 10.0
# A platform that gets a 429 delivers again later: modelled as three more attempts after
# 1, 10 and 60 s (README "Throttles and platform retries" for each platform's own words).
RETRY_AFTER_S = (1.0, 10.0, 60.0)
_MEMORY = {
    "webhook": "WebhookFunction",
    "case_stream": "TriageFunction",
    "workflow": "WorkflowFunction",
}


def report(simulation: Any, wall_seconds: float) -> dict[str, Any]:
    stack, aws = simulation.stack, simulation.stack.aws
    ledger = aws.ledger
    share = {name: FULL_VCPU_MB / stack.memory_mb(logical) for name, logical in _MEMORY.items()}
    fraction = simulation.fraction
    concurrency = _concurrency(simulation.durations, share, fraction)
    acks = _acks(
        simulation.durations["webhook"], share["webhook"], concurrency["webhook"]["peak"], fraction
    )
    rate, burst = stack.throttles()
    throttled = throttled_share(simulation.rate, simulation.seconds, rate, burst)
    ses_per_s = _ses_quota(stack, fraction)
    emails_peak = round(_peak(aws.emails, fraction), 1)
    starts_peak = round(_peak(aws.starts, fraction), 1)
    peaks = {
        "peak_partition_wcu_per_s": ledger.peak("W", index=False),
        "peak_partition_rcu_per_s": ledger.peak("R"),
        "peak_gsi_partition_wcu_per_s": ledger.peak("W", index=True),
    }
    every_function: dict[int, float] = defaultdict(float)
    for row in concurrency.values():
        for second, busy in enumerate(row["per_second"]):
            every_function[second] += busy
    total_concurrency = _peak(every_function, fraction) * fraction  # scaled already
    checks = {
        "table_wcu": peaks["peak_partition_wcu_per_s"] <= PARTITION_WCU * TARGET_SHARE,
        "gsi_wcu": peaks["peak_gsi_partition_wcu_per_s"] <= PARTITION_WCU * TARGET_SHARE,
        "rcu": peaks["peak_partition_rcu_per_s"] <= PARTITION_RCU * TARGET_SHARE,
        "no_429": throttled["pct"] == 0,
        "emails_within_quota": emails_peak <= ses_per_s,
        "sfn_starts": starts_peak <= SFN_START_PER_S,
        "lambda_concurrency": total_concurrency <= LAMBDA_CONCURRENCY,
        "ack_p99_under_1s": acks["p99_ms"] < 1000,
    }
    summary = {
        "deliveries_per_s": simulation.rate,
        "seconds": simulation.seconds,
        "fraction_simulated": fraction,
        **peaks,
        "webhook_429_pct": throttled["pct"],
        "emails_per_s_peak": emails_peak,
        "ses_quota_per_s": ses_per_s,
        "sfn_starts_per_s_peak": starts_peak,
        "ack_p50_ms": acks["p50_ms"],
        "ack_p99_ms": acks["p99_ms"],
        "lambda_concurrency_peak": round(total_concurrency, 1),
        "hottest": ledger.hottest(5),
        "ok": all(checks.values()),
    }
    return {
        "summary": summary,
        "checks": checks,
        "deliveries": dict(simulation.kinds),
        "deliveries_simulated": sum(simulation.kinds.values()),
        "webhook_statuses": dict(simulation.statuses),
        "invocations": dict(simulation.invocations),
        "aws_calls": dict(sorted(aws.calls.items())),
        "hottest_keys": ledger.hottest(12),
        "emails": {"total": sum(aws.emails.values()), "per_day_quota": SES_DEFAULT_PER_DAY},
        "sfn_starts_total": sum(aws.starts.values()),
        "throttling": {"rate": rate, "burst": burst, **throttled},
        "acknowledgements": acks,
        "lambda_concurrency": {
            name: {k: v for k, v in row.items() if k != "per_second"}
            for name, row in concurrency.items()
        },
        "limits": {
            "partition_wcu_per_s": PARTITION_WCU,
            "partition_rcu_per_s": PARTITION_RCU,
            "target_share": TARGET_SHARE,
            "sfn_start_bucket": SFN_START_BUCKET,
            "sfn_start_per_s": SFN_START_PER_S,
            "lambda_concurrency": LAMBDA_CONCURRENCY,
            "lambda_scaling_per_10_s": LAMBDA_SCALING_PER_10_S,
            "api_account_rps": ACCOUNT_RPS,
            "api_account_burst": ACCOUNT_BURST,
        },
        "method": (
            "every delivery of the simulated span through the real webhook handler, the "
            "stream's filtered batches through the real stream handler, each started "
            "workflow's derive step through the real workflow handler; AWS answered by "
            "moto's backends in process; capacity counted from each call's parameters and "
            "the items it touched; concurrency by Little's law (handler time on this "
            "machine's core scaled to the function's vCPU share, plus "
            f"{AWS_CALL_MS:g} ms a call modelled); acknowledgements leave out API Gateway's "
            "own latency and the network to the platform"
        ),
        "wall_seconds": round(wall_seconds, 1),
        "ok": summary["ok"],
    }


def _peak(by_second: dict[int, float], fraction: float) -> float:
    """A per-second figure's peak; in a sampled run, the peak of a minute's mean scaled
    back up (crisis_ledger.SAMPLED_WINDOW_S)."""
    if fraction >= 1:
        return float(max(by_second.values(), default=0.0))
    return moving_peak(dict(by_second), SAMPLED_WINDOW_S) / fraction


def _concurrency(
    durations: dict[str, list[tuple[int, float, int]]], share: dict[str, float], fraction: float
) -> dict[str, dict[str, Any]]:
    """Little's law per simulated second: the busy seconds its invocations add up to
    (scaled back up in a sampled run)."""
    found = {}
    for name, rows in durations.items():
        busy: dict[int, float] = defaultdict(float)
        for second, spent, calls in rows:
            busy[second] += (spent * share[name] + calls * AWS_CALL_MS / 1000) / fraction
        seconds = range(max(busy, default=-1) + 1)
        per_second = [round(busy.get(s, 0.0), 3) for s in seconds]
        mean_ms = sum(busy.values()) * fraction / max(1, len(rows)) * 1000
        found[name] = {
            "peak": round(_peak(busy, fraction) * fraction, 1),  # busy: scaled already
            "mean_duration_ms": round(mean_ms, 2),
            "vcpu_share": round(1 / share[name], 3),
            "per_second": per_second,
        }
    return found


def _acks(
    rows: list[tuple[int, float, int]], share: float, containers: float, fraction: float
) -> dict[str, Any]:
    """The webhook's answer time per delivery (Lambda's duration as modelled): warm, and
    on the first delivery of each execution environment the burst needed, its cold start
    too. Cold ones are `containers` out of the burst's deliveries (the simulated ones
    stand for 1/fraction as many)."""
    warm = sorted(spent * share * 1000 + calls * AWS_CALL_MS for _, spent, calls in rows)
    init_ms = webhook_init_ms() * share
    if len(warm) < 2:
        return {"p50_ms": 0.0, "p99_ms": 0.0, "cold_starts": 0, "init_ms": init_ms}
    cold_share = min(1.0, math.ceil(containers) / (len(warm) / fraction))
    return {
        "p50_ms": round(mixed_quantile(warm, init_ms, cold_share, 0.50), 1),
        "p99_ms": round(mixed_quantile(warm, init_ms, cold_share, 0.99), 1),
        "warm_p99_ms": round(statistics.quantiles(warm, n=100)[98], 1),
        "cold_starts": math.ceil(containers),
        "cold_share": round(cold_share, 5),
        "init_ms": round(init_ms, 1),
        "aws_call_ms_modelled": AWS_CALL_MS,
    }


def mixed_quantile(warm: list[float], init_ms: float, cold_share: float, q: float) -> float:
    """The q-quantile of warm answers (sorted) mixed with `cold_share` of cold ones (the
    same answers plus `init_ms`)."""
    import bisect

    def below(x: float) -> float:
        n = len(warm)
        return (1 - cold_share) * bisect.bisect_right(warm, x) / n + cold_share * (
            bisect.bisect_right(warm, x - init_ms) / n
        )

    candidates = sorted(warm + [value + init_ms for value in warm])
    low, high = 0, len(candidates) - 1
    while low < high:
        middle = (low + high) // 2
        if below(candidates[middle]) >= q:
            high = middle
        else:
            low = middle + 1
    return candidates[low]


def webhook_init_ms() -> float:
    """The webhook module's import in a fresh interpreter, on this machine's core."""
    code = (
        "import time,importlib.util,sys;t=time.perf_counter();"
        "s=importlib.util.spec_from_file_location('w',sys.argv[1]);"
        "m=importlib.util.module_from_spec(s);s.loader.exec_module(m);"
        "print((time.perf_counter()-t)*1000)"
    )
    from socialcare_cli.local.stack import project_root

    path = project_root() / "functions" / "webhook" / "app.py"
    done = subprocess.run(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def throttled_share(
    per_second: float, seconds: int, rate: float, burst: float, seed: int = 32
) -> dict[str, Any]:
    """429s out of every attempt: Poisson arrivals at `per_second` (deliveries, the
    redeliveries among them) plus the platforms' retries of each 429, through the route's
    bucket and the account's."""
    draw = random.Random(seed)
    route, account = TokenBucket(rate, burst), TokenBucket(ACCOUNT_RPS, ACCOUNT_BURST)
    retries: list[tuple[float, int]] = []
    at, attempts, refused = 0.0, 0, 0
    while at < seconds or retries:
        at += draw.expovariate(per_second) if at < seconds else math.inf
        while retries and retries[0][0] <= at:
            when, tried = retries.pop(0)
            attempts += 1
            if not (route.take(when) and account.take(when)):
                refused += 1
                if tried < len(RETRY_AFTER_S):
                    _insert(retries, (when + RETRY_AFTER_S[tried], tried + 1))
        if at >= seconds:
            continue
        attempts += 1
        if not (route.take(at) and account.take(at)):
            refused += 1
            _insert(retries, (at + RETRY_AFTER_S[0], 1))
    return {
        "attempts": attempts,
        "refused": refused,
        "pct": round(100 * refused / attempts, 3) if attempts else 0.0,
    }


def _insert(queue: list[tuple[float, int]], entry: tuple[float, int]) -> None:
    import bisect

    bisect.insort(queue, entry)


def _ses_quota(stack: Any, fraction: float) -> float:
    """The sending rate the functions are configured with (a variable whose name says a
    send rate), or SES's production start. A sampled run's functions pace to the sampled
    share of it (crisis_stack.py): the account's rate is that scaled back up."""
    for name, value in stack.environment.items():
        if "SEND_RATE" in name or ("SES" in name and "PER_S" in name):
            try:
                return round(float(value) / min(fraction, 1.0), 2)
            except ValueError:
                continue
    return SES_DEFAULT_PER_S


def table_lines(crisis: dict[str, Any]) -> list[str]:
    """`make bench`'s table rows."""
    row, checks = crisis["summary"], crisis["checks"]
    partitions = checks["table_wcu"] and checks["gsi_wcu"] and checks["rcu"]
    hottest = "; ".join(
        f"{h['key']} {h['kind']} {h['peak_units_per_s']:,}/s" for h in row["hottest"][:3]
    )
    return [
        "",
        f"crisis: {row['deliveries_per_s']:,} deliveries/s for {row['seconds']} s "
        f"({crisis['deliveries_simulated']:,} simulated, fraction {row['fraction_simulated']:g})",
        f"  busiest partition: table {row['peak_partition_wcu_per_s']:,} WCU/s, index "
        f"{row['peak_gsi_partition_wcu_per_s']:,} WCU/s, {row['peak_partition_rcu_per_s']:,} "
        f"RCU/s (targets 700 / 2,100) {_mark(partitions)}",
        f"  webhook 429s {row['webhook_429_pct']}% {_mark(checks['no_429'])}; acknowledged "
        f"p50 {row['ack_p50_ms']} ms, p99 {row['ack_p99_ms']} ms "
        f"{_mark(checks['ack_p99_under_1s'])}",
        f"  emails {row['emails_per_s_peak']}/s (quota {row['ses_quota_per_s']}/s) "
        f"{_mark(checks['emails_within_quota'])}; workflow starts "
        f"{row['sfn_starts_per_s_peak']}/s {_mark(checks['sfn_starts'])}; Lambda "
        f"concurrency {row['lambda_concurrency_peak']} {_mark(checks['lambda_concurrency'])}",
        f"  hottest: {hottest}",
    ]


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"
