"""What AWS bills for a case by the path it takes, per 1,000 cases: the cost meter's
measured figures (`make bench`, workflow_cost step, 2026-12-07, README "Performance and
cost": every request, unit, transition, email, log byte and the storage over the
retention counted on the local stack's real handlers and state machine)."""

from __future__ import annotations

# USD per 1,000 cases of each path (bench/results.json `summary`, 2026-12-07).
PATH_COST_PER_1000 = {
    "autonomous": 0.0993,  # closed by the social team (spam too)
    "derived": 0.4698,  # a department answered in time
    "escalated": 0.6841,  # answered after its supervisor was asked (one timeout)
    "breached": 0.8249,  # the main contact was asked, or the case closed breached
}


def path_of(derived: bool, late_levels: int | None) -> str:
    if not derived:
        return "autonomous"
    levels = late_levels or 0
    if levels == 0:
        return "derived"
    return "escalated" if levels == 1 else "breached"
