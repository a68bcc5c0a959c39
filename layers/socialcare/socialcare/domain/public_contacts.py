"""What the brand tells the public to reach it, from routing.yaml: the lines a person at
risk calls (the public emergency number, the brand's 24-hour line, a department's own),
and the address a supplier or a partner writes to. Suggested replies say them as
configured: a number the brand does not staff must never reach a customer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from socialcare.domain.config_rules import STRICT, require

# A number as people dial it: digits, spaces, hyphens, a leading +; 3 to 20 characters.
_PHONE = re.compile(r"^\+?\d[\d -]{1,18}\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_WEB = re.compile(r"^https://[^\s/]+\.[^\s]+$")


def phone_number(value: str, field: str) -> None:
    problem = f"not a phone number: {value!r} (digits, spaces, hyphens, +)"
    require(bool(_PHONE.match(value)), field, problem)


def public_address(value: str, field: str) -> None:
    problem = f"not an email address or an https:// page: {value!r}"
    require(bool(_EMAIL.match(value) or _WEB.match(value)), field, problem)


@dataclass(frozen=True)
class Emergency:
    """The lines a person at risk is given in the brand's first reply."""

    __pydantic_config__ = STRICT

    # The public emergency number where the brand's customers are (112: the EU and UK).
    number: str = "112"
    # The brand's own line for people at risk (roadside assistance, an operations
    # centre), answered 24 hours a day, every day; a department's `emergency_line`
    # replaces it for the cases that department takes.
    line: str | None = None

    def __post_init__(self) -> None:
        phone_number(self.number, "number")
        if self.line is not None:
            phone_number(self.line, "line")


class SafetyDepartment(Protocol):
    @property
    def safety(self) -> bool: ...

    @property
    def emergency_line(self) -> str | None: ...


def missing_emergency_lines(
    departments: Mapping[str, SafetyDepartment], emergency: Emergency
) -> list[str]:
    """Departments that take people at risk (`safety: true`) with no line to give them."""
    return [
        f"department {key}: safety is true but there is no emergency line "
        "(emergency_line:, or emergency: line: for the whole brand)"
        for key, department in departments.items()
        if department.safety and not (department.emergency_line or emergency.line)
    ]
