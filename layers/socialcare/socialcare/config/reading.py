"""The configuration's files turned into the domain's dataclasses by plain code, at run
time: no pydantic in a function's cold start (its import and model building were about a
fifth of it). The values are validated before they deploy: `socialcare config check`
(in `make lint`) and the tests run config/validation.py, pydantic over the same
dataclasses; what a dataclass checks of its own values (`__post_init__`) runs here too."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin


def built[T](kind: type[T], data: Any) -> T:
    """`data` (a configuration file as read) as a `kind`, nested dataclasses and all."""
    return typing.cast(T, _value(kind, data))


@cache
def _fields(kind: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(kind)
    return tuple((field.name, hints[field.name]) for field in dataclasses.fields(kind))


def _value(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        given = {name: _value(hint, value[name]) for name, hint in _fields(kind) if name in value}
        return kind(**given)
    origin = get_origin(kind)
    if origin is list or origin is tuple:
        item = get_args(kind)[0]
        return origin(_value(item, one) for one in value)
    if origin is dict:
        key, item = get_args(kind)
        return {_value(key, k): _value(item, v) for k, v in value.items()}
    if origin is Union or origin is types.UnionType:
        options = [option for option in get_args(kind) if option is not type(None)]
        return _value(options[0], value) if len(options) == 1 else value
    if origin is Literal or kind is Any:
        return value
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is date and isinstance(value, str):  # the build's JSON writes dates as ISO text
        return date.fromisoformat(value)
    if kind is float:
        return float(value)
    return value
