"""`socialcare triage train`: the calibrations it ships and what it says of them
(accuracy, expected calibration error before and after, the reliability table, and how
many messages each doubt threshold leaves to triage alone), all from cross-validated
predictions, never from the messages a model was fitted on."""

from __future__ import annotations

from typing import Any, TextIO

from socialcare_cli.triage_calibration import (
    IDENTITY,
    OutOfFold,
    apply,
    expected_calibration_error,
    isotonic,
    reliability,
)

CALIBRATED = ("category", "urgent")
# The doubts (1 - calibrated probability) the command reports the share decided alone at.
DOUBTS = (0.03, 0.05, 0.1, 0.15, 0.2, 0.3)


def calibrate(field: str, found: OutOfFold | None, report: TextIO | None) -> dict[str, Any]:
    """The isotonic map of the field's score (the category's top probability; the
    probability of "true" for urgency) to how often it was right; IDENTITY when the corpus
    is too small to cross-validate."""
    import numpy as np

    if found is None:
        return IDENTITY
    if field == "urgent":
        score = found.probabilities[:, found.labels.index("true")]
        outcome = np.array([truth == "true" for truth in found.truth], dtype=float)
        calibration = isotonic(score, outcome)
        # Reliability of the decision at 0.5 (right or wrong), before and after.
        confidence = np.maximum(score, 1 - score)
        right = (score >= 0.5) == outcome.astype(bool)
        calibrated = apply(calibration, score)
        after = np.maximum(calibrated, 1 - calibrated)
        right_after = (calibrated >= 0.5) == outcome.astype(bool)
    else:
        confidence, right = found.top()
        calibration = isotonic(confidence, right.astype(float))
        after, right_after = apply(calibration, confidence), right
    if report is not None:
        _write(field, report, (confidence, right), (after, right_after))
    return calibration


def _write(field: str, report: TextIO, before: tuple[Any, Any], after: tuple[Any, Any]) -> None:
    right = before[1]
    report.write(
        f"{field}: {len(right)} messages, 5-fold cross-validated accuracy {right.mean():.3f}; "
        f"expected calibration error {expected_calibration_error(*before):.3f} before "
        f"calibration, {expected_calibration_error(*after):.3f} after\n"
    )
    report.write("  band      messages  confidence  accuracy   (after calibration)\n")
    for band, count, mean, accuracy in reliability(*after):
        report.write(f"  {band}  {count:8}  {mean:10.3f}  {accuracy:8.3f}\n")
    if field == "category":
        calibrated, right_after = after
        for doubt in DOUBTS:
            alone = (1 - calibrated) <= doubt
            share = alone.mean()
            accuracy = right_after[alone].mean() if alone.any() else 1.0
            report.write(
                f"  doubt <= {doubt:.2f}: {share:.1%} decided alone, {accuracy:.3f} of them right\n"
            )
