"""What the configuration's dataclasses check of their own values when they are built: at
run time by config/reading.py (plain code), and in `socialcare config check` and the tests
by pydantic, which checks every field's type first (config/validation.py). A problem is
one line, "<field>: <what is wrong>"."""

from __future__ import annotations

from collections.abc import Sized

# pydantic reads a dataclass's configuration from this attribute: a misspelt key is an
# error, never ignored (https://docs.pydantic.dev/latest/concepts/dataclasses/#dataclass-config).
STRICT = {"extra": "forbid"}


def require(holds: bool, field: str, problem: str) -> None:
    if not holds:
        raise ValueError(f"{field}: {problem}")


def not_empty(value: Sized, field: str) -> None:
    require(len(value) > 0, field, "is empty")


def within(value: float, field: str, low: float, high: float, *, above_low: bool = False) -> None:
    """low <= value <= high (low < value with `above_low`)."""
    fits = (low < value if above_low else low <= value) and value <= high
    bound = f"more than {low}" if above_low else f"at least {low}"
    require(fits, field, f"must be {bound} and at most {high}")


def longest(value: Sized, field: str, most: int) -> None:
    require(len(value) <= most, field, f"must have at most {most} characters")
