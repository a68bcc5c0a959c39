"""The configuration's dataclasses validated by pydantic: every field's type, no unknown
key, then each dataclass's own checks. Run by `socialcare config check` (in `make lint`)
and the tests, never in a function's cold start (config/reading.py reads there)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

_ADAPTERS: dict[object, TypeAdapter[Any]] = {}  # building one is the slow part


def validated[T](kind: type[T], data: Any) -> T:
    """`data` as a `kind`; raises pydantic's ValidationError."""
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    result: T = _ADAPTERS[kind].validate_python(data)
    return result
