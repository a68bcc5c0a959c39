"""axe-core (through axe-playwright-python) on every page and email, in Spanish and in
English, on a 390 px phone and a 1280 px screen: no serious or critical violation. The
screens come from tests/browser/screens.py; a template, a page outcome or an email the
screens leave out fails the first test, so a new one is checked as soon as it exists."""

from __future__ import annotations

import inspect

import pytest

from socialcare.presentation import action_pages, publish_pages
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.rendering import TEMPLATES, environment
from tests.browser.screens import a_rehearsal_page, a_report, emails, page_outcomes, pages

pytestmark = pytest.mark.browser

LANGUAGES = ("es", "en")
WIDTHS = (390, 1280)
# axe's impacts: minor, moderate, serious, critical (https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#results-object)
BLOCKING = {"serious", "critical"}
# Known, and fixed in another slice of issue 30: remove the entry when it lands (the test
# fails while an entry here passes, so none stays behind).
KNOWN: dict[str, str] = {}  # screen -> why it still fails (none now)


def screens(language: str) -> dict[str, str]:
    shown = {f"email-{name}": html for name, html in emails(language).items()}
    shown |= {f"page-{name}": html for name, html in pages(language).items()}
    return shown | a_report(language) | {"rehearsal": a_rehearsal_page(language)}


def test_the_screens_cover_every_template_page_outcome_and_email(monkeypatch):
    # Given a record of every template rendered and every email composed
    rendered: set[str] = set()
    templates = environment()
    get_template = templates.get_template
    monkeypatch.setattr(
        templates, "get_template", lambda name, *a, **k: rendered.add(name) or get_template(name)
    )
    composed: set[str] = set()
    for name, method in inspect.getmembers(CaseEmailComposer, inspect.isfunction):
        if not name.startswith("_"):
            monkeypatch.setattr(CaseEmailComposer, name, _recording(method, name, composed))
    # When the screens are built in every language
    outcomes = [outcome for language in LANGUAGES for outcome in page_outcomes(language).values()]
    for language in LANGUAGES:
        screens(language)
    # Then each page template, each outcome a link's page answers, and each email is there
    page_templates = {p.name for p in TEMPLATES.glob("*.html") if not p.name.startswith("_")}
    assert page_templates - rendered == set()
    answered = {type(outcome) for outcome in outcomes}
    for module in (action_pages, publish_pages):
        assert {kind for kind in module._page.registry if kind is not object} - answered == set()
    methods = inspect.getmembers(CaseEmailComposer, inspect.isfunction)
    assert {name for name, _ in methods if not name.startswith("_")} - composed == set()


def _recording(method, name: str, composed: set[str]):
    def recorded(*args, **kwargs):
        composed.add(name)
        return method(*args, **kwargs)

    return recorded


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_or_email_has_a_serious_accessibility_violation(chromium, axe, language, width):
    # Given every page and email in this language, on this screen
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found, shown = {}, screens(language)
    try:
        for name, html in shown.items():
            # When axe-core checks each as Chromium lays it out
            page.set_content(html)
            violations = axe.run(page).response["violations"]
            blocking = [
                (v["id"], v["impact"], [node["target"] for node in v["nodes"][:3]])
                for v in violations
                if v["impact"] in BLOCKING
            ]
            if blocking:
                found[name] = blocking
    finally:
        context.close()
    # Then none has a serious or critical violation (but those known, which still have)
    assert {name: v for name, v in found.items() if name not in KNOWN} == {}
    fixed = (set(KNOWN) & set(shown)) - set(found)
    assert not fixed, f"fixed now: remove {fixed} from KNOWN"
