"""`make demo`'s last step but the report: a protocol change rehearsed on the day's cases
before it goes live (`socialcare protocol diff` on the demo's stack). The proposal: the
app and website incidents move from web and IT support to customer service."""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.protocol_cli import print_summary, rehearse_on, write
from socialcare_cli.stack_target import StackTarget

MOVED_RULE = (
    "  - department: web_it\n    categories: [incident]\n",
    "  - department: customer_service\n    categories: [incident]\n",
)


def proposal(output: Path) -> Path:
    """A copy of the configuration with the app and web incidents' rule moved."""
    from socialcare.config.files import CONFIG_DIR

    folder = output / "proposed-config"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(CONFIG_DIR, folder, ignore=shutil.ignore_patterns("profiles"))
    routing = folder / "routing.yaml"
    text = routing.read_text(encoding="utf-8")
    if MOVED_RULE[0] not in text:
        raise RuntimeError("routing.yaml has no web_it incidents rule to move")
    routing.write_text(text.replace(*MOVED_RULE), encoding="utf-8")
    return folder


def rehearse_the_day(stack: LocalStack, base_url: str, output: Path) -> None:
    from socialcare.presentation.rehearsal_files import rehearsal_html, rehearsal_json

    folder = proposal(output)
    print(f"  socialcare protocol diff --config-dir {folder.name} --local {base_url}")
    target = StackTarget(stack.stack_outputs(), stack.endpoint_url, time_scale=stack.time_scale)
    today = datetime.now(UTC).date()
    rehearsal, frame = rehearse_on(target, folder, today, today)
    print_summary(rehearsal, frame, sys.stdout)
    from socialcare.config.loaders import routing_config

    write(output / "protocol-diff.json", rehearsal_json(rehearsal, frame))
    write(
        output / "protocol-diff.html",
        rehearsal_html(rehearsal, frame, "en", routing_config(folder)),
    )
    print(f"  changed cases listed in {output / 'protocol-diff.html'}")
