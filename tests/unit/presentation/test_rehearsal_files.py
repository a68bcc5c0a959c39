"""A rehearsal's three files: JSON counts by kind with examples, an HTML page in Spanish
and English, a CSV row per changed case; the same rehearsal gives the same bytes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from socialcare.app.protocol_rehearsal import Protocol, rehearse
from socialcare.config.files import CONFIG_DIR
from socialcare.domain.messages import Channel
from socialcare.presentation.rehearsal_files import (
    RehearsalFrame,
    rehearsal_csv,
    rehearsal_html,
    rehearsal_json,
)
from tests.unit.test_protocol_rehearsal import COMPLAINT, PRAISE, TO_LEGAL, folder, past

KINDS = (
    *("department", "priority", "autonomy", "urgent", "authority", "needs_review"),
    *("automatic_actions", "deadline"),
)
FRAME = RehearsalFrame(date(2026, 12, 1), date(2026, 12, 7), "proposed/")


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory):
    """Two complaints moved to legal, praise left where it was."""
    tmp_path = tmp_path_factory.mktemp("rehearsal")
    current = Protocol.read(CONFIG_DIR)
    proposed = Protocol.read(
        folder(tmp_path, "legal", routing_yaml=lambda t: t.replace("rules:\n", TO_LEGAL, 1))
    )

    def run():
        cases = [
            past(COMPLAINT, case_id="20261201-00000000000000a1", answered_after=timedelta(hours=1)),
            past(PRAISE, Channel.FACEBOOK_COMMENT, case_id="20261201-00000000000000a2"),
            past(COMPLAINT, case_id="20261201-00000000000000a3", answered_after=timedelta(hours=3)),
        ]
        return rehearse(cases, current, proposed)

    return run


def test_the_json_counts_every_kind_and_gives_examples(moved):
    # When the rehearsal is written as JSON
    document = json.loads(rehearsal_json(moved(), FRAME))
    # Then it says how many cases it read and how many changed, by kind
    assert document["cases_read"] == 3 and document["cases_changed"] == 2
    assert set(KINDS) <= set(document["changes"])
    assert document["changes"]["department"] == 2
    assert [e["case_id"] for e in document["examples"]["department"]] == [
        "20261201-00000000000000a1",
        "20261201-00000000000000a3",
    ]
    assert document["examples"]["department"][0]["after"]["department"] == "legal"
    assert document["moves"] == [{"from": "customer_service", "to": "legal", "cases": 2}]
    emails = {row["department"]: row for row in document["department_emails"]}
    assert emails["legal"]["after"] == 2 and emails["legal"]["per_day_after"] == round(2 / 7, 2)
    assert document["period"] == {"from": "2026-12-01", "to": "2026-12-07", "days": 7}


def test_the_csv_has_one_row_per_changed_case(moved):
    # When the rehearsal is written as CSV
    rows = list(csv.DictReader(io.StringIO(rehearsal_csv(moved()))))
    # Then each changed case is one row, saying what changed from what to what
    assert [row["case_id"] for row in rows] == [
        "20261201-00000000000000a1",
        "20261201-00000000000000a3",
    ]
    assert {
        (row["changes"], row["department_before"], row["department_after"]) for row in rows
    } == {("department", "customer_service", "legal")}


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Ensayo de un cambio de protocolo", "Atención al cliente → Asesoría jurídica"]),
        ("en", ["Protocol change rehearsal", "Customer service → Legal"]),
    ],
)
def test_the_page_lists_the_changed_cases_in_the_readers_language(moved, language, words):
    # When the rehearsal is a page in Spanish or English
    page = rehearsal_html(moved(), FRAME, language, Protocol.read(CONFIG_DIR).routing)
    # Then it is in that language, in the report's style, with each changed case listed
    assert f'<html lang="{language}">' in page
    assert all(word in page for word in words)
    assert "20261201-00000000000000a3" in page and "20261201-00000000000000a2" not in page
    assert "table.stack" in page  # the KPI report's styles


def test_the_same_rehearsal_gives_the_same_bytes(moved):
    # When the same cases are rehearsed twice with the same configuration
    first, second = moved(), moved()
    routing = Protocol.read(CONFIG_DIR).routing
    # Then every file is byte for byte the same
    assert rehearsal_json(first, FRAME) == rehearsal_json(second, FRAME)
    assert rehearsal_csv(first) == rehearsal_csv(second)
    for language in ("es", "en"):
        assert rehearsal_html(first, FRAME, language, routing) == rehearsal_html(
            second, FRAME, language, routing
        )


def test_the_page_escapes_what_it_shows(moved, tmp_path: Path):
    # Given a configuration folder whose name looks like markup
    frame = RehearsalFrame(date(2026, 12, 1), date(2026, 12, 1), "<script>x</script>")
    # When the page is written
    page = rehearsal_html(moved(), frame, "en", Protocol.read(CONFIG_DIR).routing)
    # Then the name is text, not markup
    assert "<script>x" not in page and "&lt;script&gt;x" in page
