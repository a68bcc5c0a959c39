"""`socialcare`: the command line for developers and ops (its arguments: command_line.py;
what each command runs: commands.py)."""

from __future__ import annotations

import sys

from socialcare_cli.command_line import guarded, parse
from socialcare_cli.commands import run


def main(argv: list[str] | None = None) -> int:
    return guarded(parse(argv), run)


if __name__ == "__main__":
    sys.exit(main())
