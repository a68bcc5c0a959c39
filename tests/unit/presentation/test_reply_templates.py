"""Every reply template as written, in every language, of the configuration and of every
industry profile: the tone rules hold whatever values fill it, a person at risk has a
reply of their own, and the reply a known customer gets asks no one to identify."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment

from socialcare.config.loaders import CONFIG_DIR, replies_config
from tests.unit.presentation.tone_rules import BLAME, IDENTIFY, IRONY, PAPERWORK, PROMISES

CONFIGS = [CONFIG_DIR, *sorted(p for p in (CONFIG_DIR / "profiles").iterdir() if p.is_dir())]
IDS = [path.name for path in CONFIGS]
# Whatever a template may be given: each is rendered with every value it could take.
VALUES: dict[str, Any] = {
    "greeting": "Hola, Javier:",
    "opening": "Hola",
    "name": "Javier",
    "answer": "",
    "department": "Siniestros",
    "deadline": "antes del miércoles 9 a las 18:00",
    "sla_hours": "8",
    "emergency_number": "112",
    "emergency_line": "900 000 000",
    "contact": "proveedores@example.com",
    "kinds": "phone",
}
ENVIRONMENT = Environment(autoescape=False)  # noqa: S701 (plain text, as presentation/replies.py)


def templates(directory: Path) -> Iterator[tuple[str, str]]:
    """(where, source) of every template in replies.yaml's `replies`, in every language."""

    def walk(node: Any, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}" if where else str(key))
        elif isinstance(node, str):
            yield where, node

    yield from walk(replies_config(directory).replies, "")


def rendered(source: str) -> list[str]:
    template = ENVIRONMENT.from_string(source)
    return [template.render(**VALUES, upset=upset) for upset in (True, False)]


@pytest.mark.parametrize("directory", CONFIGS, ids=IDS)
def test_no_template_promises_blames_or_mocks(directory):
    bad = [
        (where, text)
        for where, source in templates(directory)
        for text in rendered(source)
        if PROMISES.search(text) or BLAME.search(text) or IRONY.search(text)
    ]
    assert bad == []


@pytest.mark.parametrize("directory", CONFIGS, ids=IDS)
def test_no_opening_is_cheerful_or_ironic(directory):
    configured = replies_config(directory)
    openings = [
        opening
        for openings in (*configured.openings.values(), *configured.sober_openings.values())
        for opening in openings
    ]
    assert [opening for opening in openings if IRONY.search(opening) or "?" in opening] == []


@pytest.mark.parametrize("directory", CONFIGS, ids=IDS)
@pytest.mark.parametrize("side", ["public", "private"])
def test_a_person_at_risk_has_a_reply_with_the_emergency_lines_and_no_paperwork(directory, side):
    safety = replies_config(directory).replies[side].get("safety") or {}
    assert set(safety) == {"es", "en"}, f"{directory.name}: no {side} safety reply"
    for language, source in safety.items():
        for text in rendered(source):
            assert "112" in text and "900 000 000" in text, (language, text)
            assert not PAPERWORK.search(text), (language, text)


@pytest.mark.parametrize("directory", CONFIGS, ids=IDS)
def test_the_reply_a_known_customer_gets_asks_no_identification(directory):
    derived = replies_config(directory).replies["private"]["derived"]
    bad = [
        text for source in derived.values() for text in rendered(source) if IDENTIFY.search(text)
    ]
    assert bad == []
