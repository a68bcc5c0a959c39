"""jinja2 templates for emails and pages: HTML autoescaped, text as is, and every value a
template writes made inert first (domain/text_controls.py: no bidi or invisible control
reorders or hides what people read), so no template can forget it.

A built layer carries them compiled to Python (`python -m socialcare.presentation.rendering
DIR`, run by the layer's Makefile): a cold start then imports them instead of compiling
each template on its first render."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    ModuleLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from socialcare.domain.text_controls import neutralise

TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPILED = Path(__file__).resolve().parent / "templates_compiled"


@cache
def environment() -> Environment:
    compiled = COMPILED.is_dir()
    return _environment(ModuleLoader(COMPILED) if compiled else FileSystemLoader(TEMPLATES))


def _environment(loader: BaseLoader) -> Environment:
    return Environment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=False,
        finalize=_inert,
    )


def _inert(value: Any) -> Any:
    """Each `{{ ... }}` output, before it is escaped (markers hold nothing to escape)."""
    if isinstance(value, Markup):
        return Markup(neutralise(value))  # noqa: S704 (already escaped: only controls go)
    if isinstance(value, str):
        return neutralise(value)
    return value


@cache
def _strings() -> dict[str, dict[str, Any]]:
    from socialcare.config.yaml_files import read_yaml

    return read_yaml(TEMPLATES / "strings.yaml")


def strings(language: str) -> dict[str, Any]:
    """strings.yaml in `language` (else Spanish): words, and sections of them by name."""
    table = _strings()
    return table.get(language) or table["es"]


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


if __name__ == "__main__":  # the layer's build: compile every template into a folder
    import sys

    _environment(FileSystemLoader(TEMPLATES)).compile_templates(
        sys.argv[1], zip=None, filter_func=lambda name: name.endswith((".html", ".txt"))
    )
