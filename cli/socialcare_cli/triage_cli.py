"""`socialcare triage`: JSONL messages on stdin, one JSON triage result per line out.
With --evaluate FILE, compare against the `expect` fields of a labelled set."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from socialcare.triage_service import Triager


def run_triage(source: TextIO, sink: TextIO) -> int:
    triager = Triager()
    failures = 0
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            result = triager.triage_line(record)
        except (ValueError, KeyError, TypeError) as error:
            failures += 1
            result = {"line": number, "error": f"{type(error).__name__}: {error}"}
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def evaluate(path: Path, sink: TextIO = sys.stdout) -> dict[str, float]:
    triager = Triager()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    correct = 0
    counts: Counter[str] = Counter()
    for row in rows:
        result = triager.triage_line(row)
        expected = row["expect"]
        if result["category"] == expected["category"]:
            correct += 1
        else:
            sink.write(
                f"  {expected['category']:>11} -> {result['category']:<11} {row['text'][:70]}\n"
            )
        for flag in ("authority_mentioned", "personal_data_exposed"):
            outcome = {
                (True, True): "tp",
                (True, False): "fp",
                (False, True): "fn",
                (False, False): "tn",
            }[(result[flag], expected[flag])]
            counts[f"{flag}:{outcome}"] += 1
    figures = {"messages": len(rows), "category_accuracy": correct / len(rows) if rows else 0.0}
    for flag in ("authority_mentioned", "personal_data_exposed"):
        tp, fp, fn = (counts[f"{flag}:{k}"] for k in ("tp", "fp", "fn"))
        figures[f"{flag}_precision"] = tp / (tp + fp) if tp + fp else 1.0
        figures[f"{flag}_recall"] = tp / (tp + fn) if tp + fn else 1.0
    for name, value in figures.items():
        sink.write(
            f"{name:34} {value:.3f}\n" if isinstance(value, float) else f"{name:34} {value}\n"
        )
    return figures
