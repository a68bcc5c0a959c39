"""The cold-start step of `make bench` alone (a few minutes, not twenty), for measuring a
change to an import path: `python -m socialcare_cli.bench.cold_start_only
--lambda-python .venv-lambda/bin/python [--runs 20] [--function WebhookFunction ...]
[-o results.json]`. Prints the same rows `socialcare bench` prints."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from socialcare_cli.bench import cold_start
    from socialcare_cli.local.stack import project_root

    parser = argparse.ArgumentParser(prog="cold_start_only", description=__doc__)
    parser.add_argument("--lambda-python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=cold_start.SAMPLES)
    parser.add_argument("--function", action="append", choices=sorted(cold_start.CLIENTS))
    parser.add_argument("-o", "--output", type=Path)
    arguments = parser.parse_args(argv)
    root = project_root()
    bin_dir = Path(sys.executable).parent
    artifact = cold_start.build(root, str(bin_dir / "sam"), str(bin_dir))
    functions = tuple(arguments.function or cold_start.CLIENTS)
    rows = cold_start.measure(arguments.lambda_python, root, artifact, arguments.runs, functions)
    print(cold_start.table(rows))
    if arguments.output:
        arguments.output.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
