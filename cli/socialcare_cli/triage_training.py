"""`socialcare triage train`: the triage model from labelled JSONL, written to
config/triage_model.json.

scikit-learn fits the model offline (a dev dependency, never in the Lambda layer); the
file holds only the features and weights, and socialcare.domain.text_model scores them
with the standard library. Training is deterministic: the same corpus gives the same file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcare.domain.text_model import FEATURES_VERSION, features
from socialcare_cli.triage_cli import BadLine, read_line

# Chosen by 5-fold cross-validation on the corpus (C in 3, 10, 30, 100; balanced
# weights gained a point): see the README's triage section.
REGULARISATION = 30.0
# A feature seen in one message only is noise more often than signal, and one whose
# weights all stay below MIN_WEIGHT moves no decision: both are left out of the file
# (cross-validated: the same accuracy with half the features).
MIN_MESSAGES_PER_FEATURE = 2
MIN_WEIGHT = 0.3
FIELDS = ("category", "sentiment", "urgent")


@dataclass(frozen=True)
class Example:
    text: str
    labels: dict[str, str]


def read_corpus(paths: list[Path]) -> list[Example]:
    """Every labelled line of the files; a line without its labels names itself."""
    examples = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = read_line(line, number)
            expected = record.get("expect")
            if not isinstance(expected, dict) or any(f not in expected for f in FIELDS):
                raise BadLine(f'{path.name} line {number}: "expect" needs {", ".join(FIELDS)}')
            labels = {f: str(expected[f]).lower() for f in FIELDS}
            examples.append(Example(record["text"], labels))
    if not examples:
        raise BadLine("no labelled messages to train on")
    return examples


def corpus_paths(sources: list[Path]) -> list[Path]:
    """Files as given; folders as their *.jsonl files, in name order."""
    paths: list[Path] = []
    for source in sources:
        if source.is_dir():
            paths.extend(sorted(source.glob("*.jsonl")))
        elif source.is_file():
            paths.append(source)
        else:
            raise BadLine(f"{source}: no such file or folder")
    return paths


def corpus_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train(paths: list[Path]) -> dict[str, Any]:
    """The model file's content: one classifier per labelled field."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    examples = read_corpus(paths)
    found = [features(example.text) for example in examples]
    seen = Counter(name for message in found for name in message)
    kept = [
        {n: v for n, v in message.items() if seen[n] >= MIN_MESSAGES_PER_FEATURE}
        for message in found
    ]
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform(kept)
    names = vectoriser.get_feature_names_out()
    document: dict[str, Any] = {
        "format": 1,
        "features": FEATURES_VERSION,
        "trained_on": {"messages": len(examples), "corpus_sha256": corpus_digest(paths)},
    }
    for field in FIELDS:
        labels = [example.labels[field] for example in examples]
        fitted = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000).fit(
            matrix, labels
        )
        document[field] = _classifier(fitted, names)
    return document


def _classifier(fitted: Any, names: Any) -> dict[str, Any]:
    """sklearn keeps one row for two labels (the second label's score): spread it as
    (-w/2, +w/2), which gives the same probabilities with one row per label."""
    labels = [str(label) for label in fitted.classes_]
    coefficients = [list(map(float, row)) for row in fitted.coef_]
    intercepts = [float(b) for b in fitted.intercept_]
    if len(labels) == 2:
        coefficients = [[-w / 2 for w in coefficients[0]], [w / 2 for w in coefficients[0]]]
        intercepts = [-intercepts[0] / 2, intercepts[0] / 2]
    kept, weights = [], array("f")
    for index, name in enumerate(names):
        row = [coefficients[label][index] for label in range(len(labels))]
        if max(abs(w) for w in row) >= MIN_WEIGHT:
            kept.append(str(name))
            weights.extend(row)
    if sys.byteorder == "big":
        weights.byteswap()
    return {
        "labels": labels,
        "intercepts": [round(b, 6) for b in intercepts],
        "features": "\n".join(kept),
        "weights": base64.b64encode(weights.tobytes()).decode("ascii"),
    }


def write_model(document: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
