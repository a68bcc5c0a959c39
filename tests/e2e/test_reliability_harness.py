"""`make reliability` at its smallest: every scenario runs, says what it sent and found,
and passes; the full sizes run outside `make test`. The scenarios run in two processes
(`--only`), each with its own emulator, so that the suite's two workers share them rather
than one worker ending the run alone; each group ends with `personal_data`, which scans
the logs of the scenarios run with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from socialcare_cli.reliability_scenarios import SCENARIOS
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

# About half the time each (measured at --scale 0.001: 35 s intake, 34 outbound, 32
# privacy, 30 words, 19 fuzz_openapi, 17 truth; the rest under 15 s each).
GROUPS = {
    "intake_privacy": (
        "intake",
        "privacy",
        "fuzz_openapi",
        "faults",
        "load",
        "connect",
        "replies",
        "action_links",
        "languages",
        "token_rotation",
        "parking_queue",
        "personal_data",
    ),
    "outbound_words": (
        "outbound",
        "words",
        "truth",
        "linear_text",
        "platform_answers",
        "alerts",
        "graph_writes",
        "wa_statuses",
        "pages",
        "late_answers",
        "fuzz_http",
        "headers",
        "signing_oracles",
        "odd_numbers",
        "forgery",
        "personal_data",
        "fuzz_properties",
    ),
}


def test_the_groups_hold_every_scenario():
    assert {name for group in GROUPS.values() for name in group} == set(SCENARIOS)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_reliability_scenario_runs_and_passes_at_a_small_scale(tmp_path, group):
    # When the harness runs in its own process, with its own emulator, as `make` runs it
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    result = subprocess.run(  # noqa: S603 (our own command)
        [
            sys.executable,
            "-m",
            "socialcare_cli.main",
            "reliability",
            "--scale",
            "0.001",
            "--only",
            ",".join(GROUPS[group]),
            "-o",
            str(tmp_path / "results.json"),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Then it wrote results for each of the group's scenarios, all passing, and printed
    # the table
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    scenarios = json.loads((tmp_path / "results.json").read_text())["scenarios"]
    assert set(scenarios) == set(GROUPS[group])
    assert all(s["ok"] and "sent" in s and "found" in s for s in scenarios.values())
    assert "scenario" in result.stdout
