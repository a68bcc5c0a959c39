"""Triage throughput: messages per second through `socialcare triage` (its `run_triage`:
read a JSONL line, decode it, triage it with the configured rules, suggest the replies,
write the JSON result), beside reading and JSON-decoding the same lines."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any


def lines_for(root: Path, count: int) -> str:
    """`count` JSONL messages, cycling over the labelled sets (their labels dropped)."""
    sources = sorted(root.glob("tests/fixtures/triage_*.jsonl"))
    records = []
    for path in sources:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    row.pop("expect", None)
                    records.append(json.dumps(row, ensure_ascii=False))
    if not records:
        raise RuntimeError("no labelled messages found for the triage benchmark")
    return "\n".join(records[i % len(records)] for i in range(count)) + "\n"


def measure(root: Path, count: int = 20_000, rounds: int = 3) -> dict[str, Any]:
    from socialcare.configuration import routing_config, triage_rules
    from socialcare_cli.triage_cli import run_triage

    text = lines_for(root, count)
    triage_rules(), routing_config()  # configuration read once, as the command does first
    best_ours = best_floor = float("inf")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for _ in range(rounds):  # the best round of each: the least disturbed by others
            started = time.perf_counter()
            for line in io.StringIO(text):
                json.loads(line)
            best_floor = min(best_floor, time.perf_counter() - started)
            started = time.perf_counter()
            if run_triage(io.StringIO(text), sink) != 0:
                raise RuntimeError("triage failed on a benchmark line")
            best_ours = min(best_ours, time.perf_counter() - started)
    return {
        "messages": count,
        "messages_per_second": round(count / best_ours),
        "floor_messages_per_second": round(count / best_floor),
        "ratio": round(best_ours / best_floor, 1),
        "microseconds_per_message": round(best_ours / count * 1e6, 1),
    }
