"""`socialcare config check` on broken copies of the configuration: one clear line per
problem, warnings for what will go wrong soon, and the exit status ops script on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from socialcare.config.check import check
from socialcare.config.files import CONFIG_DIR

TODAY = date(2026, 11, 29)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped configuration, to break."""
    for path in [
        *CONFIG_DIR.glob("*.yaml"),
        *CONFIG_DIR.glob("*.toml"),
        *CONFIG_DIR.glob("*.json"),
    ]:
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(CONFIG_DIR / "profiles", tmp_path / "profiles")
    return tmp_path


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "line"),
    [
        (
            "routing.yaml",
            "sla_hours: {P1: 8, P2: 24, P3: 48, P4: 48}",
            "sla_hours: {P1: 8}",
            "routing.yaml: departments.claims.sla_hours: P2, P3, P4 are missing",
        ),
        (
            "routing.yaml",
            "sla_hours: {P1: 8, P2: 24, P3: 48, P4: 48}",
            "sla_hours: {P1: 0, P2: -4, P3: 48, P4: 48}",
            "routing.yaml: departments.claims.sla_hours: P1, P2: the hours must be more than 0",
        ),
        (
            "routing.yaml",
            "  managers: [direccion.clientes@segurosmarea.example, redes@segurosmarea.example]",
            "  managers: []",
            "routing.yaml: reports.managers: is empty",
        ),
        (
            "routing.yaml",
            "    supervisor: {name: Responsable de compras, "
            "emails: [jefe.compras@segurosmarea.example]}\n",
            "",
            "routing.yaml: departments.purchasing.supervisor: is missing",
        ),
        (
            "routing.yaml",
            "main_department: customer_service",
            "main_department: nobody",
            "routing.yaml: main_department 'nobody' is not a department",
        ),
        (
            "accounts.toml",
            "x_users = []",
            'x_users = ["@marea"]',
            "accounts.toml: x_users.0: is not an id (digits only)",
        ),
        ("triage.yaml", "authority:", "authority: [", "triage.yaml: not valid YAML at line"),
        (
            "triage.yaml",
            "confidence_threshold: 0.6",
            "confidence_threshold: 1.6",
            "triage.yaml: model.confidence_threshold: must be at least 0 and at most 1",
        ),
        ("accounts.toml", "x_users = []", "x_users = [", "accounts.toml: not valid TOML"),
        (
            "routing.yaml",
            "sla_hours: {P1: 8, P2: 24, P3: 48, P4: 48}",
            "sla_hours: {P1: 30, P2: 24, P3: 48, P4: 48}",
            "routing.yaml: departments.claims.sla_hours: P1 must not wait longer than P2",
        ),
        (
            "profiles/bank/routing.yaml",
            "main_department: customer_service",
            "main_department: nobody",
            "profiles/bank/routing.yaml: main_department 'nobody' is not a department",
        ),
        (
            "profiles/airline/replies.yaml",
            "faq:",
            "faqs:",
            "profiles/airline/replies.yaml: faq: is missing",
        ),
        # A department that takes people at risk, with no line to give them
        (
            "profiles/telco/routing.yaml",
            '    emergency_line: "1400"\n',
            "",
            "profiles/telco/routing.yaml: department field_engineers: safety is true but there "
            "is no emergency line",
        ),
        (
            "routing.yaml",
            'line: "900 000 000"',
            'line: "call roadside assistance"',
            "routing.yaml: emergency.line: not a phone number",
        ),
        (
            "replies.yaml",
            'es: ["Hola", "Buenas"]',
            'es: ["Hola", "Hola, ¿qué tal?"]',
            "replies.yaml: openings: es: 'Hola, ¿qué tal?' must be words only",
        ),
        (
            "profiles/bank/replies.yaml",
            "    safety:\n",
            "    safety_first:\n",
            "profiles/bank/replies.yaml: replies: missing replies: public.safety.es, "
            "public.safety.en",
        ),
    ],
)
def test_each_mistake_is_one_clear_line(copy, name, old, new, line):
    # Given a copy of the configuration with one mistake
    edit(copy, name, old, new)
    # When it is checked
    report = check(copy, TODAY)
    # Then that mistake is reported on one line, naming the file and the setting
    assert any(problem.startswith(line) for problem in report.problems), report.problems
    assert all("\n" not in p and "pydantic" not in p and "input" not in p for p in report.problems)


def test_a_missing_file_is_named(copy):
    (copy / "replies.yaml").unlink()
    assert check(copy, TODAY).problems == [f"replies.yaml: missing from {copy}"]


def test_a_missing_or_damaged_model_is_named(copy):
    (copy / "triage_model.json").write_text('{"format": 2}', encoding="utf-8")
    assert check(copy, TODAY).problems[0] == "triage_model.json: features: is missing"
    (copy / "triage_model.json").unlink()
    assert check(copy, TODAY).problems == [
        "triage_model.json: missing (train it: socialcare triage train)"
    ]


def test_warnings_say_what_will_go_wrong_soon(copy):
    # Given a calendar whose holidays end within three months, and no accounts listed
    path = copy / "routing.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"holidays:\n\s+\[[^\]]*\]", "holidays: [2026-12-25, 2027-01-06]", text, count=1),
        encoding="utf-8",
    )
    # When it is checked in late 2026
    report = check(copy, TODAY)
    # Then it passes, with warnings
    assert report.problems == []
    assert (
        "routing.yaml: calendars.madrid.holidays: the last one is 2027-01-06, within 3 months:"
        " add next year's"
    ) in report.warnings
    assert "accounts.toml: x_users is empty: deliveries for any such account are accepted" in (
        report.warnings
    )


def test_the_command_exits_1_on_a_problem_and_names_it(copy):
    # Given a broken copy
    edit(copy, "routing.yaml", "sla_hours: {P1: 8, P2: 24, P3: 48, P4: 48}", "sla_hours: {P1: 8}")
    # When ops check it before deploying
    run = subprocess.run(  # noqa: S603 (this interpreter, our command)
        [sys.executable, "-m", "socialcare_cli.main", "config", "check", "--config-dir", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    # Then it fails with the problem on one line and no traceback
    assert run.returncode == 1
    assert "routing.yaml: departments.claims.sla_hours: P2, P3, P4 are missing" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
