"""The command line's argument types: each bad value is one line naming what is wrong
(argparse prints it, exit 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from socialcare_cli.reliability_scenarios import SCENARIOS


class OneLineParser(argparse.ArgumentParser):
    """A mistake in the arguments is one line (and exit 2); --help shows the usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (--help for usage)\n")


def day(value: str) -> str:
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {value!r}")


def positive(kind: Callable[[str], float]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not number > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {value!r}")
        return number

    return parse


def port(value: str) -> int:
    port = positive(int)(value)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"not a port: {value!r}")
    return port


def api_url(platform: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        from socialcare_cli.local.platform_apis import platform_api_url

        try:
            return platform_api_url(platform, value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def existing(kind: str) -> Callable[[str], Path]:
    def parse(value: str) -> Path:
        path = Path(value)
        if not (path.is_dir() if kind == "folder" else path.is_file()):
            raise argparse.ArgumentTypeError(f"no such {kind}: {value}")
        return path

    return parse


def scenario_names(value: str) -> frozenset[str]:
    """`--only load,faults`: reliability scenarios, each one the runner knows."""
    names = frozenset(n.strip() for n in value.split(",") if n.strip())
    unknown = sorted(names - set(SCENARIOS))
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown scenario {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(SCENARIOS)}"
        )
    return names
