"""Reports at scale: the real report use case (`run_report`) through the real adapters,
DynamoDB's Query pages and S3's answers parsed by botocore (report_aws.py), the previous
period included and every file uploaded, each run in a process of its own so that its
peak memory is its own. The floor reads and decodes the same pages, nothing else.

Run as `python -m socialcare_cli.bench.report_aggregation MODE CASES` (modes in `run`):
prints one JSON line (seconds, pages, peak RSS).
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

MONTH = date(2026, 10, 1)
_TEMPLATES = 64


def _case_templates() -> list[dict[str, Any]]:
    """Plain case items of every kind a month holds: autonomous, resolved by the first
    department or after a hop, escalated, breached, still open."""
    rng = random.Random(7)
    channels = ["facebook_comment", "messenger", "instagram_dm", "whatsapp", "x_mention", "x_dm"]
    categories = ["complaint", "question", "praise", "spam", "lead", "claim"]
    departments = ["customer_service", "claims", "sales"]
    templates = []
    for index in range(_TEMPLATES):
        kind = ["autonomous", "resolved", "hopped", "escalated", "breached", "open"][index % 6]
        written = datetime(2026, 10, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 600))
        item: dict[str, Any] = {
            "PK": "CASE#x",
            "SK": "CASE",
            "entity": "case",
            "channel": rng.choice(channels),
            "status": {"hopped": "resolved", "escalated": "resolved"}.get(kind, kind),
            "author": {"display_name": "Ana María López", "id": str(rng.randint(1, 10**12))},
            "first_message_at": written.isoformat(),
            "message_count": rng.randint(1, 4),
            "customer_returns": rng.randint(0, 2),
            "triage": {
                "category": rng.choice(categories),
                "relation": rng.choice(["customer", "prospect", "unknown"]),
                "priority": rng.choice(["P1", "P2", "P3"]),
                "topics": rng.sample(["billing", "delay", "app", "claims", "price"], 2),
                "authority_mentioned": rng.random() < 0.05,
                "personal_data_exposed": rng.random() < 0.1,
            },
        }
        if kind == "autonomous":
            item["first_public_response_at"] = (written + timedelta(minutes=35)).isoformat()
            item["closed_at"] = (written + timedelta(hours=1)).isoformat()
        else:
            derived = written + timedelta(minutes=20)
            department = rng.choice(departments)
            item.update(department=department, derived_at=derived.isoformat(), hops=0)
            route = [{"department": department, "at": derived.isoformat()}]
            if kind == "hopped":
                other = next(d for d in departments if d != department)
                hopped_at = (derived + timedelta(hours=5)).isoformat()
                route.append({"department": other, "at": hopped_at})
                item.update(department=other, hops=1)
            if kind in ("escalated", "breached"):
                item["escalated_l1_at"] = (derived + timedelta(days=2)).isoformat()
            if kind == "breached":
                item.update(
                    escalated_l2_at=(derived + timedelta(days=4)).isoformat(),
                    sla_breached=True,
                    closed_at=(derived + timedelta(days=6)).isoformat(),
                )
            elif kind != "open":
                acted = derived + timedelta(hours=rng.randint(2, 60))
                item.update(department_action_at=acted.isoformat(), closed_at=acted.isoformat())
            item["route"] = route
        templates.append(item)
    return templates


def _deps(cases_per_day: dict[str, int], now: datetime, bucket: Any = None) -> Any:
    from socialcare.app.reports import ReportDependencies
    from socialcare.bootstrap import Root, adapters, operations
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.report_files import ReportRenderer
    from socialcare.settings import Settings
    from socialcare_cli.bench.report_aws import CaseDaysTable, ReportsBucket, clients

    table = CaseDaysTable(operations.table_items(_case_templates()), cases_per_day)
    bucket = bucket or ReportsBucket()
    dynamodb, s3 = clients(table, bucket)
    settings = Settings(cases_table_name="bench-cases", reports_bucket_name="bench-reports")
    root = Root(settings, client={"dynamodb": dynamodb, "s3": s3}.__getitem__)
    deps = ReportDependencies(
        days=adapters.case_days(root),
        store=adapters.report_store(root),
        email=None,
        routing=routing_config(),
        clock=lambda: now,
        links=lambda key: key,
        files=ReportRenderer(routing_config()),
    )
    return deps, root, table, bucket


def _spread(cases: int, first: date, days: int) -> dict[str, int]:
    """`cases` over `days` UTC days from `first` (and the UTC day before: a local day
    starts the evening before in UTC)."""
    share, extra = divmod(cases, days)
    spread = {(first + timedelta(days=n)).isoformat(): share + (n < extra) for n in range(days)}
    return spread


def run(mode: str, cases: int) -> dict[str, Any]:
    """month: a month's report from nothing (its days and the month before computed);
    floor: only reading and decoding the same pages; day: one day's report with the day
    before already a partial; partials: a month's report with every day a partial."""
    from socialcare.app.reports import run_report
    from socialcare.bootstrap import adapters
    from socialcare.domain.reporting import Period, PeriodKind

    timezone = "Europe/Madrid"
    month = Period.containing(PeriodKind.MONTHLY, MONTH, timezone)
    before = month.previous()
    now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    if mode in ("month", "floor", "partials"):
        per_day = {
            **_spread(cases, before.first_day - timedelta(days=1), 31),
            **_spread(cases, month.first_day - timedelta(days=1), 32),
        }
        deps, root, table, bucket = _deps(per_day, now)
        if mode == "partials":  # the daily runs of both months, beforehand (not timed)
            for day in [*before.days(), *month.days()]:
                run_report(Period.containing(PeriodKind.DAILY, day, timezone), deps)
        started = time.perf_counter()
        if mode == "floor":
            days = adapters.case_days(root)
            counted = sum(
                1
                for period in (before, month)
                for day in period.utc_days()
                for _ in days.cases_created_on(day)
            )
        else:
            run_report(month, deps)
            counted = cases * 2
    else:  # one day of `cases`, the day before already reported
        one_day = Period.containing(PeriodKind.DAILY, date(2026, 10, 15), timezone)
        per_day = {"2026-10-14": cases, "2026-10-15": cases, "2026-10-13": cases}
        deps, root, table, bucket = _deps(per_day, now)
        run_report(one_day.previous(), deps)  # yesterday's run: its partial (not timed)
        started = time.perf_counter()
        run_report(one_day, deps)
        counted = cases
    seconds = time.perf_counter() - started
    return {
        "mode": mode,
        "cases": counted,
        "seconds": round(seconds, 3),
        "query_pages": table.pages,
        "bytes_uploaded": bucket.bytes_received,
        "peak_rss_mb": round(_peak_kb() / 1024, 1),
    }


def _peak_kb() -> int:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec, where
    ru_maxrss keeps the peak of the process that started us."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]))))
