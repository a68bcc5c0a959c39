"""`socialcare doctor`: each group of checks run against a stack, one line per check,
then exit 0, or 1 with a last line naming what is missing. Read-only: nothing is sent to
customers or by email, nothing in the stack changes.

A group is a function `(StackTarget) -> list[Check]`; CHECK_GROUPS lists them in the
order they print. AWS refusing a call (AccessDenied, a throttle) fails that group's line
and the others still run; AWS not reachable at all (no credentials, no network) stops
the command with one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TextIO

from socialcare_cli.doctor.alarm_checks import alarm_checks
from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.platform_checks import platform_checks
from socialcare_cli.doctor.schedule_checks import schedule_checks
from socialcare_cli.doctor.secret_checks import outbound_checks, secret_checks
from socialcare_cli.doctor.ses_checks import ses_checks
from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import StackTarget, resolve_stack

CheckGroup = Callable[[StackTarget], list[Check]]

CHECK_GROUPS: list[CheckGroup] = [
    ses_checks,
    secret_checks,
    outbound_checks,
    alarm_checks,
    schedule_checks,
    platform_checks,
]


def line(check: Check) -> str:
    if check.ok:
        return f"ok   {check.name} ({check.detail})" if check.detail else f"ok   {check.name}"
    return f"FAIL {check.name}: {check.detail}"


def run_checks(target: StackTarget, groups: list[CheckGroup], out: TextIO) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    missing = []
    total = 0
    for group in groups:
        try:
            checks = group(target)
        except ClientError as error:
            checks = [Check(_group_name(group), False, f"AWS refused: {_one_line(error)}")]
        except CommandFailed as error:
            checks = [Check(_group_name(group), False, str(error))]
        except BotoCoreError as error:
            raise CommandFailed(f"cannot reach AWS: {_one_line(error)}") from None
        for check in checks:
            total += 1
            print(line(check), file=out, flush=True)
            if not check.ok:
                missing.append(check.name)
    if missing:
        print(f"missing: {'; '.join(missing)}", file=out)
        return 1
    print(f"all {total} checks passed", file=out)
    return 0


def _group_name(group: CheckGroup) -> str:
    return group.__name__.removesuffix("_checks").replace("_", " ")


def _one_line(error: Exception) -> str:
    """An error's message on one line, cut short (a proxy may answer a whole page)."""
    text = re.sub(r"\s+", " ", str(error)).strip()
    return text if len(text) <= 240 else f"{text[:240]}..."


def main(arguments: Any, out: TextIO) -> int:
    target = resolve_stack(arguments.stack_name, arguments.local)
    return run_checks(target, CHECK_GROUPS, out)
