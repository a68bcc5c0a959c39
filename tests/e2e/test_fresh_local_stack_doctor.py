"""`socialcare local` as a person starts it, then `socialcare doctor --local URL`: a fresh
local stack is a set-up one (its webhooks registered with the built-in emulator as
`socialcare connect` does), so every check passes, the platforms' included."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from socialcare_cli.local.stack import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_a_fresh_socialcare_local_passes_every_doctor_check():
    # Given `socialcare local` started in a fresh process, as a person runs it
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    port, aws_port = free_port(), free_port()
    command = [sys.executable, "-m", "socialcare_cli.main", "local"]
    local = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [*command, "--port", str(port), "--aws-port", str(aws_port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started, deadline = [], time.monotonic() + 90
        while time.monotonic() < deadline:
            line = local.stdout.readline()
            if not line:
                break
            started.append(line.rstrip())
            if line.startswith("Ctrl-C to stop."):
                break
        assert started and started[-1] == "Ctrl-C to stop.", "\n".join(started)
        # ... it said what it connected, one line per platform action
        connected = [line for line in started if line.lstrip().startswith("connect ")]
        assert any("telegram:" in line for line in connected), connected
        assert any("x:" in line for line in connected), connected
        assert not any("not connected" in line for line in connected), connected
        # When the doctor checks it
        doctor = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
            [*command[:-1], "doctor", "--local", f"http://127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        local.terminate()
        local.wait(timeout=30)
    # Then every check passes, the platforms' too, and the exit is 0
    lines = doctor.stdout.splitlines()
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert not [line for line in lines if line.startswith("FAIL")]
    assert any(line.startswith("ok   telegram") for line in lines), lines
    assert lines[-1].startswith("all ") and lines[-1].endswith(" checks passed")
