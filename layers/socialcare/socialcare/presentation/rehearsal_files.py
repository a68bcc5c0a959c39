"""A protocol rehearsal's files: JSON (counts by kind and examples), CSV (one row per
changed case) and an HTML page in the KPI report's style, in Spanish or English. Each is
a function of the rehearsal alone: the same cases and configuration give the same bytes."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from socialcare.app.protocol_rehearsal import Rehearsal
from socialcare.domain.rehearsal import CHANGE_KINDS, CaseChange, Course
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.formatting import Formats
from socialcare.presentation.labels import Labels
from socialcare.presentation.rendering import render, strings


@dataclass(frozen=True)
class RehearsalFrame:
    """What the rehearsal was run on, as its files name it."""

    first_day: date
    last_day: date
    config_dir: str
    time_scale: float = 1.0

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def rehearsal_document(rehearsal: Rehearsal, frame: RehearsalFrame) -> dict[str, Any]:
    tally = rehearsal.tally
    read = tally.cases_read
    cost = {side: round(total / read, 4) if read else 0.0 for side, total in rehearsal.cost.items()}
    return {
        "period": {
            "from": frame.first_day.isoformat(),
            "to": frame.last_day.isoformat(),
            "days": frame.days,
        },
        "config_dir": frame.config_dir,
        "time_scale": frame.time_scale,
        "cases_read": read,
        "cases_changed": len(rehearsal.changes),
        "cases_retriaged": rehearsal.retriaged,
        "changes": {kind: tally.counts[kind] for kind in CHANGE_KINDS},
        "moves": [
            {"from": source, "to": target, "cases": count}
            for (source, target), count in sorted(tally.moves.items())
        ],
        "automatic_actions": {
            side: dict(sorted(steps.items())) for side, steps in tally.automatic.items()
        },
        "deadlines": {
            "would_be_late": tally.would_be_late,
            "would_be_on_time": tally.would_be_on_time,
            "escalation_emails": dict(tally.escalation_emails),
        },
        "department_emails": _department_emails(rehearsal, frame.days),
        "cost_per_1000_cases_usd": {**cost, "difference": round(cost["after"] - cost["before"], 4)},
        "examples": {
            kind: [_example(change) for change in rehearsal.examples(kind)] for kind in CHANGE_KINDS
        },
    }


def rehearsal_json(rehearsal: Rehearsal, frame: RehearsalFrame) -> str:
    return json.dumps(rehearsal_document(rehearsal, frame), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    *("case_id", "created_at", "changes", "department_before", "department_after"),
    *("priority_before", "priority_after", "urgent_before", "urgent_after"),
    *("authority_before", "authority_after", "needs_review_before", "needs_review_after"),
    *("automatic_before", "automatic_after", "late_levels_before", "late_levels_after"),
    *("approvals_before", "approvals_after"),
)


def rehearsal_csv(rehearsal: Rehearsal) -> str:
    """One row per changed case; a department column says `social_team` for a case the
    social team closes, a list is `;`-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for change in rehearsal.changes:
        before, after = _row_values(change.before), _row_values(change.after)
        paired = [value for pair in zip(before, after, strict=True) for value in pair]
        writer.writerow([change.case_id, change.created_at, ";".join(change.kinds), *paired])
    return out.getvalue()


def rehearsal_html(
    rehearsal: Rehearsal, frame: RehearsalFrame, language: str, routing: RoutingConfig
) -> str:
    t = strings(language)["rehearsal"]
    document = rehearsal_document(rehearsal, frame)
    labels = Labels(language, routing)
    tally = rehearsal.tally
    page = {
        "company": routing.company,
        "first_day": frame.first_day,
        "last_day": frame.last_day,
        "config_dir": frame.config_dir,
        "cases_read": tally.cases_read,
        "changed": len(rehearsal.changes),
        "counts": list(document["changes"].items()),
        "moves": document["moves"],
        "added": list(document["automatic_actions"]["added"].items()),
        "removed": list(document["automatic_actions"]["removed"].items()),
        "would_be_late": tally.would_be_late,
        "would_be_on_time": tally.would_be_on_time,
        "escalations": tally.escalation_emails,
        "emails": document["department_emails"],
        "cost": document["cost_per_1000_cases_usd"],
        "cases": [
            {
                "case_id": change.case_id,
                "created_at": change.created_at,
                "lines": _lines(change, t, labels),
            }
            for change in rehearsal.changes
        ],
    }
    return render("rehearsal.html", r=page, t=t, F=Formats(language), L=labels, language=language)


def _department_emails(rehearsal: Rehearsal, days: int) -> list[dict[str, Any]]:
    return [
        {
            "department": department,
            "before": before,
            "after": after,
            "per_day_before": round(before / days, 2),
            "per_day_after": round(after / days, 2),
        }
        for department, (before, after) in sorted(rehearsal.emails.items())
    ]


def _course(course: Course) -> dict[str, Any]:
    return {
        "department": course.holder,
        "priority": course.priority,
        "urgent": course.urgent,
        "authority": course.authority,
        "needs_review": course.needs_review,
        "automatic_actions": list(course.automatic),
        "late_levels": course.late_levels,
        "approvals": list(course.approvals),
    }


def _example(change: CaseChange) -> dict[str, Any]:
    return {
        "case_id": change.case_id,
        "created_at": change.created_at,
        "changes": list(change.kinds),
        "before": _course(change.before),
        "after": _course(change.after),
    }


def _row_values(course: Course) -> list[Any]:
    late = "" if course.late_levels is None else course.late_levels
    return [
        *(course.holder, course.priority or "", _yes(course.urgent), _yes(course.authority)),
        *(_yes(course.needs_review), ";".join(course.automatic), late, ";".join(course.approvals)),
    ]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _lines(change: CaseChange, t: dict[str, Any], labels: Labels) -> list[str]:
    """What changes, one line per kind: `Department: Claims → Legal`."""
    before, after = change.before, change.after
    steps = t["steps"]

    def words(kind: str, course: Course) -> str:
        if kind in ("department", "autonomy"):
            return labels.of("department", course.holder)
        if kind == "automatic_actions":
            return ", ".join(steps[step] for step in course.automatic) or "–"  # noqa: RUF001
        value = {
            "priority": course.priority,
            "urgent": "✓" if course.urgent else "–",  # noqa: RUF001
            "authority": "✓" if course.authority else "–",  # noqa: RUF001
            "needs_review": "✓" if course.needs_review else "–",  # noqa: RUF001
            "deadline": str(course.late_levels),
            "approvals": ", ".join(t["approval_rules"].get(k, k) for k in course.approvals) or "–",  # noqa: RUF001
        }[kind]
        return str(value)

    return [
        f"{t['kinds'][kind]}: {words(kind, before)} → {words(kind, after)}" for kind in change.kinds
    ]
