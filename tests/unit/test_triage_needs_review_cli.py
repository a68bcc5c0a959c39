"""`socialcare triage` says on each line whether a person should look (needs_review), and
--evaluate how many messages it decides alone and how often those are right."""

from __future__ import annotations

import io
import json
from pathlib import Path

from socialcare_cli.triage_cli import evaluate, run_triage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_each_line_says_whether_a_person_should_look():
    # Given two messages, one JSON line each
    lines = [
        {"text": "Muchísimas gracias por el trato, sois un encanto", "channel": "messenger"},
        {"text": "mmm lo de ayer pues eso", "channel": "x_mention"},
    ]
    source = io.StringIO("".join(json.dumps(line) + "\n" for line in lines))
    sink = io.StringIO()
    # When they are triaged
    assert run_triage(source, sink) == 0
    # Then each result carries the fields the held-out sets are checked on
    results = [json.loads(line) for line in sink.getvalue().splitlines()]
    fields = ("category", "sentiment", "urgent", "authority_mentioned", "personal_data_exposed")
    for result in results:
        assert all(field in result for field in fields)
        assert isinstance(result["needs_review"], bool)
        assert result["needs_review"] == bool(result["review_reasons"])


def test_evaluate_reports_the_share_decided_alone_and_its_accuracy():
    # Given the shared development set
    sink = io.StringIO()
    # When it is evaluated
    figures = evaluate(FIXTURES / "triage_dev.jsonl", sink)
    # Then it says how many triage decided alone and how many of those were right
    assert 0 < figures["decided_alone_share"] <= 1
    assert (
        0
        <= figures["decided_alone_course_accuracy"]
        <= figures["decided_alone_category_accuracy"]
        <= 1
    )
    assert "decided_alone_share" in sink.getvalue()
