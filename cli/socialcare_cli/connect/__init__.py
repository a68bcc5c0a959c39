"""`socialcare connect meta|x|telegram`: register the stack's webhook with a platform
exactly as it needs, idempotently, one line per action ("already ..." when nothing had to
change). A failure is one line naming what to fix, exit 1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcare_cli.platform_access import PlatformAccess
from socialcare_cli.stack_target import resolve_stack

Say = Callable[[str], None]
PLATFORMS = ("telegram", "meta", "x")


def main(arguments: Any) -> int:
    return connect(arguments.platform, arguments.stack_name, arguments.local)


def connect(platform: str, stack_name: str, local_url: str | None, say: Say = print) -> int:
    from socialcare_cli.connect import meta, telegram, x

    access = PlatformAccess.of(resolve_stack(stack_name, local_url))
    connectors: dict[str, Callable[[PlatformAccess, Say], Any]] = {
        "meta": meta.connect,
        "x": x.connect,
        "telegram": telegram.connect,
    }
    connectors[platform](access, say)
    return 0


def connect_local(local_url: str, platforms: tuple[str, ...], say: Say = print) -> list[str]:
    """`socialcare local` registers its own webhooks with the built-in emulator, as ops do
    once in a real account (README, Deploying), so a fresh local stack is a set-up one.
    What could not be connected is said and named; the stack still serves."""
    from socialcare_cli.errors import CommandFailed

    missing = []
    for platform in platforms:
        try:
            connect(platform, "", local_url, say)
        except CommandFailed as error:
            say(f"{platform}: not connected: {error}")
            missing.append(platform)
    return missing
