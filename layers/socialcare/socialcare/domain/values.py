"""Strict checks for the fields of plain frozen dataclasses: what pydantic checked on
the models the webhook builds, without pydantic's import and schema building at every
cold start (about 85 ms of the webhook's 244; docs/architecture.md, decision log).

Each check refuses a value of the wrong type or out of bounds with InvalidValue, whose
message names the field and never the value (it may be personal data or a secret)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any


class InvalidValue(ValueError):
    """A field holds what it cannot hold; the message names the field, never the value."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field


def text(
    name: str,
    value: Any,
    *,
    optional: bool = False,
    min_length: int = 0,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
) -> None:
    if value is None and optional:
        return
    if type(value) is not str:
        raise InvalidValue(name, "must be a string")
    if len(value) < min_length:
        raise InvalidValue(name, f"must have at least {min_length} character(s)")
    if max_length is not None and len(value) > max_length:
        raise InvalidValue(name, f"must have at most {max_length} characters")
    if pattern is not None and not pattern.fullmatch(value):
        raise InvalidValue(name, "is not of the expected shape")


def whole(
    name: str,
    value: Any,
    *,
    optional: bool = False,
    low: int | None = None,
    high: int | None = None,
) -> None:
    """A whole number (never a bool, a float or a string of digits) within bounds."""
    if value is None and optional:
        return
    if type(value) is not int:
        raise InvalidValue(name, "must be a whole number")
    if low is not None and value < low:
        raise InvalidValue(name, f"must be at least {low}")
    if high is not None and value > high:
        raise InvalidValue(name, f"must be at most {high}")


def moment(name: str, value: Any) -> None:
    if not isinstance(value, datetime):
        raise InvalidValue(name, "must be a datetime")


def member[E: Enum](name: str, value: Any, kind: type[E]) -> None:
    if not isinstance(value, kind):
        raise InvalidValue(name, f"must be a {kind.__name__}")


def texts(name: str, value: Any, *, optional: bool = False) -> None:
    """A list or tuple of strings."""
    if value is None and optional:
        return
    if not isinstance(value, (list, tuple)) or any(type(item) is not str for item in value):
        raise InvalidValue(name, "must be a list of strings")


def text_map(name: str, value: Any) -> None:
    """A mapping of strings to strings."""
    if not isinstance(value, Mapping) or any(
        type(key) is not str or type(item) is not str for key, item in value.items()
    ):
        raise InvalidValue(name, "must map strings to strings")


def instance(name: str, value: Any, kind: type, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, kind):
        raise InvalidValue(name, f"must be a {kind.__name__}")
