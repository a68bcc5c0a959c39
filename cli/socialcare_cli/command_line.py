"""The `socialcare` command line: its arguments, and how a command's failure reads (one
line, never a traceback). main.py runs the command named; the reliability scenarios run
one command through here as an operator would type it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from socialcare_cli.arguments import (
    OneLineParser,
    api_url,
    day,
    existing,
    port,
    positive,
    scenario_names,
)
from socialcare_cli.errors import CommandFailed


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return _parser().parse_args(argv)


def guarded(arguments: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    """`run(arguments)`'s exit code; a failure is one line on stderr naming the command."""
    subcommand = getattr(arguments, f"{arguments.command}_command", None)
    name = f"{arguments.command} {subcommand}" if subcommand else arguments.command
    try:
        return run(arguments)
    except KeyboardInterrupt:
        return 130
    except CommandFailed as failure:
        print(f"socialcare {name}: {failure}", file=sys.stderr)
        return 1
    except Exception as error:  # one line, never a traceback (SOCIALCARE_DEBUG=1 for it)
        if os.environ.get("SOCIALCARE_DEBUG"):
            raise
        print(f"socialcare {name}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _parser() -> OneLineParser:
    parser = OneLineParser(
        prog="socialcare", description="`socialcare`: the command line for developers and ops."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    local = commands.add_parser("local", help="run the local stack (real handlers, emulated AWS)")
    local.add_argument("--port", type=port, default=3000, help="HTTP API port (default 3000)")
    local.add_argument("--aws-port", type=port, default=4566, help="AWS emulator port (4566)")
    local.add_argument(
        "--time-scale", type=positive(float), default=1.0, help="business time N times faster"
    )
    for platform, api in (("meta", "Graph API"), ("x", "X API"), ("telegram", "Bot API")):
        local.add_argument(
            f"--{platform}-api",
            type=api_url(platform),
            metavar="URL",
            help=f"send the stack's {api} calls to URL instead of the built-in emulator",
        )

    demo = commands.add_parser("demo", help="replay every sample delivery and print the cases")
    demo.add_argument("--events", type=existing("folder"), help="folder of sample events")
    demo.add_argument(
        "--time-scale", type=positive(float), default=30_000, help="business time N times faster"
    )

    events = commands.add_parser("events", help="sample deliveries in events/")
    events_commands = events.add_subparsers(dest="events_command", required=True)
    events_commands.add_parser("sign", help="re-sign every sample with the local secrets")

    triage = commands.add_parser(
        "triage", help="JSONL {text, channel, followers?} on stdin -> triage results on stdout"
    )
    triage.add_argument(
        "--evaluate",
        type=existing("file"),
        help="labelled JSONL: accuracy per field, confusion matrix, flags' precision and recall",
    )
    triage_commands = triage.add_subparsers(dest="triage_command")
    train = triage_commands.add_parser(
        "train", help="fit the category, sentiment and urgency model on labelled JSONL"
    )
    train.add_argument(
        "corpus",
        nargs="*",
        type=Path,
        help="labelled JSONL files or folders of them (default: triage/corpus)",
    )
    train.add_argument(
        "-o",
        "--output",
        type=Path,
        help="model file to write (default: triage_model.json in the packaged config/)",
    )
    train.add_argument(
        "--corrections",
        type=existing("file"),
        action="append",
        default=[],
        help="`socialcare triage corrections` output: each line weighs as several written ones",
    )

    validate = triage_commands.add_parser(
        "cross-validate",
        help="each batch by another writer triaged by a model trained on every other batch",
    )
    validate.add_argument(
        "--by-batch",
        action="store_true",
        required=True,
        help="hold out whole batches (those with a brief in the corpus's briefs/)",
    )
    validate.add_argument(
        "corpus", nargs="?", type=Path, help="labelled JSONL folder (default: triage/corpus)"
    )

    corrections = triage_commands.add_parser(
        "corrections",
        help="the console's triage corrections as labelled JSONL that `triage train` accepts",
    )
    corrections.add_argument("-o", "--output", type=Path, help="file to write (default stdout)")
    _add_stack_target(corrections)

    config = commands.add_parser("config", help="configuration files in config/")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    config_check = config_commands.add_parser(
        "check", help="validate triage, routing, replies and accounts before deploying"
    )
    config_check.add_argument(
        "--config-dir", type=Path, help="a copy to check (default: the one sam build packs)"
    )
    config_check.add_argument(
        "--against-last",
        type=positive(int),
        metavar="DAYS",
        help="then rehearse it on the stack's cases of the last DAYS days (protocol diff)",
    )
    _add_stack_target(config_check)

    _protocol_parser(commands)

    report = commands.add_parser("report", help="KPI reports: run one, download one")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    for name, purpose in (("run", "run a report now"), ("download", "download a report")):
        command = report_commands.add_parser(name, help=purpose)
        command.add_argument("--period", choices=["daily", "weekly", "monthly"], required=True)
        command.add_argument("--date", type=day, help="a day of the period (YYYY-MM-DD)")
        _add_stack_target(command)
        if name == "download":
            command.add_argument("--latest", action="store_true", help="the latest report")
            command.add_argument("-o", "--output", type=Path, required=True, help="folder")

    _privacy_parser(commands)

    customers = commands.add_parser("customers", help="the brand's known customers")
    customers_commands = customers.add_subparsers(dest="customers_command", required=True)
    load = customers_commands.add_parser(
        "load",
        help="write a CSV of known customers into the customers table (README, Deploying)",
    )
    load.add_argument("file", type=existing("file"), help="FILE.csv")
    load.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    _add_stack_target(load)

    from socialcare_cli.users_cli import add_parser as users_parser

    users_parser(commands, _add_stack_target)

    connect = commands.add_parser(
        "connect", help="register the stack's webhook with a platform (idempotent)"
    )
    connect.add_argument("platform", choices=["meta", "x", "telegram"])
    _add_stack_target(connect)

    replay = commands.add_parser(
        "replay",
        help="re-drive the deliveries parked because they could not be recorded, and the "
        "new cases triage gave up on",
    )
    replay.add_argument("--stack-name", default="socialcare", help="deployed stack")
    replay.add_argument(
        "--local", nargs="?", const="http://127.0.0.1:3000", help="the local stack's URL instead"
    )

    doctor = commands.add_parser(
        "doctor", help="what a stack still lacks to answer customers (read-only checks)"
    )
    _add_stack_target(doctor)

    reliability = commands.add_parser(
        "reliability", help="load, faults, forgery, fuzzing, action links, personal data"
    )
    reliability.add_argument(
        "--scale", type=positive(float), default=1.0, help="1 = the full sizes (10,000...)"
    )
    reliability.add_argument(
        "-o", "--output", type=Path, default=Path("reliability/results.json"), help="results"
    )
    reliability.add_argument(
        "--only",
        type=scenario_names,
        help="comma-separated scenarios (default: all); personal_data scans the logs of those run",
    )

    bench = commands.add_parser(
        "bench", help="cold start, warm webhook, cost per case, reports, triage (ratios)"
    )
    bench.add_argument("--scale", type=positive(float), default=1.0, help="1 = full sizes")
    bench.add_argument(
        "--lambda-python",
        help="interpreter with only boto3 and the layer's requirements, for cold starts "
        "(make bench builds .venv-lambda); default: this one",
    )
    bench.add_argument(
        "--report-cases",
        type=positive(int),
        nargs="+",
        default=[100_000, 1_000_000],
        help="sizes of the report runs (memory is compared first to last)",
    )
    bench.add_argument(
        "-o", "--output", type=Path, default=Path("bench/results.json"), help="results"
    )
    bench.add_argument(
        "--only",
        choices=(
            *("cold_start", "warm_webhook", "workflow_cost", "reports", "triage", "text_cost"),
            *("console_inbox", "protocol_diff"),
        ),
        help="run one step; the others' figures are kept from the output file",
    )

    security = commands.add_parser("security", help="the template as AWS enforces it")
    security_commands = security.add_subparsers(dest="security_command", required=True)
    expand = security_commands.add_parser(
        "expand", help="SAM-expanded template and each IAM policy resolved, for the linters"
    )
    expand.add_argument(
        "-o", "--output", type=Path, default=Path(".aws-sam/security"), help="folder"
    )
    return parser


def _add_stack_target(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--stack-name", default="socialcare", help="deployed stack (default socialcare)"
    )
    command.add_argument(
        "--local",
        nargs="?",
        const="http://127.0.0.1:3000",
        help="the local stack's URL instead (default http://127.0.0.1:3000)",
    )


def _protocol_parser(commands: Any) -> None:
    protocol = commands.add_parser("protocol", help="a protocol change before it goes live")
    protocol_commands = protocol.add_subparsers(dest="protocol_command", required=True)
    diff = protocol_commands.add_parser(
        "diff",
        help="rehearse a proposed configuration on the stack's stored cases: what would "
        "have been different (reads only)",
    )
    diff.add_argument(
        "--config-dir", type=Path, required=True, help="the proposed configuration's folder"
    )
    diff.add_argument(
        "--from", dest="since", type=day, help="first day (UTC, YYYY-MM-DD; default 29 before --to)"
    )
    diff.add_argument("--to", dest="until", type=day, help="last day (UTC; default today)")
    diff.add_argument(
        "-o", "--output", type=Path, help="FILE.json, FILE.html or FILE.csv (one per changed case)"
    )
    diff.add_argument(
        "--language", choices=["es", "en"], help="the HTML page's (default: reports')"
    )
    diff.add_argument(
        "--retriage",
        action="store_true",
        help="read every message again (by default only when the triage rules or model differ)",
    )
    _add_stack_target(diff)


def _privacy_parser(commands: Any) -> None:
    privacy = commands.add_parser(
        "privacy", help="a person's data: find it, export it, erase it (GDPR requests)"
    )
    privacy_commands = privacy.add_subparsers(dest="privacy_command", required=True)
    purposes = {
        "find": "count what the stack holds about a person, by kind",
        "export": "write all of it to a JSON file (a subject access request)",
        "erase": "erase all of it (with --yes; without, say what would go)",
    }
    index = privacy_commands.add_parser(
        "index", help="once after upgrading: bring older items into the person index"
    )
    _add_stack_target(index)
    for name, purpose in purposes.items():
        command = privacy_commands.add_parser(name, help=purpose)
        who = command.add_argument_group("who (one identity per pair; repeat for more)")
        who.add_argument(
            "--platform", action="append", help="facebook, instagram, whatsapp, x, telegram"
        )
        who.add_argument("--author", action="append", help="the author id that platform gives them")
        who.add_argument(
            "--customer", action="append", help="the customers table's key, <platform>#<author id>"
        )
        who.add_argument(
            "--handle",
            action="append",
            help="<platform>#<username>: find shows the ids that wrote with it (a username "
            "alone does not say who: export and erase take ids)",
        )
        _add_stack_target(command)
        if name == "export":
            command.add_argument("-o", "--output", type=Path, required=True, help="FILE.json")
        if name == "erase":
            command.add_argument("--yes", action="store_true", help="erase, for real")
