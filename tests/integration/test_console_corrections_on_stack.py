"""`socialcare triage corrections --local URL -o FILE`: the cases corrected in the console
as labelled corpus lines (personal data masked) that `socialcare triage train` accepts."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from socialcare.app import console_actions
from socialcare_cli.local.stack import project_root
from socialcare_cli.main import main
from tests.integration.console_actions_helpers import actions_area
from tests.integration.workflow_helpers import derived_case


def test_a_corrected_case_becomes_a_corpus_line_that_trains(stack, api, tmp_path: Path):
    # Given a derived case whose category ana corrected in the console
    case = derived_case(stack)
    wrong = case["triage"]["category"]
    right = "incident" if wrong != "incident" else "complaint"
    area = actions_area(stack)
    done = console_actions.correct(case["id"], "category", right, "ana", area.cases)
    assert isinstance(done, console_actions.ActionDone), done
    # When the corrections are written to a file
    corrections = tmp_path / "corrections.jsonl"
    assert main(["triage", "corrections", "--local", api, "-o", str(corrections)]) == 0
    # Then the file is its owner's only, with one line: the case's text, channel, and the
    # corrected labels
    assert stat.S_IMODE(corrections.stat().st_mode) == 0o600
    [line] = [json.loads(text) for text in corrections.read_text().splitlines()]
    assert line["channel"] == case["channel"]
    assert line["expect"]["category"] == right
    assert set(line["expect"]) >= {"category", "sentiment", "urgent"}
    # And `socialcare triage train` takes it beside the corpus (a part of it: fast)
    model = tmp_path / "model.json"
    corpus = project_root() / "triage" / "corpus"
    part = [str(corpus / name) for name in ("batch-02_complaints.jsonl", "batch-08_urgent.jsonl")]
    assert main(["triage", "train", *part, str(corrections), "-o", str(model)]) == 0
    assert json.loads(model.read_text())["trained_on"]["messages"] > 1
