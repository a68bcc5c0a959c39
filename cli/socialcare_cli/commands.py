"""What each `socialcare` command runs, by its name: each imports its module when run,
so a command pays only for its own imports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from socialcare_cli.errors import CommandFailed


def run(arguments: argparse.Namespace) -> int:
    return _COMMANDS[arguments.command](arguments)


def _bench(arguments: argparse.Namespace) -> int:
    from socialcare_cli.bench import run as run_bench

    results = run_bench(
        arguments.output,
        lambda_python=arguments.lambda_python,
        scale=arguments.scale,
        report_sizes=tuple(arguments.report_cases),
        only=arguments.only,
    )
    return 0 if results["ok"] else 1


def _reliability(arguments: argparse.Namespace) -> int:
    from socialcare_cli.reliability import run as run_reliability

    return run_reliability(arguments.scale, arguments.output, sys.stdout, arguments.only)


def _replay(arguments: argparse.Namespace) -> int:
    from socialcare_cli.replay import main as replay_main

    return replay_main(arguments)


def _doctor(arguments: argparse.Namespace) -> int:
    from socialcare_cli.doctor.command import main as doctor_main

    return doctor_main(arguments, sys.stdout)


def _privacy(arguments: argparse.Namespace) -> int:
    from socialcare_cli.privacy_cli import main as privacy_main

    return privacy_main(arguments)


def _users(arguments: argparse.Namespace) -> int:
    from socialcare_cli.users_cli import main as users_main

    return users_main(arguments)


def _customers(arguments: argparse.Namespace) -> int:
    from socialcare_cli.customers_cli import main as customers_main

    return customers_main(arguments)


def _connect(arguments: argparse.Namespace) -> int:
    from socialcare_cli.connect import main as connect_main

    return connect_main(arguments)


def _report(arguments: argparse.Namespace) -> int:
    from socialcare_cli.report_cli import main as report_main

    return report_main(arguments)


def _triage(arguments: argparse.Namespace) -> int:
    from socialcare_cli.triage_cli import evaluate, run_triage

    if arguments.triage_command == "train":
        return _train_triage(arguments.corpus, arguments.output, arguments.corrections)
    if arguments.triage_command == "cross-validate":
        return _cross_validate(arguments.corpus)
    if arguments.triage_command == "corrections":
        from socialcare_cli.triage_corrections import main as corrections_main

        return corrections_main(arguments)
    if arguments.evaluate:
        evaluate(arguments.evaluate)
        return 0
    return run_triage(sys.stdin, sys.stdout, sys.stderr)


def _config(arguments: argparse.Namespace) -> int:
    code = _check_config(arguments.config_dir)
    if code == 0 and arguments.against_last:
        from socialcare.config.files import CONFIG_DIR
        from socialcare_cli.protocol_cli import against_last

        against_last(arguments, (arguments.config_dir or CONFIG_DIR).resolve())
    return code


def _protocol(arguments: argparse.Namespace) -> int:
    from socialcare_cli.protocol_cli import main as protocol_main

    return protocol_main(arguments)


def _local(arguments: argparse.Namespace) -> int:
    from socialcare_cli.local.serve import serve

    chosen = {
        platform: url
        for platform in ("meta", "x", "telegram")
        if (url := getattr(arguments, f"{platform}_api"))
    }
    return serve(arguments.port, arguments.aws_port, arguments.time_scale, chosen)


def _demo(arguments: argparse.Namespace) -> int:
    from socialcare_cli.demo import run_demo

    return run_demo(arguments.events, arguments.time_scale)


def _security(arguments: argparse.Namespace) -> int:
    from socialcare_cli.local.stack import project_root
    from socialcare_cli.security import write

    written = write(project_root(), arguments.output)
    print(f"{len(written) - 1} policies and the expanded template in {arguments.output}")
    return 0


def _train_triage(sources: list[Path], output: Path | None, corrections: list[Path]) -> int:
    from socialcare.config.files import CONFIG_DIR
    from socialcare.config.loaders import triage_config
    from socialcare_cli.local.stack import project_root
    from socialcare_cli.triage_training import corpus_paths, train, write_model

    paths = corpus_paths(sources or [project_root() / "triage" / "corpus"])
    if not paths:
        raise CommandFailed("no labelled JSONL files to train on")
    document = train(paths, corrections, report=sys.stdout)
    target = output or CONFIG_DIR / triage_config().model.file
    write_model(document, target)
    print(f"trained on {document['trained_on']['messages']} messages -> {target}")
    return 0


def _cross_validate(corpus: Path | None) -> int:
    from socialcare_cli.local.stack import project_root
    from socialcare_cli.triage_batch_cv import cross_validate

    folder = corpus or project_root() / "triage" / "corpus"
    if not folder.is_dir():
        raise CommandFailed(f"{folder}: no such folder")
    cross_validate(folder)
    return 0


def _check_config(directory: Path | None) -> int:
    from socialcare.config.check import check
    from socialcare.config.files import CONFIG_DIR

    directory = directory or CONFIG_DIR
    if not directory.is_dir():
        raise CommandFailed(f"no such folder: {directory}")
    report = check(directory)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.problems:
        print(f"{len(report.problems)} problem(s) in {directory}")
        return 1
    print(f"configuration OK ({len(report.warnings)} warning(s))")
    return 0


def _sign_events(_arguments: argparse.Namespace) -> int:
    """`socialcare events sign` (its only subcommand)."""
    from socialcare_cli.local.stack import local_secrets, project_root
    from socialcare_cli.samples import resign

    changed = [
        p.name
        for p in sorted((project_root() / "events").glob("*.json"))
        if resign(p, local_secrets())
    ]
    print(f"re-signed {len(changed)} sample(s): {', '.join(changed) or '-'}")
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "bench": _bench,
    "reliability": _reliability,
    "replay": _replay,
    "doctor": _doctor,
    "privacy": _privacy,
    "customers": _customers,
    "users": _users,
    "connect": _connect,
    "report": _report,
    "triage": _triage,
    "config": _config,
    "protocol": _protocol,
    "local": _local,
    "demo": _demo,
    "security": _security,
    "events": _sign_events,
}
