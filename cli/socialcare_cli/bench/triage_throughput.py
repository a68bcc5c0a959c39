"""Triage throughput: messages per second through `socialcare triage` (its `run_triage`:
read a JSONL line, decode it, triage it with the learned model and the configured rules,
suggest the replies, write the JSON result), beside reading and JSON-decoding the same
lines. And the model's load, which every workflow container pays once, beside reading
the file's bytes."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any


def lines_for(root: Path, count: int) -> str:
    """`count` JSONL messages, cycling over the labelled sets (their labels dropped)."""
    sources = sorted(root.glob("tests/fixtures/triage_*.jsonl")) + sorted(
        root.glob("triage/holdout/*.jsonl")
    )
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
    from socialcare.config.loaders import routing_config, triage_model, triage_rules
    from socialcare_cli.triage_cli import run_triage

    text = lines_for(root, count)
    # configuration read once, as the command does first
    triage_rules(), triage_model(), routing_config()
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
    load, read = _model_load(rounds)
    return {
        "model_load_ms": round(load * 1000, 1),
        "model_read_floor_ms": round(read * 1000, 2),
        "messages": count,
        "messages_per_second": round(count / best_ours),
        "floor_messages_per_second": round(count / best_floor),
        "ratio": round(best_ours / best_floor, 1),
        "microseconds_per_message": round(best_ours / count * 1e6, 1),
    }


def _model_load(rounds: int) -> tuple[float, float]:
    """Best of `rounds`: validating and building the model file, and reading its bytes."""
    from socialcare.config.files import CONFIG_DIR
    from socialcare.config.loaders import triage_config
    from socialcare.config.model_file import ModelFile

    settings = triage_config().model
    path = CONFIG_DIR / settings.file
    best_load = best_read = float("inf")
    for _ in range(max(rounds, 5)):
        started = time.perf_counter()
        raw = path.read_bytes()
        best_read = min(best_read, time.perf_counter() - started)
        started = time.perf_counter()
        ModelFile.model_validate_json(path.read_bytes()).triage_model(
            settings.confidence_threshold, settings.urgent_threshold
        )
        best_load = min(best_load, time.perf_counter() - started)
    del raw
    return best_load, best_read
