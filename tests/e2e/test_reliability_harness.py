"""`make reliability` at its smallest: every scenario runs, says what it sent and found,
and passes; the full sizes run outside `make test`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_every_reliability_scenario_runs_and_passes_at_a_small_scale(tmp_path):
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
    # Then it wrote results for each scenario, all passing, and printed the table
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    scenarios = json.loads((tmp_path / "results.json").read_text())["scenarios"]
    assert set(scenarios) == {
        "load",
        "faults",
        "forgery",
        "fuzz_http",
        "fuzz_openapi",
        "action_links",
        "signing_oracles",
        "odd_numbers",
        "headers",
        "parking_queue",
        "late_answers",
        "outbound",
        "platform_answers",
        "intake",
        "graph_writes",
        "wa_statuses",
        "words",
        "replies",
        "truth",
        "alerts",
        "languages",
        "linear_text",
        "pages",
        "privacy",
        "token_rotation",
        "connect",
        "personal_data",
        "fuzz_properties",
    }
    assert all(s["ok"] and "sent" in s and "found" in s for s in scenarios.values())
    assert "scenario" in result.stdout
