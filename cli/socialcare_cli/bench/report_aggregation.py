"""Reports: the real KPI report use case (`run_report`: aggregation, cases.csv spooled,
kpis.json and report.html written) over a month of synthetic cases, as DynamoDB returns
them (typed attributes, decoded by the adapter's own `_plain`), in a process of its own so
that its peak memory is its own. The floor decodes the same rows and does nothing else.

Run as `python -m socialcare_cli.bench.report_aggregation CASES report|floor`: prints one
JSON line (seconds, peak RSS).
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any

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


class SyntheticDays:
    """`cases` cases spread over the month, yielded day by day as the adapter yields them:
    typed items (what a Query page holds) decoded by `_plain`. Nothing is kept."""

    def __init__(self, cases: int) -> None:
        from socialcare.adapters.dynamodb.items import encode_item

        self._cases = cases
        self._days = (MONTH.replace(month=MONTH.month + 1) - MONTH).days
        self.encode_value = [encode_item(**template) for template in _case_templates()]

    def cases_created_on(self, day: str) -> Iterator[dict[str, Any]]:
        from socialcare.adapters.dynamodb.items import decode_item

        offset = (date.fromisoformat(day) - MONTH).days
        if not 0 <= offset < self._days:
            return
        share, extra = divmod(self._cases, self._days)
        for number in range(share + (offset < extra)):
            typed = self.encode_value[number % _TEMPLATES]
            created = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC)
            created += timedelta(seconds=number * 86400 // (share + 1))
            row = dict(typed)
            row["id"] = {"S": f"{day.replace('-', '')}-{number:016x}"}
            row["created_at"] = {"S": created.isoformat()}
            yield decode_item(row)


class _DiscardingStore:
    """Reads what would be uploaded (the spooled CSV in 1 MB parts), keeps nothing."""

    bucket = "bench"

    def put(self, key: str, body: bytes | IO[bytes], content_type: str) -> None:
        if not isinstance(body, bytes):
            while body.read(1024 * 1024):
                pass

    def copy(self, source: str, key: str) -> None:
        pass

    def presigned_url(self, key: str, seconds: int) -> str:
        return key


def run(cases: int, mode: str) -> dict[str, Any]:
    from socialcare.app.reports import ReportDependencies, run_report
    from socialcare.config.loaders import routing_config
    from socialcare.domain.reporting import Period, PeriodKind
    from socialcare.presentation.report_files import ReportFiles

    days = SyntheticDays(cases)
    routing = routing_config()
    period = Period.containing(PeriodKind.MONTHLY, MONTH, routing.reports.timezone)
    started = time.perf_counter()
    if mode == "floor":
        counted = sum(1 for day in period.utc_days() for _ in days.cases_created_on(day))
    else:
        deps = ReportDependencies(
            days=days,
            store=_DiscardingStore(),
            email=None,
            routing=routing,
            clock=lambda: datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
            links=lambda key: key,
            files=ReportFiles(),
        )
        run_report(period, deps)
        counted = cases
    seconds = time.perf_counter() - started
    return {"cases": counted, "seconds": seconds, "peak_rss_mb": round(_peak_kb() / 1024, 1)}


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
    print(json.dumps(run(int(sys.argv[1]), sys.argv[2])))
