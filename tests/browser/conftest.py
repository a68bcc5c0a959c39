"""Headless Chromium from Debian's package, driven by Playwright; screenshots are kept in
test-artifacts/ (CI keeps them). Absent Chromium: the tests skip and say why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# The flags and the lookup `make demo` uses too (no internet: Chromium's own traffic off).
from socialcare_cli.demo_console import CHROMIUM_FLAGS, chromium_path
from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    path = chromium_path()
    if not path:
        pytest.skip("Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="es-ES")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Keep a picture of the page as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
