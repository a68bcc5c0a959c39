"""The configuration as functions read it (plain code, no pydantic in a cold start) is
the configuration `config check` validated: the same values from every shipped file and
profile, as YAML and as the JSON the layer's build writes; and what only the validating
model refuses (a wrong type, a misspelt key) cannot pass the check."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from socialcare.config.check import FILES, PROFILE_FILES, PROFILES, check
from socialcare.config.files import CONFIG_DIR
from socialcare.config.loaders import triage_config
from socialcare.config.model_file import ModelFile
from socialcare.config.model_reading import read_triage_model
from socialcare.config.reading import built
from socialcare.config.validation import validated
from socialcare.config.yaml_files import _iso, _parse

SHIPPED = [
    *[(CONFIG_DIR / name, FILES[name]) for name in FILES if name.endswith(".yaml")],
    *[
        (profile / name, FILES[name])
        for profile in sorted((CONFIG_DIR / PROFILES).glob("*/"))
        for name in PROFILE_FILES
    ],
]


def as_built(data: Any) -> Any:
    """The file as the layer's build writes it beside the YAML (dates as ISO text)."""
    return json.loads(json.dumps(data, default=_iso, ensure_ascii=False))


@pytest.mark.parametrize(
    ("path", "kind"), SHIPPED, ids=[str(p.relative_to(CONFIG_DIR)) for p, _ in SHIPPED]
)
def test_functions_read_the_values_the_check_validated(path: Path, kind: type):
    # Given a shipped configuration file, validated as `config check` validates it
    data = _parse(path)
    model = validated(kind, data)
    # When a function reads it, from the YAML or from the build's JSON
    # Then it reads the same values
    assert built(kind, data) == model
    assert built(kind, as_built(data)) == model


def test_functions_read_the_triage_model_the_check_validated():
    settings = triage_config().model
    path = CONFIG_DIR / settings.file
    thresholds = (settings.confidence_threshold, settings.urgent_threshold)
    model = ModelFile.model_validate_json(path.read_bytes()).triage_model(*thresholds)
    assert read_triage_model(path, *thresholds) == model


def test_dates_read_from_the_build_are_dates():
    routing = built(FILES["routing.yaml"], as_built(_parse(CONFIG_DIR / "routing.yaml")))
    holidays = [day for calendar in routing.calendars.values() for day in calendar.holidays]
    assert holidays and all(type(day) is date for day in holidays)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        # A type only the validating model checks (plain reading would keep the text)
        (
            "negative_cases: 5",
            'negative_cases: "many"',
            "routing.yaml: crisis.negative_cases: Input should be a valid integer",
        ),
        # A misspelt key only the validating model refuses (plain reading would skip it)
        ("  window_minutes:", "  window_minute:", "routing.yaml: crisis.window_minute: is not a"),
    ],
)
def test_what_only_the_model_refuses_cannot_pass_the_check(tmp_path: Path, old, new, line):
    # Given a copy of the configuration with a mistake plain reading would not see
    for path in CONFIG_DIR.iterdir():
        if path.is_file() and path.suffix in (".yaml", ".toml", ".json"):
            (tmp_path / path.name).write_bytes(path.read_bytes())
    routing = tmp_path / "routing.yaml"
    text = routing.read_text(encoding="utf-8")
    assert old in text, old
    routing.write_text(text.replace(old, new, 1), encoding="utf-8")
    # When checked, then it is refused, named on one line
    problems = check(tmp_path, date(2026, 11, 29)).problems
    assert any(problem.startswith(line) for problem in problems), problems
