"""config/triage_model.json read at run time by plain code: `json.loads` and the arrays,
no pydantic (validating the 1 MB file through it was about 11 ms of the triage function's
first event against about 4 ms for `json.loads`). config/model_file.py's ModelFile
validates the same file in `socialcare config check` and the tests, and builds the model
through the same functions below."""

from __future__ import annotations

import base64
import json
import sys
from array import array
from pathlib import Path
from typing import Any

from socialcare.domain.calibration import Calibration
from socialcare.domain.text_model import LinearModel
from socialcare.domain.triage import TriageModel


def weights_of(encoded: str) -> array[float]:
    """Little-endian float32, base64 (binascii.Error or ValueError when it is not)."""
    raw = base64.b64decode(encoded, validate=True)
    if len(raw) % 4:
        raise ValueError("the weights are not float32")
    weights = array("f", raw)
    if sys.byteorder == "big":
        weights.byteswap()
    return weights


def linear_model(
    labels: list[str], intercepts: list[float], features: str, weights: array[float]
) -> LinearModel:
    """One classifier: a row of len(labels) weights per feature (one a line)."""
    width = len(labels)
    names = features.split("\n") if features else []
    return LinearModel(
        labels=tuple(labels),
        intercepts=tuple(intercepts),
        rows={name: row for row, name in enumerate(names)},
        columns=tuple(weights[label::width] for label in range(width)),
    )


def _classifier(document: dict[str, Any]) -> LinearModel:
    return linear_model(
        document["labels"],
        [float(value) for value in document["intercepts"]],
        document["features"],
        weights_of(document["weights"]),
    )


def calibration(document: dict[str, Any]) -> Calibration:
    """{"points": [...], "values": [...]}: see domain/calibration.py."""
    return Calibration(tuple(document["points"]), tuple(document["values"]))


def read_triage_model(
    path: Path,
    confidence_threshold: float,
    urgent_threshold: float,
    review_category_doubt: float = 1.0,
    review_urgent_doubt: float = 1.0,
) -> TriageModel:
    document = json.loads(path.read_bytes())
    calibrations = document["calibration"]
    return TriageModel(
        category=_classifier(document["category"]),
        sentiment=_classifier(document["sentiment"]),
        urgent=_classifier(document["urgent"]),
        confidence_threshold=confidence_threshold,
        urgent_threshold=urgent_threshold,
        category_calibration=calibration(calibrations["category"]),
        urgent_calibration=calibration(calibrations["urgent"]),
        review_category_doubt=review_category_doubt,
        review_urgent_doubt=review_urgent_doubt,
    )
