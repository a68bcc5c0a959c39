"""A protocol rehearsal's speed: stored cases (the held-out sets' messages, triaged by the
configuration as production triages them, each with its CASE item and message as the
table keeps them) read through the real adapter from in-process Scan pages, then
rehearsed with a routing change (every complaint to legal): cases a second, beside
reading the same cases. And the same rehearsal reading every message again
(`--retriage`, what a changed model or triage rule takes). The issue's target: 5,000
cases a second.

Run as `socialcare bench --only protocol_diff`."""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET = 5000  # cases a second
PAGE_CASES = 400  # about DynamoDB's 1 MB Scan page of these items
DAY = date(2026, 12, 1)


def sized(scale: float) -> dict[str, int]:
    return {"cases": max(1000, round(20_000 * scale)), "rounds": 5 if scale >= 1 else 3}


def stored_items(root: Path, count: int) -> list[dict[str, Any]]:
    """`count` triaged cases as the table keeps them (plain), cycling the held-out texts."""
    from socialcare.app.triage import Triager
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import utc_iso
    from socialcare.domain.derivation import plan_wait
    from socialcare.domain.messages import Channel

    rows = [
        json.loads(line)
        for path in sorted((root / "triage" / "holdout").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    triager, routing = Triager(), routing_config()
    assessed = [(row, triager.assess(row["text"], Channel(row["channel"]))) for row in rows]
    items: list[dict[str, Any]] = []
    start = datetime.combine(DAY, datetime.min.time(), UTC) + timedelta(hours=8)
    for number in range(count):
        row, assessment = assessed[number % len(assessed)]
        at = start + timedelta(seconds=number % 36_000)
        case_id = f"20261201-{number:016x}"
        plan = None
        if not assessment.autonomous:
            plan = plan_wait(
                routing,
                department=str(assessment.department),
                priority=assessment.priority,
                level=0,
                now=at,
                time_scale=1,
                reason="derived",
            ).as_dict()
        answered = at + timedelta(hours=1 + number % 40)
        items.append(
            {
                "PK": f"CASE#{case_id}",
                "SK": "CASE",
                "id": case_id,
                "channel": row["channel"],
                "created_at": utc_iso(at),
                "triaged_at": utc_iso(at),
                "status": "resolved" if plan else "autonomous",
                "reply_to": {"message_id": f"m{number}"},
                "triage": {**assessment.as_dict(), "suggested_replies": {"public": "Hola"}},
                **({"wait_plan": plan, "derived_at": utc_iso(at)} if plan else {}),
                **({"department_action_at": utc_iso(answered)} if plan else {}),
                "closed_at": utc_iso(answered),
            }
        )
        items.append(
            {
                "PK": f"CASE#{case_id}",
                "SK": f"MSG#{utc_iso(at)}#x",
                "text": row["text"],
                "received_at": utc_iso(at),
            }
        )
    return items


class _ScanPages:
    """DynamoDB's client as the adapter uses it: Scan pages of typed items."""

    def __init__(self, typed: list[dict[str, Any]]) -> None:
        self._pages = [typed[i : i + 2 * PAGE_CASES] for i in range(0, len(typed), 2 * PAGE_CASES)]

    def get_paginator(self, _name: str) -> _ScanPages:
        return self

    def paginate(self, **_kwargs: Any):
        for page in self._pages:
            yield {"Items": page}


def measure(root: Path, cases: int = 20_000, rounds: int = 5) -> dict[str, Any]:
    from socialcare.app.protocol_rehearsal import Protocol, rehearse
    from socialcare.bootstrap import Root
    from socialcare.bootstrap.operations import past_cases, table_items
    from socialcare.config.files import CONFIG_DIR
    from socialcare.settings import Settings

    client = _ScanPages(table_items(stored_items(root, cases)))
    reader = past_cases(Root(Settings(cases_table_name="cases"), client=lambda _s: client))
    with tempfile.TemporaryDirectory() as folder:
        proposed_dir = _to_legal(Path(folder))
        current, proposed = Protocol.read(CONFIG_DIR), Protocol.read(proposed_dir)
        reads, rehearsals, cpu = [], [], []
        for _ in range(rounds):
            began = time.perf_counter()
            stored = list(reader.past_cases(DAY, DAY))
            reads.append(time.perf_counter() - began)
            began, began_cpu = time.perf_counter(), time.process_time()
            outcome = rehearse(stored, current, proposed)
            rehearsals.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        sample = stored[: max(200, cases // 20)]
        began = time.perf_counter()
        rehearse(sample, current, proposed, retriage=True)
        retriage_rate = len(sample) / (time.perf_counter() - began)
    rates = sorted(cases / seconds for seconds in rehearsals)
    read_rates = sorted(cases / seconds for seconds in reads)
    median = statistics.median(rates)
    cpu_rates = sorted(cases / seconds for seconds in cpu)
    return {
        "cases": cases,
        "rounds": rounds,
        "changed": len(outcome.changes),
        "cases_per_second": round(median),
        "cases_per_second_range": [round(rates[0]), round(rates[-1])],
        "spread": round((rates[-1] - rates[0]) / 2 / median, 3),
        # CPU time: the machine is shared (load averages of 8-10 on 2 cores), wall time
        # counts the others' work too.
        "cpu_cases_per_second": round(statistics.median(cpu_rates)),
        "cpu_cases_per_second_range": [round(cpu_rates[0]), round(cpu_rates[-1])],
        "read_cases_per_second": round(statistics.median(read_rates)),
        # The rehearsal's time over the read's, per case: what it adds to reading them.
        "ratio_to_read": round(statistics.median(rehearsals) / statistics.median(reads), 2),
        "retriage_cases_per_second": round(retriage_rate),
        "target": TARGET,
        "ok": median >= TARGET,
    }


def _to_legal(folder: Path) -> Path:
    from socialcare.config.files import CONFIG_DIR

    copy = folder / "proposed"
    shutil.copytree(CONFIG_DIR, copy, ignore=shutil.ignore_patterns("profiles"))
    routing = copy / "routing.yaml"
    text = routing.read_text(encoding="utf-8")
    rule = "rules:\n  - department: legal\n    categories: [complaint]\n"
    routing.write_text(text.replace("rules:\n", rule, 1), encoding="utf-8")
    return copy


def table_lines(results: dict[str, Any] | None) -> list[str]:
    if not results:
        return []
    low, high = results["cases_per_second_range"]
    return [
        "",
        f"protocol diff: {results['cases_per_second']:,} cases/s rehearsed ({low:,}-{high:,}, "
        f"target >= {results['target']:,}) vs {results['read_cases_per_second']:,}/s read "
        f"(ratio {results['ratio_to_read']}); CPU time {results['cpu_cases_per_second']:,}/s; "
        "reading every message again "
        f"{results['retriage_cases_per_second']:,}/s {'ok' if results['ok'] else 'MISSED'}",
    ]
