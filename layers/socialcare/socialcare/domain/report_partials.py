"""A day's KPI aggregate as a mergeable partial: counters add, histograms add bin by bin
(the bins are fixed and log-spaced), so a week or a month is the sum of its days' partials
and its cost does not grow with the number of cases. A partial is what the day's cases
were when it was computed (the daily run, the morning after)."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from typing import Any

from socialcare.domain.histograms import Histogram
from socialcare.domain.reporting import TIMES, Breached, GroupStats, KpiAggregator

# 2: satisfaction, problems solved, late resolutions, breached ids; 3: how long each
# breached case was past its deadline (the order they are named in)
PARTIAL_VERSION = 3
_COUNTERS = tuple(
    f.name for f in fields(GroupStats) if f.name not in ("business", "calendar", "department_hours")
)


def histogram_state(histogram: Histogram) -> dict[str, Any]:
    return {
        "bins": {str(k): v for k, v in histogram.bins.items()},
        "count": histogram.count,
        "total": histogram.total,
    }


def merge_histogram(histogram: Histogram, state: dict[str, Any]) -> None:
    histogram.bins.update({int(k): int(v) for k, v in state["bins"].items()})
    histogram.count += int(state["count"])
    histogram.total += float(state["total"])


def group_state(stats: GroupStats) -> dict[str, Any]:
    return {
        **{name: getattr(stats, name) for name in _COUNTERS},
        "business": {t: histogram_state(stats.business[t]) for t in TIMES},
        "calendar": {t: histogram_state(stats.calendar[t]) for t in TIMES},
        "department_hours": dict(stats.department_hours),
    }


def merge_group(stats: GroupStats, state: dict[str, Any]) -> None:
    for name in _COUNTERS:
        setattr(stats, name, getattr(stats, name) + int(state[name]))
    for kind in ("business", "calendar"):
        for name in TIMES:
            merge_histogram(getattr(stats, kind)[name], state[kind][name])
    stats.department_hours.update({k: float(v) for k, v in state["department_hours"].items()})


def partial_of(aggregator: KpiAggregator, day: str, *, complete: bool) -> dict[str, Any]:
    """The day's aggregate, as JSON-ready state; `complete`: the day was over when it was
    computed (a day still running is computed again next time)."""
    return {
        "version": PARTIAL_VERSION,
        "day": day,
        "complete": complete,
        "overall": group_state(aggregator.overall),
        "groups": {
            split: {key: group_state(stats) for key, stats in groups.items()}
            for split, groups in aggregator.groups.items()
        },
        "volume_by_day": dict(aggregator.volume_by_day),
        "complaint_topics": dict(aggregator.complaint_topics),
        "statuses": dict(aggregator.statuses),
        "breached_cases": [
            [case.case_id, case.department, list(case.past_deadline or ()) or None]
            for case in aggregator.breached_cases
        ],
    }


class PartialInvalid(ValueError):
    """A stored partial this version cannot merge: it is computed again."""


def merge_partial(aggregator: KpiAggregator, partial: dict[str, Any]) -> None:
    if partial.get("version") != PARTIAL_VERSION:
        raise PartialInvalid(f"partial version {partial.get('version')!r}")
    if partial.get("complete") is not True:
        raise PartialInvalid(f"the partial of {partial.get('day')} was taken before its end")
    merge_group(aggregator.overall, partial["overall"])
    for split, groups in partial["groups"].items():
        mine = aggregator.groups.setdefault(split, {})
        for key, state in groups.items():
            stats = mine.get(key)
            if stats is None:
                stats = mine[key] = GroupStats()
            merge_group(stats, state)
    aggregator.volume_by_day.update(Counter(partial["volume_by_day"]))
    aggregator.complaint_topics.update(Counter(partial["complaint_topics"]))
    aggregator.statuses.update(Counter(partial["statuses"]))
    aggregator.note_breached(
        Breached(str(case_id), str(department), _hours(past))
        for case_id, department, past in partial["breached_cases"]
    )


def _hours(past: Any) -> tuple[float, float] | None:
    return (float(past[0]), float(past[1])) if past else None
