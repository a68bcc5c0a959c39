"""What the crisis simulator counts: capacity units per partition key per simulated second
(the table's and each index's), and the HTTP API's throttling as a token bucket."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# A partition serves at most 3,000 read and 1,000 write units a second:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
PARTITION_WCU = 1000
PARTITION_RCU = 3000
TARGET_SHARE = 0.7  # the target: 70% of each limit

# An id: 16 characters or more of a digest's or a token's alphabet with a digit or both
# cases among them (not OUTBOUND_UNCERTAIN, nor claims_and_repairs); a number of 5
# digits or more (a platform's user id) whatever its length.
_RUN = re.compile(r"[\w-]{16,}")
_NUMBER = re.compile(r"\d{5,}")
_DIGIT = re.compile(r"\d")


def mask(key: str) -> str:
    """The key's pattern without ids: ids become <id>, long numbers <n>, other digits 9
    (a date stays readable: DAY#9999-99-99)."""
    return _DIGIT.sub("9", _NUMBER.sub("<n>", _RUN.sub(_id, key)))


def _id(found: re.Match[str]) -> str:
    run = found.group(0)
    mixed = any(c.islower() for c in run) and any(c.isupper() for c in run)
    return "<id>" if mixed or any(c.isdigit() for c in run) else run


# In a sampled run (crisis.py --fraction), a key pattern with fewer distinct keys than
# this share of the simulated deliveries is shared by many cases (a day, a topic, a shard
# of either): its traffic stands for 1/fraction as much. A pattern with about a key per
# case or message (CASE#<id>, DEDUP#<id>, ACTION#<id>) has each key's load as it is.
SHARED_BELOW_SHARE = 0.1
# ... and a key a handful of calls touched over the whole run is one case's, whatever it
# looks like.
SHARED_MIN_OPERATIONS = 8
# A sampled run's per-second figures of shared keys: the peak of a minute's mean (a second
# holds too few sampled arrivals to read a peak from).
SAMPLED_WINDOW_S = 60


@dataclass
class Ledger:
    """Units and operations per (table or table/index, "W" or "R", partition key) per
    simulated second. `fraction`: the share of the burst's deliveries simulated;
    `deliveries`: how many that was (the simulator sets it)."""

    fraction: float = 1.0
    deliveries: int = 0
    series: dict[tuple[str, str, str], dict[int, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float))
    )
    operations: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    unscaled: set[tuple[str, str, str]] = field(default_factory=set)

    def add(
        self, second: int, target: str, kind: str, key: str, units: float, scaled: bool = True
    ) -> None:
        """`kind`: "W" or "R"; `target`: the table, or table/index; `scaled`: False for a
        scheduled run's calls, which a sampled run makes as often as the whole burst."""
        self.series[(target, kind, key)][second] += units
        self.operations[(target, kind, key)] += 1
        if not scaled:
            self.unscaled.add((target, kind, key))

    def shared_patterns(self) -> set[tuple[str, str]]:
        """(target, masked key) of the shared keys of a sampled run (none in a full one)."""
        if self.fraction >= 1:
            return set()
        keys: dict[tuple[str, str], set[str]] = defaultdict(set)
        for target, _, key in self.series:
            keys[(target, mask(key))].add(key)
        limit = max(2.0, SHARED_BELOW_SHARE * self.deliveries)
        return {pattern for pattern, found in keys.items() if len(found) < limit}

    def peaks(self) -> dict[tuple[str, str, str], float]:
        shared = self.shared_patterns()
        touched: dict[tuple[str, str], int] = defaultdict(int)
        for (target, _, key), count in self.operations.items():
            touched[(target, key)] += count
        found = {}
        for (target, kind, key), by_second in self.series.items():
            many = touched[(target, key)] > SHARED_MIN_OPERATIONS
            unscaled = (target, kind, key) in self.unscaled
            if many and not unscaled and (target, mask(key)) in shared:
                peak = moving_peak(by_second, SAMPLED_WINDOW_S) / self.fraction
            else:
                peak = max(by_second.values())
            found[(target, kind, key)] = peak
        return found

    def peak(self, kind: str, index: bool | None = None) -> float:
        """The busiest partition-second of `kind` (index None: table and indexes; True:
        the indexes only; False: the tables only)."""
        found = [
            units
            for (target, k, _), units in self.peaks().items()
            if k == kind and (index is None or ("/" in target) == index)
        ]
        return round(max(found, default=0.0), 1)

    def hottest(self, count: int = 8) -> list[dict[str, Any]]:
        """The hottest key patterns (ids masked), each at its busiest key's busiest second."""
        patterns: dict[tuple[str, str, str], list[float]] = {}
        for (target, kind, key), units in self.peaks().items():
            entry = patterns.setdefault((target, kind, mask(key)), [0.0, 0])
            entry[0] = max(entry[0], units)
            entry[1] += 1
        ranked = sorted(patterns.items(), key=lambda row: -row[1][0] / _limit(row[0][1]))
        return [
            {
                "target": target,
                "kind": "write" if kind == "W" else "read",
                "key": pattern,
                "peak_units_per_s": round(peak, 1),
                "share_of_partition_limit": round(peak / _limit(kind), 3),
                "keys": int(keys),
            }
            for (target, kind, pattern), (peak, keys) in ranked[:count]
        ]


def moving_peak(by_second: dict[int, float], window: int) -> float:
    """The highest mean over `window` consecutive seconds (fewer where the run is shorter)."""
    if not by_second:
        return 0.0
    first, last = min(by_second), max(by_second)
    values = [by_second.get(second, 0.0) for second in range(first, last + 1)]
    width = min(window, len(values))
    total = sum(values[:width])
    best = total
    for end in range(width, len(values)):
        total += values[end] - values[end - width]
        best = max(best, total)
    return best / width


def _limit(kind: str) -> int:
    return PARTITION_WCU if kind == "W" else PARTITION_RCU


class TokenBucket:
    """API Gateway's throttling: a bucket of `burst` tokens refilled at `rate` a second,
    a request taking one or refused with 429:
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html"""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._at = 0.0

    def take(self, at: float) -> bool:
        self._tokens = min(self.burst, self._tokens + (at - self._at) * self.rate)
        self._at = at
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False
