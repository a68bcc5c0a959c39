"""Fixed log-spaced histograms: quantiles of any number of values in constant memory,
and mergeable (bins add), which is what lets a month be the sum of its days' partials."""

from __future__ import annotations

import math
from collections import Counter


class Histogram:
    """Non-negative values in log-spaced bins: quantiles within 2.5%, constant memory."""

    _PER_DECADE = 50
    _FLOOR = 1e-3  # below this (hours) a value counts as zero

    def __init__(self) -> None:
        self.bins: Counter[int] = Counter()
        self.count = 0
        self.total = 0.0

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.bins[self._bin(value)] += 1

    def _bin(self, value: float) -> int:
        if value < self._FLOOR:
            return -(10**6)
        return math.floor(math.log10(value) * self._PER_DECADE)

    def _value(self, index: int) -> float:
        if index == -(10**6):
            return 0.0
        return 10 ** ((index + 0.5) / self._PER_DECADE)  # the bin's middle

    def quantile(self, q: float) -> float | None:
        if not self.count:
            return None
        rank = q * (self.count - 1)
        seen = 0
        for index in sorted(self.bins):
            seen += self.bins[index]
            if seen > rank:
                return self._value(index)
        return self._value(max(self.bins))

    def summary(self) -> dict[str, float | int | None]:
        if not self.count:
            return {"count": 0, "mean": None, "median": None, "p90": None}
        return {
            "count": self.count,
            "mean": round(self.total / self.count, 2),
            "median": round(self.quantile(0.5) or 0.0, 2),
            "p90": round(self.quantile(0.9) or 0.0, 2),
        }
