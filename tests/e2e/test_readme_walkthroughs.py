"""The README's walkthroughs run as pasted: every ```bash block whose first line is
`# walkthrough: <name>` is run by bash, in README order, against a fresh `socialcare local`
started here as the README starts it (`--time-scale 20000`), on free ports: the only
change made to a block is `3000` -> the stack's port."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialcare_cli.local.stack import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

WALKTHROUGH = re.compile(r"```bash\n# walkthrough: ([^\n]+)\n(.*?)```", re.DOTALL)
# What each walkthrough prints, in this order (other output may come between).
EXPECTED = {
    "a department answers from its email": ["200\n", "410\n"],
    "deliveries by hand": ['"created": 1', '"ignored": 1', '"text": "Hola"'],
}


def walkthroughs() -> list[tuple[str, str]]:
    return WALKTHROUGH.findall((ROOT / "README.md").read_text())


def test_every_walkthrough_says_what_it_prints():
    assert [name for name, _ in walkthroughs()] == list(EXPECTED)


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory) -> Iterator[tuple[int, Path]]:
    """`socialcare local` in a process of its own; a folder where `.venv` and `events`
    are the repository's, so the blocks' relative paths work and their files stay there."""
    for tool in ("curl", "jq", "openssl"):
        if shutil.which(tool) is None:
            pytest.skip(f"the walkthroughs need {tool} (the README says: from your system)")
    folder = tmp_path_factory.mktemp("walkthrough")
    (folder / ".venv").symlink_to(Path(sys.prefix))
    (folder / "events").symlink_to(ROOT / "events")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    port, aws_port = free_port(), free_port()
    ports = ["--port", str(port), "--aws-port", str(aws_port)]
    local = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "socialcare_cli.main", "local", *ports, "--time-scale", "20000"],
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
            if not line or line.startswith("Ctrl-C to stop."):
                break
            started.append(line.rstrip())
        assert local.poll() is None, "\n".join(started)
        yield port, folder
    finally:
        local.terminate()
        local.wait(timeout=30)


@pytest.mark.parametrize(("name", "block"), walkthroughs(), ids=[n for n, _ in walkthroughs()])
def test_a_walkthrough_runs_as_pasted(local_stack, name, block):
    # Given a walkthrough as the README writes it, and the stack it expects
    port, folder = local_stack
    script = block.replace(":3000", f":{port}")
    # When bash runs it
    run = subprocess.Popen(  # noqa: S603 (bash on the README's own text)
        ["bash", "-c", script],  # noqa: S607
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    # Then it ends well and prints what the README says, in that order
    assert run.returncode == 0, out + err
    at = 0
    for expected in EXPECTED[name]:
        found = out.find(expected, at)
        assert found >= 0, f"{expected!r} not printed after {out[:at]!r}:\n{out}\n{err}"
        at = found + len(expected)
