"""Confidence that means probability: a model's score mapped to how often such a score
was right, fitted by isotonic regression on cross-validated predictions in
`socialcare triage train` and shipped as points in config/triage_model.json.

Pure, standard library: a bisection and a straight line between two points.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    """A non-decreasing map: `points` (ascending scores) to `values` (probabilities),
    linear between two points and flat beyond the first and the last."""

    points: tuple[float, ...] = (0.0, 1.0)
    values: tuple[float, ...] = (0.0, 1.0)

    def __post_init__(self) -> None:
        if len(self.points) != len(self.values) or not self.points:
            raise ValueError("a calibration needs as many values as points, at least one")
        if any(b < a for a, b in zip(self.points, self.points[1:], strict=False)):
            raise ValueError("a calibration's points must ascend")

    def __call__(self, score: float) -> float:
        right = bisect_right(self.points, score)
        if right == 0:
            return self.values[0]
        if right == len(self.points):
            return self.values[-1]
        x0, x1 = self.points[right - 1], self.points[right]
        y0, y1 = self.values[right - 1], self.values[right]
        return y0 + (y1 - y0) * (score - x0) / (x1 - x0)


IDENTITY = Calibration()
