"""`socialcare triage train`, second half: the pooled models' cross-validated predictions,
and from them the calibrations that make a score a probability (isotonic regression:
how often messages scored so were right) and the figures the command prints.

Cross-validation here is 5-fold over the corpus, stratified by label, shuffled with a fixed
seed: the same corpus gives the same calibration. A batch stays within one fold (grouped by
file) when there are enough batches: a message scored by a model trained on its own batch's
siblings, written by the same hand the same day, is scored with a confidence a stranger's
words do not earn (README, "It knows when to ask").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FOLDS = 5
# Reliability is read in ten bins of confidence (expected calibration error: the gap
# between confidence and accuracy in each bin, weighed by the messages in it).
BINS = 10
# Points of a calibration are kept to this many decimals (the file stays small).
DECIMALS = 4
# No calibrated probability is certainty: a band where every cross-validated message was
# right shows an error rate below what its few hundred messages can measure, not none.
MOST_PROBABLE = 0.995

# (matrix, labels, sample weights) -> (labels in order, coefficients, intercepts)
Fit = Callable[[Any, list[str], Any], tuple[list[str], Any, Any]]


@dataclass(frozen=True)
class OutOfFold:
    """Each message's probabilities from a model that did not see it."""

    labels: list[str]
    probabilities: Any  # numpy (messages x labels)
    truth: list[str]

    def top(self) -> tuple[Any, Any]:
        """Each message's top probability, and whether its label was right."""
        import numpy as np

        chosen = self.probabilities.argmax(axis=1)
        right = np.array([self.labels[c] == t for c, t in zip(chosen, self.truth, strict=True)])
        return self.probabilities.max(axis=1), right


def probabilities(matrix: Any, coefficients: Any, intercepts: Any) -> Any:
    import numpy as np

    scores = matrix @ coefficients.T + intercepts
    scores = scores - scores.max(axis=1, keepdims=True)
    exps = np.exp(scores)
    return exps / exps.sum(axis=1, keepdims=True)


def out_of_fold(
    matrix: Any, labels: list[str], weights: Any, fit: Fit, batches: list[str] | None = None
) -> OutOfFold | None:
    """None when some label has fewer messages than two folds need. With `batches` (each
    message's batch) from at least 2 * FOLDS batches, no batch is split across folds."""
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    counts = {label: labels.count(label) for label in set(labels)}
    folds = min(FOLDS, min(counts.values()))
    if folds < 2:
        return None
    order = sorted(counts)
    found = np.zeros((len(labels), len(order)))
    target = np.array(labels)
    grouped = batches is not None and len(set(batches)) >= 2 * folds
    splitter = (StratifiedGroupKFold if grouped else StratifiedKFold)(
        n_splits=folds, shuffle=True, random_state=0
    )
    for train, test in splitter.split(np.zeros(len(labels)), target, batches if grouped else None):
        classes, coefficients, intercepts = fit(matrix[train], list(target[train]), weights[train])
        columns = [order.index(label) for label in classes]
        found[np.ix_(test, columns)] = probabilities(matrix[test], coefficients, intercepts)
    return OutOfFold(order, found, labels)


def isotonic(scores: Any, outcomes: Any) -> dict[str, list[float]]:
    """The calibration's points and values (domain/calibration.py)."""
    from sklearn.isotonic import IsotonicRegression

    fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, outcomes)
    points = [round(float(x), DECIMALS) for x in fitted.X_thresholds_]
    values = [round(float(y), DECIMALS) for y in fitted.y_thresholds_]
    kept_points: list[float] = []
    kept_values: list[float] = []
    for point, value in zip(points, values, strict=True):
        if kept_points and point <= kept_points[-1]:  # equal once rounded: one point
            kept_values[-1] = max(kept_values[-1], value)
            continue
        kept_points.append(point)
        kept_values.append(value)
    return {"points": kept_points, "values": [min(v, MOST_PROBABLE) for v in kept_values]}


IDENTITY = {"points": [0.0, 1.0], "values": [0.0, 1.0]}


def apply(calibration: dict[str, list[float]], scores: Any) -> Any:
    import numpy as np

    return np.interp(scores, calibration["points"], calibration["values"])


def expected_calibration_error(confidence: Any, right: Any) -> float:
    import numpy as np

    bins = np.minimum((np.asarray(confidence) * BINS).astype(int), BINS - 1)
    error = 0.0
    for band in range(BINS):
        inside = bins == band
        if inside.any():
            error += inside.mean() * abs(confidence[inside].mean() - right[inside].mean())
    return float(error)


def reliability(confidence: Any, right: Any) -> list[tuple[str, int, float, float]]:
    """(confidence band, messages, mean confidence, accuracy) for each band with messages."""
    import numpy as np

    bins = np.minimum((np.asarray(confidence) * BINS).astype(int), BINS - 1)
    rows = []
    for band in range(BINS):
        inside = bins == band
        if inside.any():
            rows.append(
                (
                    f"{band / BINS:.1f}-{(band + 1) / BINS:.1f}",
                    int(inside.sum()),
                    float(confidence[inside].mean()),
                    float(right[inside].mean()),
                )
            )
    return rows
