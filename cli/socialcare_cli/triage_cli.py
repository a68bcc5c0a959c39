"""`socialcare triage`: JSONL messages on stdin, one JSON triage result per line out.
With --evaluate FILE, compare against the `expect` fields of a labelled set."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from socialcare.app.triage import Triager
from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import SuggestedReplies
from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category
from socialcare.presentation.replies import ReplyWriter
from socialcare_cli.errors import CommandFailed


class BadLine(CommandFailed):
    """One input line that cannot be triaged; the message names the line."""


def read_line(line: str, number: int) -> dict[str, Any]:
    """{"text", "channel", "followers"?} from one JSONL line, or BadLine saying why not."""
    try:
        record = json.loads(line)
    except ValueError as error:
        raise BadLine(f"line {number}: not JSON ({error.args[0].split(':')[0]})") from None
    if not isinstance(record, dict):
        raise BadLine(f"line {number}: not a JSON object")
    for field in ("text", "channel"):
        if not isinstance(record.get(field), str):
            raise BadLine(f'line {number}: "{field}" is missing or not text')
    if record["channel"] not in set(Channel):
        known = ", ".join(Channel)
        raise BadLine(f"line {number}: unknown channel {record['channel']!r} (one of {known})")
    followers = record.get("followers")
    if followers is not None and (type(followers) is not int or followers < 0):
        raise BadLine(f'line {number}: "followers" must be a whole number')
    return record


class TriageDesk:
    """What `socialcare triage` shows of a message: its assessment and suggested replies."""

    def __init__(self) -> None:
        self.triager = Triager()
        self.routing = self.triager.routing
        self.writer = ReplyWriter()

    def assess(self, text: str, channel: Channel, **options: Any) -> Assessment:
        return self.triager.assess(text, channel, **options)

    def replies(
        self, assessment: Assessment, text: str, channel: Channel, **options: Any
    ) -> SuggestedReplies:
        return self.writer.suggest(assessment, text, channel, **options)

    def triage_line(self, record: dict[str, Any]) -> dict[str, Any]:
        """{"text", "channel", "followers"?} -> one result."""
        channel = Channel(record["channel"])
        text = str(record["text"])
        assessment = self.assess(text, channel, followers=record.get("followers"))
        replies = self.replies(assessment, text, channel)
        return {
            **assessment.as_dict(),
            "needs_review": assessment.triage.needs_review,
            "review_reasons": list(assessment.triage.review_reasons),
            "suggested_reply": replies.public or replies.private,
            "suggested_replies": replies.as_dict(),
        }


def run_triage(source: TextIO, sink: TextIO, errors: TextIO = sys.stderr) -> int:
    """Each good line's result on `sink`; each bad line's reason on `errors` (exit 1)."""
    triager = TriageDesk()
    failures = 0
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = read_line(line, number)
        except BadLine as bad:
            failures += 1
            errors.write(f"{bad}\n")
            continue
        sink.write(json.dumps(triager.triage_line(record), ensure_ascii=False) + "\n")
    return 1 if failures else 0


FLAGS = ("authority_mentioned", "personal_data_exposed", "urgent")


def evaluate(path: Path, sink: TextIO = sys.stdout) -> dict[str, float]:
    """Accuracy of category (and sentiment, urgent where labelled), the share triage
    decided alone (no needs_review) and how often those were right, the category
    confusion matrix, and each flag's precision and recall; the misses are listed first,
    each saying whether it was sent for review."""
    triager = TriageDesk()
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [_labelled(line, number) for number, line in enumerate(lines, 1) if line.strip()]
    confusion: Counter[tuple[str, str]] = Counter()
    counts: Counter[str] = Counter()
    for row in rows:
        result = triager.triage_line(row)
        expected = row["expect"]
        confusion[(expected["category"], result["category"])] += 1
        if result["category"] != expected["category"]:
            review = "review" if result["needs_review"] else "alone "
            sink.write(
                f"  {expected['category']:>11} -> {result['category']:<11} "
                f"{result['confidence']:.2f} {review} {row['text'][:70]}\n"
            )
        _count(result, expected, counts)
    figures: dict[str, float] = {"messages": len(rows)}
    figures["category_accuracy"] = sum(confusion[(c, c)] for c in Category) / len(rows)
    # needs_review: how many triage decides alone, and how often those are right (the
    # category; and everything that sets the case's course: category, urgent, authority).
    alone = counts["alone"]
    figures["decided_alone_share"] = alone / len(rows)
    figures["decided_alone_category_accuracy"] = counts["alone:category"] / alone if alone else 1.0
    figures["decided_alone_course_accuracy"] = counts["alone:all"] / alone if alone else 1.0
    if counts["sentiment:labelled"]:
        figures["sentiment_accuracy"] = counts["sentiment:right"] / counts["sentiment:labelled"]
    for flag in FLAGS:
        tp, fp, fn, tn = (counts[f"{flag}:{k}"] for k in ("tp", "fp", "fn", "tn"))
        if tp + fp + fn + tn:
            figures[f"{flag}_accuracy"] = (tp + tn) / (tp + fp + fn + tn)
            figures[f"{flag}_precision"] = tp / (tp + fp) if tp + fp else 1.0
            figures[f"{flag}_recall"] = tp / (tp + fn) if tp + fn else 1.0
    for name, value in figures.items():
        sink.write(
            f"{name:34} {value:.3f}\n" if isinstance(value, float) else f"{name:34} {value}\n"
        )
    _write_confusion(confusion, sink)
    return figures


def _count(result: dict[str, Any], expected: dict[str, Any], counts: Counter[str]) -> None:
    if "sentiment" in expected:
        counts["sentiment:labelled"] += 1
        counts["sentiment:right"] += result["sentiment"] == expected["sentiment"]
    for flag in FLAGS:
        if flag in expected:
            counts[f"{flag}:{_outcome(result[flag], expected[flag])}"] += 1
    if not result["needs_review"]:
        counts["alone"] += 1
        counts["alone:category"] += result["category"] == expected["category"]
        counts["alone:all"] += _course_right(result, expected)


def _course_right(result: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Category, urgency (where labelled) and authority as labelled."""
    return (
        result["category"] == expected["category"]
        and result["authority_mentioned"] == bool(expected["authority_mentioned"])
        and ("urgent" not in expected or result["urgent"] == bool(expected["urgent"]))
    )


def _outcome(found: bool, expected: bool) -> str:
    return {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[
        (bool(found), bool(expected))
    ]


_SHORT = {
    "question": "quest",
    "complaint": "compl",
    "incident": "incid",
    "sales_lead": "lead",
    "supplier": "suppl",
    "partnership": "partn",
    "praise": "praise",
    "troll": "troll",
    "spam": "spam",
}


def _write_confusion(confusion: Counter[tuple[str, str]], sink: TextIO) -> None:
    """Rows: the labelled category; columns: triage's."""
    sink.write("confusion (rows: expected, columns: triaged)\n")
    sink.write(" " * 12 + "".join(f"{_SHORT[c]:>7}" for c in Category) + "\n")
    for expected in Category:
        cells = "".join(f"{confusion[(expected, found)] or '.':>7}" for found in Category)
        sink.write(f"{expected.value:>11} {cells}\n")


def _labelled(line: str, number: int) -> dict[str, Any]:
    record = read_line(line, number)
    expected = record.get("expect")
    keys = ("category", "authority_mentioned", "personal_data_exposed")
    if not isinstance(expected, dict) or any(k not in expected for k in keys):
        raise BadLine(f'line {number}: "expect" needs {", ".join(keys)}')
    if expected["category"] not in set(Category):
        raise BadLine(f"line {number}: unknown category {expected['category']!r}")
    return record
