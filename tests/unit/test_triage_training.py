"""`socialcare triage train`: a model file from labelled JSONL, the same file from the
same corpus, and the shipped model trained on the corpus in the repository."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from socialcare.config.files import CONFIG_DIR
from socialcare.config.model_file import ModelFile
from socialcare.domain.triage import Category
from socialcare_cli.triage_cli import BadLine
from socialcare_cli.triage_training import corpus_digest, corpus_paths, read_corpus, train

CORPUS = Path(__file__).resolve().parents[2] / "triage" / "corpus"
SMALL = [
    ("¿Abrís los sábados por la tarde?", "question", "neutral", False),
    ("¿Cuánto cuesta el envío a Canarias?", "question", "neutral", False),
    ("Llevo tres semanas esperando el reembolso, vergonzoso", "complaint", "negative", False),
    ("Me habéis cobrado dos veces y nadie contesta", "complaint", "negative", False),
    ("Gracias por la rapidez, sois geniales", "praise", "positive", False),
    ("Muchas gracias al técnico, un encanto", "praise", "positive", False),
    ("La app no funciona, pantalla en blanco", "incident", "negative", True),
    ("No puedo entrar en la web, da error", "incident", "negative", True),
]
CATEGORIES = [category.value for category in Category]


def write_corpus(folder: Path) -> Path:
    """A small labelled set with every category, so the model file is complete."""
    lines = []
    rows = SMALL + [
        (f"mensaje de ejemplo {c} número {n}", c, "neutral", False)
        for c in CATEGORIES
        for n in (1, 2)
    ]
    for text, category, sentiment, urgent in rows:
        expect = {
            "category": category,
            "sentiment": sentiment,
            "urgent": urgent,
            "authority_mentioned": False,
            "personal_data_exposed": False,
        }
        lines.append(json.dumps({"channel": "messenger", "text": text, "expect": expect}))
    path = folder / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_training_writes_a_model_that_learned_its_examples(tmp_path):
    # Given a small labelled corpus
    corpus = write_corpus(tmp_path)
    # When the command trains on it
    output = tmp_path / "model.json"
    run = subprocess.run(  # noqa: S603 (this interpreter, our command)
        [
            sys.executable,
            "-m",
            "socialcare_cli.main",
            "triage",
            "train",
            str(corpus),
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # Then it says what it did, and the file loads and knows its own examples
    assert run.returncode == 0, run.stderr
    assert "trained on 26 messages" in run.stdout
    model = ModelFile.model_validate_json(output.read_bytes()).triage_model(0.6, 0.5)
    from socialcare.domain.text_model import features

    assert (
        model.category.predict(features("La app no funciona, pantalla en blanco")).label
        == "incident"
    )


def test_the_same_corpus_gives_the_same_file(tmp_path):
    corpus = [write_corpus(tmp_path)]
    assert train(corpus) == train(corpus)


def test_a_line_without_its_labels_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"channel": "messenger", "text": "hola", "expect": {"category": "question"}}\n'
    )
    with pytest.raises(
        BadLine, match=r'bad\.jsonl line 1: "expect" needs category, sentiment, urgent'
    ):
        read_corpus([path])


def test_the_command_fails_in_one_line_on_a_missing_corpus(tmp_path):
    run = subprocess.run(  # noqa: S603 (this interpreter, our command)
        [sys.executable, "-m", "socialcare_cli.main", "triage", "train", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "no such file or folder" in run.stderr


def test_the_shipped_model_was_trained_on_the_corpus_in_the_repository():
    # Given the corpus and the model file in config/
    shipped = json.loads((CONFIG_DIR / "triage_model.json").read_text(encoding="utf-8"))
    paths = corpus_paths([CORPUS])
    # Then the model records this very corpus (retrain after changing it:
    # `socialcare triage train`)
    assert shipped["trained_on"]["corpus_sha256"] == corpus_digest(paths)
    assert shipped["trained_on"]["messages"] == len(read_corpus(paths)) >= 3000


def test_the_corpus_is_kept_apart_from_the_held_out_sets():
    # Given every held-out message with a word in it (writers apart still meet on a lone
    # "😍😍😍": batches 56 and 58 did, by other writers, with sets c and h)
    texts = [
        json.loads(line)["text"]
        for path in (CORPUS.parent / "holdout").rglob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    held_out = {text for text in texts if any(c.isalnum() for c in text)}
    # Then none of them is in the corpus
    assert held_out
    assert not held_out & {example.text for example in read_corpus(corpus_paths([CORPUS]))}


def test_a_correction_changes_the_next_models_answer(tmp_path):
    # Given a model trained on a small corpus, and its answer to a message
    corpus = [write_corpus(tmp_path)]
    message = "¿El parking de la tienda es gratis para clientes?"
    before = _answer(train(corpus), message)
    # And the console's correction of that message to another category, in the lines
    # `socialcare triage corrections` writes
    corrected = "partnership" if before != "partnership" else "supplier"
    expect = {
        "category": corrected,
        "sentiment": "neutral",
        "authority_mentioned": False,
        "personal_data_exposed": False,
        "urgent": False,
    }
    corrections = tmp_path / "corrections.jsonl"
    line = {"id": "correction-C1", "lang": "es", "channel": "messenger", "text": message}
    corrections.write_text(json.dumps({**line, "expect": expect}) + "\n", encoding="utf-8")
    # When the next model is trained with it
    after = _answer(train(corpus, [corrections]), message)
    # Then it answers as the person corrected
    assert after == corrected != before


def test_a_console_correction_exported_by_the_command_changes_the_next_models_answer(tmp_path):
    # Given a model trained on a small corpus, and its answer to a message
    from socialcare.app.triage_corrections import CorrectionDependencies, correction_corpus
    from socialcare.domain.cases import TriageRecord
    from tests.unit.console.actions_fakes import (
        CASE_ID,
        InMemoryCases,
        InMemoryConsoleCases,
        an_open_case,
    )

    corpus = [write_corpus(tmp_path)]
    message = "¿El parking de la tienda es gratis para clientes?"
    before = _answer(train(corpus), message)
    # And a case whose category a person corrected in the console, exported as
    # `socialcare triage corrections` exports it (the same function, the same lines)
    corrected = "partnership" if before != "partnership" else "supplier"
    triage = TriageRecord(category=corrected, sentiment="neutral", language="es")
    cases = InMemoryCases({CASE_ID: an_open_case(texts=(message,), triage=triage)})
    console = InMemoryConsoleCases(cases, corrections={CASE_ID: []})
    exported = correction_corpus(CorrectionDependencies(cases, console))
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in exported.lines),
        encoding="utf-8",
    )
    # When the next model is trained with that file
    after = _answer(train(corpus, [corrections]), message)
    # Then it answers as the person corrected
    assert len(exported.lines) == 1
    assert after == corrected != before


def _answer(document: dict, text: str) -> str:
    from socialcare.domain.text_model import features

    model = ModelFile.model_validate(document).triage_model(0.6, 0.5)
    return model.category.predict(features(text)).label


def test_training_says_how_well_calibrated_it_is(tmp_path):
    # Given a corpus large enough to cross-validate (every label in three messages)
    rows = [json.loads(line) for line in write_corpus(tmp_path).read_text().splitlines()]
    bigger = tmp_path / "bigger.jsonl"
    bigger.write_text(
        "".join(
            json.dumps({**row, "text": f"{row['text']} {n}"}) + "\n" for row in rows for n in (1, 2)
        ),
        encoding="utf-8",
    )
    report = io.StringIO()
    # When it is trained
    document = train([bigger], report=report)
    # Then the file carries the calibrations, and the command says what they do
    calibration = ModelFile.model_validate(document).calibration
    assert calibration.category.values[-1] <= 1.0 and calibration.urgent.points
    assert "expected calibration error" in report.getvalue()
    assert "decided alone" in report.getvalue()
