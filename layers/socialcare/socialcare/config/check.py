"""`socialcare config check`: the configuration files validated as the functions read
them, one line per problem (no pydantic links, no input echoed back), and warnings of what
will go wrong soon."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from socialcare.config.files import ACCOUNT_KINDS, CONFIG_DIR, read_accounts, read_toml, read_yaml
from socialcare.config.loaders import RepliesConfig, TriageConfig
from socialcare.config.model_file import ModelFile
from socialcare.config.validation import validated
from socialcare.domain.accounts import BrandAccounts
from socialcare.domain.approvals import ApprovalRules
from socialcare.domain.outbound_config import OutboundConfig
from socialcare.domain.routing import RoutingConfig
from socialcare.domain.surveys import SurveyConfig


class AccountsConfig(BaseModel):
    """accounts.toml as the webhook reads it: its own reader's rules, not a copy."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    accounts: BrandAccounts

    @model_validator(mode="before")
    @classmethod
    def _read(cls, document: Any) -> dict[str, Any]:
        return {"accounts": read_accounts(document)}

    def unlisted(self) -> list[str]:
        """The kinds with no account listed (every account of that kind is accepted)."""
        return [kind for kind in ACCOUNT_KINDS if not getattr(self.accounts, kind)]


FILES: dict[str, type[Any]] = {
    "triage.yaml": TriageConfig,
    "routing.yaml": RoutingConfig,
    "replies.yaml": RepliesConfig,
    "accounts.toml": AccountsConfig,
    "outbound.yaml": OutboundConfig,
    "surveys.yaml": SurveyConfig,
    "approvals.yaml": ApprovalRules,
}
# Example configurations of other industries, in config/profiles/<industry>/.
PROFILES = "profiles"
PROFILE_FILES = ("routing.yaml", "replies.yaml")
# Holidays must be known ahead: a deadline counted over an unlisted holiday is a day short.
HOLIDAYS_AHEAD = timedelta(days=92)


# pydantic's wording where a plainer one says it better.
_PLAIN = {
    "missing": "is missing",
    "missing_argument": "is missing",
    "too_short": "is empty",
    "string_pattern_mismatch": "is not an id (digits only)",
    "extra_forbidden": "is not a setting (misspelt?)",
    "unexpected_keyword_argument": "is not a setting (misspelt?)",
}


@dataclass
class ConfigReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check(directory: Path = CONFIG_DIR, today: date | None = None) -> ConfigReport:
    report = ConfigReport()
    loaded: dict[str, Any] = {}
    for name in FILES:
        model, problems = _load(directory / name, name, missing=f"missing from {directory}")
        report.problems.extend(problems)
        if model is not None:
            loaded[name] = model
    if triage := loaded.get("triage.yaml"):
        report.problems.extend(_model_problems(directory / triage.model.file))
    if routing := loaded.get("routing.yaml"):
        report.warnings.extend(_holiday_warnings(routing, today or date.today()))
    for profile in sorted((directory / PROFILES).glob("*/")):
        report.problems.extend(_profile_problems(profile, directory))
    if accounts := loaded.get("accounts.toml"):
        report.warnings.extend(
            f"accounts.toml: {kind} is empty: deliveries for any such account are accepted"
            for kind in accounts.unlisted()
        )
    return report


def _model_problems(path: Path) -> list[str]:
    """The learned model is validated as the workflow loads it (labels, shapes)."""
    try:
        ModelFile.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return [f"{path.name}: missing (train it: socialcare triage train)"]
    except ValidationError as error:
        return [f"{path.name}: {line}" for line in _lines(error)]
    return []


def _profile_problems(profile: Path, directory: Path) -> list[str]:
    """An industry profile holds the industry's own files (routing.yaml, replies.yaml),
    checked as they would be once copied over the active ones."""
    where = profile.relative_to(directory)
    return [
        problem
        for name in PROFILE_FILES
        for problem in _load(profile / name, f"{where}/{name}", missing="missing")[1]
    ]


def _load(path: Path, label: str, *, missing: str) -> tuple[Any, list[str]]:
    """The file validated by its model, or the problems with it, one line each."""
    read = read_toml if path.name.endswith(".toml") else read_yaml
    try:
        return validated(FILES[path.name], read(path) or {}), []
    except FileNotFoundError:
        return None, [f"{label}: {missing}"]
    except yaml.YAMLError as error:
        return None, [f"{label}: not valid YAML{_where(error)}"]
    except tomllib.TOMLDecodeError as error:
        return None, [f"{label}: not valid TOML ({error})"]
    except ValidationError as error:
        return None, [f"{label}: {line}" for line in _lines(error)]


def _lines(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in problem["loc"])
        message = _PLAIN.get(problem["type"]) or problem["msg"].removeprefix("Value error, ")
        own_check = problem["type"] == "value_error"
        for line in message.splitlines():
            place, said = _field_first(where, line) if own_check else (where, line)
            lines.append(f"{place}: {said}" if place else said)
    return lines


def _field_first(where: str, line: str) -> tuple[str, str]:
    """A dataclass's own check names its field first ("sla_hours: P2 is missing"): the
    field joins the problem's place."""
    field, found, problem = line.partition(": ")
    if found and field.replace("_", "a").isalpha() and field.islower():
        return ".".join(filter(None, (where, field))), problem
    return where, line


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None)
    if mark is None:
        return ""
    return f" at line {mark.line + 1}, column {mark.column + 1}" + (
        f": {problem}" if problem else ""
    )


def _holiday_warnings(routing: RoutingConfig, today: date) -> list[str]:
    warnings = []
    for name, calendar in routing.calendars.items():
        last = max(calendar.holidays, default=None)
        if last is None:
            warnings.append(f"routing.yaml: calendars.{name}.holidays: none listed")
        elif last < today + HOLIDAYS_AHEAD:
            warnings.append(
                f"routing.yaml: calendars.{name}.holidays: the last one is {last.isoformat()}, "
                "within 3 months: add next year's"
            )
    return warnings
