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
from typing import Any, TextIO

from socialcare.domain.text_model import FEATURES_VERSION, features
from socialcare_cli.triage_calibration import Fit, out_of_fold
from socialcare_cli.triage_cli import BadLine, read_line
from socialcare_cli.triage_review import CALIBRATED, calibrate

# Chosen by 5-fold cross-validation on the corpus (C in 3, 10, 30, 100; balanced
# weights gained a point): see the README's triage section.
REGULARISATION = 30.0
# A feature seen in one message only is noise more often than signal, and one whose
# weights all stay below MIN_WEIGHT moves no decision: both are left out of the file
# (cross-validated: the same accuracy with half the features).
MIN_MESSAGES_PER_FEATURE = 2
MIN_WEIGHT = 0.3
FIELDS = ("category", "sentiment", "urgent")
# The second model for the category (complement naive Bayes), its smoothing, its weight in
# the pool and the scale of its log-likelihoods: 5-fold cross-validation (README).
NB_SMOOTHING = 0.3
NB_WEIGHT = 0.35
NB_SCALE = 3.0
# Prior correction: the corpus's first hand wrote a complaint in about one message of four
# (1,017 of 3,798), writers after it about one in five (181 of 930); the model learnt that
# prior and read strangers' questions, incidents, praise and trolls as complaints (20 of 36
# misses on set B of issue 34). The category's intercepts move by these (log-odds), chosen by
# leave-one-batch-out over other writers' batches (`socialcare triage cross-validate
# --by-batch`, README).
CATEGORY_PRIOR_SHIFT = {"complaint": -1.0}
# A person's correction of a real message (`socialcare triage corrections`) counts as
# this many written ones: one correction must be able to change the next model's answer.
CORRECTION_WEIGHT = 5.0


@dataclass(frozen=True)
class Example:
    text: str
    labels: dict[str, str]
    batch: str = ""  # the file it came from: calibration folds keep a batch together


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
            examples.append(Example(record["text"], labels, path.stem))
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


def train(
    paths: list[Path], corrections: list[Path] | None = None, report: TextIO | None = None
) -> dict[str, Any]:
    """The model file's content: one classifier per labelled field, the category's and
    urgency's calibrations. Corrections (`socialcare triage corrections`) weigh
    CORRECTION_WEIGHT messages each. The cross-validated figures go to `report`."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    examples = read_corpus(paths)
    corrected = read_corpus(corrections) if corrections else []
    every = examples + corrected
    weights = np.array([1.0] * len(examples) + [CORRECTION_WEIGHT] * len(corrected))
    batches = [example.batch for example in every]
    found = [features(example.text) for example in every]
    seen = Counter(name for message in found for name in message)
    kept = [
        {n: v for n, v in message.items() if seen[n] >= MIN_MESSAGES_PER_FEATURE}
        for message in found
    ]
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform(kept)
    names = vectoriser.get_feature_names_out()
    document: dict[str, Any] = {
        "format": 2,
        "features": FEATURES_VERSION,
        "trained_on": {
            "messages": len(every),
            "corpus_sha256": corpus_digest(paths + (corrections or [])),
        },
    }
    calibrations: dict[str, Any] = {}
    for field in FIELDS:
        labels = [example.labels[field] for example in every]
        fit = _pooled if field == "category" else _logistic
        document[field] = _classifier(*fit(matrix, labels, weights), names, MIN_WEIGHT)
        if field in CALIBRATED:
            calibrations[field] = calibrate(
                field,
                out_of_fold(matrix, labels, weights, _pruned(fit, MIN_WEIGHT), batches),
                report,
            )
    document["calibration"] = calibrations
    return document


def _pruned(fit: Fit, least: float) -> Fit:
    """`fit` with the weights the file leaves out set to zero: the cross-validated
    predictions that calibrate the model are those of the model as shipped."""

    def pruned(matrix: Any, labels: list[str], weights: Any) -> tuple[list[str], Any, Any]:
        classes, coefficients, intercepts = fit(matrix, labels, weights)
        kept = abs(coefficients).max(axis=0) >= least
        return classes, coefficients * kept, intercepts

    return pruned


def _logistic(matrix: Any, labels: list[str], weights: Any) -> tuple[list[str], Any, Any]:
    """Multinomial logistic regression: its labels, one row of weights per label (sklearn
    keeps one row for two labels, the second label's score: spread as (-w/2, +w/2), which
    gives the same probabilities), its intercepts."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000).fit(
        matrix, labels, sample_weight=weights
    )
    coefficients, intercepts = fitted.coef_, fitted.intercept_
    if len(fitted.classes_) == 2:
        coefficients = np.vstack([-coefficients[0] / 2, coefficients[0] / 2])
        intercepts = np.array([-intercepts[0] / 2, intercepts[0] / 2])
    return [str(label) for label in fitted.classes_], coefficients, intercepts


def _pooled(matrix: Any, labels: list[str], weights: Any) -> tuple[list[str], Any, Any]:
    """The logistic regression averaged with complement naive Bayes (Rennie et al., 2003)
    over the same features: a weighted geometric mean of the two, which is one linear
    model again (each label's naive Bayes log-likelihood is linear in the features), so
    the Lambda scores it exactly as fast as one."""
    import numpy as np
    from sklearn.naive_bayes import ComplementNB

    classes, coefficients, intercepts = _logistic(matrix, labels, weights)
    bayes = ComplementNB(alpha=NB_SMOOTHING).fit(matrix, labels, sample_weight=weights)
    log_likelihood = bayes.feature_log_prob_
    centred = log_likelihood - log_likelihood.mean(axis=0)  # softmax ignores a shared row
    order = [list(bayes.classes_).index(label) for label in classes]
    pooled = (1 - NB_WEIGHT) * coefficients + NB_WEIGHT * NB_SCALE * centred[order]
    shift = np.array([CATEGORY_PRIOR_SHIFT.get(label, 0.0) for label in classes])
    return classes, pooled, (1 - NB_WEIGHT) * intercepts + shift


def _classifier(
    labels: list[str], coefficients: Any, intercepts: Any, names: Any, least: float
) -> dict[str, Any]:
    """The file's classifier: the features with a weight of at least `least`."""
    kept, weights = [], array("f")
    for index, name in enumerate(names):
        row = [float(coefficients[label][index]) for label in range(len(labels))]
        if max(abs(w) for w in row) >= least:
            kept.append(str(name))
            weights.extend(row)
    if sys.byteorder == "big":
        weights.byteswap()
    return {
        "labels": labels,
        "intercepts": [round(float(b), 6) for b in intercepts],
        "features": "\n".join(kept),
        "weights": base64.b64encode(weights.tobytes()).decode("ascii"),
    }


def write_model(document: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
