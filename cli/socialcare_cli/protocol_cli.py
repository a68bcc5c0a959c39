"""`socialcare protocol diff --config-dir DIR [--from DAY] [--to DAY] [--local URL |
--stack-name S] [-o FILE.json|FILE.html|FILE.csv]`: the stack's stored cases of the period
re-run through the proposed configuration (triage with its model file, routing,
priorities, deadlines on its calendars, automatic actions, surveys, approvals) and
compared with what the current one did. Reads only; a summary on stdout, a file with -o.
`socialcare config check --against-last DAYS` runs the same after its static checks."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import StackTarget, resolve_stack

if TYPE_CHECKING:
    from socialcare.app.protocol_rehearsal import Rehearsal
    from socialcare.presentation.rehearsal_files import RehearsalFrame

DEFAULT_DAYS = 30
OUTPUTS = (".json", ".html", ".csv")


def main(arguments: Any, stack: StackTarget | None = None, out: TextIO | None = None) -> int:
    """`protocol diff`: `stack` given by tests (a store whose writes fail, say)."""
    out = out or sys.stdout
    directory = checked_directory(arguments.config_dir)
    first, last = period(arguments.since, arguments.until)
    output = arguments.output
    if output is not None and output.suffix.lower() not in OUTPUTS:
        raise CommandFailed(f"-o {output}: the file must end in .json, .html or .csv")
    stack = stack or resolve_stack(arguments.stack_name, arguments.local)
    rehearsal, frame = rehearse_on(stack, directory, first, last, retriage=arguments.retriage)
    print_summary(rehearsal, frame, out)
    if output is not None:
        language = arguments.language
        write(output, render(rehearsal, frame, output.suffix.lower(), language, directory))
        print(f"written to {output}", file=out)
    return 0


def against_last(arguments: Any, directory: Path, out: TextIO | None = None) -> None:
    """`config check --against-last DAYS`, once the static checks passed."""
    out = out or sys.stdout
    today = datetime.now(UTC).date()
    first = today - timedelta(days=arguments.against_last - 1)
    stack = resolve_stack(arguments.stack_name, arguments.local)
    rehearsal, frame = rehearse_on(stack, directory, first, today)
    print_summary(rehearsal, frame, out)


def checked_directory(directory: Path) -> Path:
    """A folder whose files pass `config check`: a broken configuration is not rehearsed."""
    from socialcare.config.check import check

    if not directory.is_dir():
        what = "not a folder" if directory.exists() else "no such folder"
        raise CommandFailed(f"{what}: {directory}")
    report = check(directory)
    if report.problems:
        first = report.problems[0]
        more = f" (and {len(report.problems) - 1} more: socialcare config check)"
        raise CommandFailed(f"{directory}: {first}{more if len(report.problems) > 1 else ''}")
    return directory.resolve()


def period(since: str | None, until: str | None) -> tuple[date, date]:
    """UTC days, both included; --to defaults to today, --from to 29 days before --to."""
    last = date.fromisoformat(until) if until else datetime.now(UTC).date()
    first = date.fromisoformat(since) if since else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise CommandFailed(f"--from {first} is after --to {last}")
    return first, last


def rehearse_on(
    stack: StackTarget, directory: Path, first: date, last: date, *, retriage: bool = False
) -> tuple[Rehearsal, RehearsalFrame]:
    from socialcare.app.protocol_rehearsal import Protocol, rehearse
    from socialcare.bootstrap.operations import past_cases
    from socialcare.config.files import CONFIG_DIR
    from socialcare.presentation.rehearsal_files import RehearsalFrame

    current, proposed = Protocol.read(CONFIG_DIR), Protocol.read(directory)
    cases = past_cases(stack.root()).past_cases(first, last)
    rehearsal = rehearse(cases, current, proposed, stack.time_scale, retriage=retriage)
    return rehearsal, RehearsalFrame(first, last, str(directory), stack.time_scale)


def render(
    rehearsal: Rehearsal, frame: RehearsalFrame, suffix: str, language: str | None, directory: Path
) -> str:
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.rehearsal_files import (
        rehearsal_csv,
        rehearsal_html,
        rehearsal_json,
    )

    if suffix == ".json":
        return rehearsal_json(rehearsal, frame)
    if suffix == ".csv":
        return rehearsal_csv(rehearsal)
    routing = routing_config(directory)
    return rehearsal_html(rehearsal, frame, language or routing.reports.language, routing)


def write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandFailed(f"cannot write {path}: {error.strerror}") from None


def print_summary(rehearsal: Rehearsal, frame: RehearsalFrame, out: TextIO) -> None:
    from socialcare.presentation.rehearsal_files import rehearsal_document

    document = rehearsal_document(rehearsal, frame)
    period = document["period"]
    print(
        f"{document['cases_read']} cases read ({period['from']} to {period['to']}, UTC); "
        f"{document['cases_changed']} would change ({document['cases_retriaged']} read again "
        "by triage)",
        file=out,
    )
    for kind, count in document["changes"].items():
        print(f"  {kind:<18} {count}", file=out)
    for move in document["moves"]:
        print(f"  moves: {move['from']} -> {move['to']}: {move['cases']}", file=out)
    automatic = document["automatic_actions"]
    for side, sign in (("added", "+"), ("removed", "-")):
        for step, count in automatic[side].items():
            print(f"  automatic actions: {sign}{step} on {count} case(s)", file=out)
    deadlines = document["deadlines"]
    escalations = deadlines["escalation_emails"]
    print(
        f"  deadlines: {deadlines['would_be_late']} answer(s) would be late, "
        f"{deadlines['would_be_on_time']} on time; escalation emails "
        f"{escalations['before']} -> {escalations['after']}",
        file=out,
    )
    for row in document["department_emails"]:
        if row["before"] != row["after"]:
            print(
                f"  emails a day, {row['department']}: "
                f"{row['per_day_before']} -> {row['per_day_after']}",
                file=out,
            )
    cost = document["cost_per_1000_cases_usd"]
    print(
        f"  AWS cost per 1,000 cases: ${cost['before']:.4f} -> ${cost['after']:.4f} "
        f"({cost['difference']:+.4f})",
        file=out,
    )
