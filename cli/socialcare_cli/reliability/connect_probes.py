"""`socialcare connect` against platforms that fail (500, 429, or a timeout after acting),
and the doctor's platform checks after it. Every run ends with exit 0 or one line naming
the platform's refusal, never a Python error; once the platforms answer again one run
completes and the next says "already" for everything: one webhook, one subscription, no
duplicate registration left by a call that acted but never answered. The checks then all
pass, and they write nothing: no call they make registers, subscribes or sends."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from socialcare_cli.local.stack import LocalStack

PLATFORMS = ("telegram", "meta", "x")
_CRASH = re.compile(r"^socialcare connect: [A-Z]\w*(Error|Exception): ")
# What a read-only check may call with POST: Telegram's methods take POST, X's bearer
# comes from POST /oauth2/token (client credentials, nothing written).
_READ_ONLY_POSTS = ("/bot<token>/getMe", "/bot<token>/getWebhookInfo", "/oauth2/token")


def connect_probes(stack: LocalStack, api: str, rounds: int) -> dict[str, Any]:
    platforms = stack.platforms
    platforms.registrations.reset()
    platforms.set_faults({"rate": 0.3, "kinds": ["500", "429", "timeout"], "seed": 29})
    exits: dict[str, int] = {}
    crashes: list[str] = []
    refusals: set[str] = set()
    try:
        for _ in range(rounds):
            for platform in PLATFORMS:
                code, _, said = _connect(platform, api)
                exits[str(code)] = exits.get(str(code), 0) + 1
                crashes += [line for line in said if _CRASH.match(line) or len(said) > 1]
                refusals.update(line[:120] for line in said)
    finally:
        platforms.set_faults({"rate": 0})
    settled = [_connect(p, api)[0] for p in PLATFORMS]
    again = [line for p in PLATFORMS for line in _connect(p, api)[1]]
    registrations = platforms.registrations
    held = {
        "x_webhooks": len(registrations.x.webhooks),
        "x_subscriptions": sum(len(u) for u in registrations.x.subscriptions.values()),
        "telegram_url": registrations.telegram.webhook["url"] == f"{api}/webhooks/telegram",
        "meta_subscribed": sorted(registrations.subscribed),
    }
    from socialcare_cli.doctor.platform_checks import platform_checks
    from socialcare_cli.stack_target import resolve_stack

    before = len(platforms.calls_made())
    checks = platform_checks(resolve_stack("local", api))
    written = [
        f"{c['method']} {c['path']}"
        for c in platforms.calls_made()[before:]
        if c["method"] != "GET" and c["path"] not in _READ_ONLY_POSTS
    ]
    failed = [f"{c.name}: {c.detail}" for c in checks if not c.ok]
    found = {
        "exits_under_faults": exits,
        "crashes": crashes[:5],
        "refusals_seen": sorted(refusals)[:8],
        "settled_exits": settled,
        # Instagram's line says where its fields are chosen: nothing to do, nothing done.
        "second_run_not_already": [
            line for line in again if "already" not in line and not line.startswith("instagram:")
        ],
        "held": held,
        "checks_failed": failed,
        "checks_wrote": written,
    }
    ok = (
        not crashes
        and settled == [0, 0, 0]
        and again
        and not found["second_run_not_already"]
        and held["x_webhooks"] == 1
        and held["x_subscriptions"] == 1
        and held["telegram_url"]
        and len(held["meta_subscribed"]) == 2
        and not failed
        and not written
    )
    sent = {"connect_runs_under_faults": rounds * len(PLATFORMS), "fault_rate": 0.3}
    return {"sent": sent, "found": found, "ok": bool(ok)}


def _connect(platform: str, api: str) -> tuple[int, list[str], list[str]]:
    """Exit code, stdout lines, and the command's own stderr lines (not the local HTTP
    server's request log, which goes to the same stream)."""
    from socialcare_cli.command_line import guarded, parse
    from socialcare_cli.connect import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = guarded(parse(["connect", platform, "--local", api]), main)
    own = [line for line in err.getvalue().splitlines() if line.startswith("socialcare ")]
    return code, out.getvalue().splitlines(), own
