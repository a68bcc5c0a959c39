"""`socialcare triage cross-validate --by-batch`: each batch by another writer triaged by a
model trained on every other batch, and what it prints."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from socialcare_cli.errors import CommandFailed
from socialcare_cli.triage_batch_cv import cross_validate, other_hands
from tests.unit.test_triage_training import write_corpus


def _corpus(folder: Path) -> Path:
    """Two batches with every category; the second written by another writer (a brief)."""
    corpus = folder / "corpus"
    (corpus / "briefs").mkdir(parents=True)
    first = write_corpus(folder)
    (corpus / "batch-01_first.jsonl").write_text(first.read_text(encoding="utf-8"))
    (corpus / "batch-02_other.jsonl").write_text(first.read_text(encoding="utf-8"))
    (corpus / "briefs" / "batch-02_other.md").write_text("# another writer\n")
    return corpus


def test_only_batches_with_a_brief_are_held_out(tmp_path):
    # Given a corpus where one batch of two has a brief beside it
    corpus = _corpus(tmp_path)
    # Then that batch alone is another writer's
    assert [path.name for path in other_hands(corpus)] == ["batch-02_other.jsonl"]


def test_the_held_out_batch_is_triaged_by_a_model_that_never_saw_it(tmp_path):
    # Given a corpus and a trainer that records what it was given
    corpus = _corpus(tmp_path)
    trained_on: list[list[str]] = []

    def trainer(paths: list[Path]) -> dict:
        from socialcare_cli.triage_training import train

        trained_on.append([path.name for path in paths])
        return train(paths)

    sink = io.StringIO()
    # When it is cross-validated by batch
    results = cross_validate(corpus, sink, trainer)
    # Then the other writer's batch was scored whole by a model trained without it
    assert trained_on == [["batch-01_first.jsonl"]]
    assert [r.name for r in results] == ["batch-02_other"]
    assert (
        len(results[0].scored) == len((corpus / "batch-02_other.jsonl").read_text().split("\n")) - 1
    )
    # And the report has the batch, the mean, the curve and the reliability table
    report = sink.getvalue()
    for part in ("batch-02_other", "mean over 1 batches", "right when alone", "confidence band"):
        assert part in report


def test_a_corpus_with_no_other_writer_is_refused(tmp_path):
    # Given a corpus with no brief
    corpus = _corpus(tmp_path)
    (corpus / "briefs" / "batch-02_other.md").unlink()
    # Then it says there is nothing to hold out
    with pytest.raises(CommandFailed, match="no batch with a brief"):
        cross_validate(corpus, io.StringIO())


def test_the_command_fails_in_one_line_on_a_missing_folder(tmp_path):
    run = subprocess.run(  # noqa: S603 (this interpreter, our command)
        [
            sys.executable,
            "-m",
            "socialcare_cli.main",
            "triage",
            "cross-validate",
            "--by-batch",
            str(tmp_path / "nope"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "no such folder" in run.stderr
