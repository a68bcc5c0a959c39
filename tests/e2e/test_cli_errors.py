"""Every command fails with one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT

NOBODY = "http://127.0.0.1:9"  # the discard port: nothing answers there


def _without_aws() -> dict[str, str]:
    """No AWS settings of the machine's: as on a fresh one."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return environment


def socialcare(*arguments: str, stdin: str = "", environment: dict[str, str] | None = None):
    return subprocess.run(  # noqa: S603 (this interpreter, our command)
        [sys.executable, "-m", "socialcare_cli.main", *arguments],
        cwd=ROOT,
        input=stdin,
        env=environment or _without_aws(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["report", "run", "--period", "daily", "--local", NOBODY], "nothing answers at"),
        (["report", "run", "--period", "daily"], "no AWS region"),
        (["report", "run", "--period", "daily", "--date", "2026-13-45"], "not a day"),
        (["report", "run", "--period", "daily", "--date", "²"], "not a day"),
        (
            ["report", "download", "--period", "daily", "--latest", "-o", "x", "--local", NOBODY],
            "nothing answers at",
        ),
        (["replay", "--local", NOBODY], "nothing answers at"),
        (["replay"], "no AWS region"),
        (["triage", "--evaluate", "no/such.jsonl"], "no such file"),
        (["demo", "--events", "no/such/folder"], "no such folder"),
        (["bench", "--scale", "-1"], "must be more than 0"),
        (["reliability", "--scale", "zero"], "not a number"),
        (["local", "--port", "99999"], "not a port"),
        (["config", "check", "--config-dir", "no/such/folder"], "no such folder"),
        (["report", "run"], "required: --period"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_a_failing_command_says_why_in_one_line(arguments, says):
    # When the command cannot do its job
    run = socialcare(*arguments)
    # Then it says why on one line, exits non-zero, and shows no traceback
    assert run.returncode != 0
    assert says in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_triage_names_each_bad_line_and_still_triages_the_good_ones():
    # Given lines without a channel, not JSON, with an unknown channel, and a good one
    lines = [
        '{"text": "hola"}',
        "not json",
        '{"text": "x", "channel": "myspace"}',
        '{"text": "¡Gracias por todo!", "channel": "telegram"}',
    ]
    # When they are triaged
    run = socialcare("triage", stdin="\n".join(lines) + "\n")
    # Then each bad one is one line naming its number; the good one is triaged; exit 1
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        'line 1: "channel" is missing or not text',
        "line 2: not JSON (Expecting value)",
        "line 3: unknown channel 'myspace' (one of facebook_comment, messenger, "
        "instagram_comment, instagram_mention, instagram_dm, whatsapp, x_mention, x_dm, "
        "telegram)",
    ]
    assert '"category": "praise"' in run.stdout


def test_the_local_stack_on_a_port_in_use_says_so():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = socialcare("local", "--port", str(port))
    assert run.returncode == 1
    assert run.stderr.strip() == (
        f"socialcare local: port {port} is in use (another `socialcare local`?): "
        "choose one with --port"
    )
