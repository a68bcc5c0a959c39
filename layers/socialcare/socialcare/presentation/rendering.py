"""jinja2 templates for emails and pages: HTML autoescaped, text as is."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=False,
    )


@cache
def _strings() -> dict[str, dict[str, str]]:
    with (TEMPLATES / "strings.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def strings(language: str) -> dict[str, str]:
    table = _strings()
    return table.get(language) or table["es"]


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
