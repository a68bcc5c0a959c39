"""`socialcare protocol diff` and `config check --against-last` refuse bad input in one
line and a non-zero exit, never a traceback, before reading anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialcare.config.files import CONFIG_DIR
from tests.e2e.test_cli_errors import NOBODY, socialcare

CONFIG = str(CONFIG_DIR)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["protocol", "diff"], "required: --config-dir"),
        (
            ["protocol", "diff", "--config-dir", "no/such/folder", "--local", NOBODY],
            "no such folder",
        ),
        (["protocol", "diff", "--config-dir", CONFIG, "--from", "2026-02-30"], "not a day"),
        (["protocol", "diff", "--config-dir", CONFIG, "--to", "8/12/2026"], "not a day"),
        (
            [
                "protocol",
                "diff",
                "--config-dir",
                CONFIG,
                "--from",
                "2026-12-08",
                "--to",
                "2026-12-01",
                "--local",
                NOBODY,
            ],
            "--from 2026-12-08 is after --to 2026-12-01",
        ),
        (
            ["protocol", "diff", "--config-dir", CONFIG, "-o", "diff.txt", "--local", NOBODY],
            "must end in .json, .html or .csv",
        ),
        (["protocol", "diff", "--config-dir", CONFIG, "--local", NOBODY], "nothing answers at"),
        (["protocol", "diff", "--config-dir", CONFIG, "--language", "fr"], "invalid choice"),
        (["config", "check", "--against-last", "0"], "must be more than 0"),
    ],
)
def test_a_bad_rehearsal_says_why_in_one_line(arguments, says):
    # When the command cannot rehearse
    run = socialcare(*arguments)
    # Then it says why on one line, exits non-zero, and shows no traceback
    assert run.returncode != 0
    assert says in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_a_broken_configuration_is_not_rehearsed(tmp_path: Path):
    # Given a copy whose main department does not exist
    copy = tmp_path / "broken"
    shutil.copytree(CONFIG_DIR, copy, ignore=shutil.ignore_patterns("profiles"))
    routing = copy / "routing.yaml"
    text = routing.read_text(encoding="utf-8")
    routing.write_text(text.replace("main_department: customer_service", "main_department: nobody"))
    # When it is rehearsed
    run = socialcare("protocol", "diff", "--config-dir", str(copy), "--local", NOBODY)
    # Then the first problem is named on one line, and nothing is read
    assert run.returncode == 1
    assert "main_department 'nobody' is not a department" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_config_check_against_a_stack_that_is_not_there_says_so_after_its_checks():
    # When the static checks pass but no stack answers for the rehearsal
    run = socialcare("config", "check", "--against-last", "7", "--local", NOBODY)
    # Then the checks' own warnings come first, then one line saying why it stopped
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1
    assert lines[-1].startswith("socialcare config check: nothing answers at")
    assert all(line.startswith("warning: ") for line in lines[:-1])
    assert "Traceback" not in run.stderr + run.stdout
