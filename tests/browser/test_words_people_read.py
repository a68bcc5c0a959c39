"""Every email, page and the report, in Spanish and in English, as Chromium shows them on
a 390 px phone: screenshotted, read for raw codes, machine times and mixed languages,
and the report's charts measured: every label inside its chart, none overlapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.screens import a_report, emails, pages

pytestmark = pytest.mark.browser

LANGUAGES = ("es", "en")
PHONE = {"width": 390, "height": 844}
# Codes the system keeps, which nobody should read: snake_case words, and each category,
# channel and status code in the other language's text.
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}")
SPANISH_DECIMAL_POINT = re.compile(r"\d\.\d{1,2}(?!\d)")
ENGLISH_IN_SPANISH = re.compile(
    r"\b(complaint|question|incident|praise|troll|derived|resolved|autonomous|breached|"
    r"public|followers|customer|telegram|messenger|whatsapp)\b"
)
SPANISH_IN_ENGLISH = re.compile(
    r"\b(Queja|Consulta|Incidencia|Elogio|seguidores|pública|Cliente|Siniestros|nivel|"
    r"desde|Atención al cliente|Comentario)\b"
)


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def read(page, html: str, name: str) -> str:
    """Show it as a person would, keep the picture, return the text they read."""
    page.set_content(html)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"words-{name}.png"), full_page=True)
    return page.locator("body").inner_text()


def _problems(text: str, language: str) -> list[str]:
    problems = [f"code {m}" for m in SNAKE.findall(text)]
    problems += [f"machine time {m}" for m in ISO_TIME.findall(text)]
    if language == "es":
        problems += [f"decimal point {m}" for m in SPANISH_DECIMAL_POINT.findall(text)]
        problems += [f"English '{m}'" for m in ENGLISH_IN_SPANISH.findall(text)]
    else:
        problems += [f"Spanish '{m}'" for m in SPANISH_IN_ENGLISH.findall(text)]
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_and_page_reads_in_one_language_without_codes(phone, language):
    # Given every email and page a person gets, in this language
    shown = {**emails(language), **pages(language)}
    # When each is shown on a phone
    problems = {}
    for name, html in shown.items():
        text = read(phone, html, f"{language}-{name}")
        found = _problems(text, language)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"scrolls sideways ({width} px)")
        if found:
            problems[name] = found
    # Then none shows a code, a machine time, a foreign word, or scrolls sideways
    assert problems == {}


@pytest.mark.parametrize("language", ["es", "en"])
def test_personal_data_is_shown_only_on_the_action_page(phone, language):
    # Given a comment exposing a phone number
    texts = {
        name: read(phone, html, f"{language}-{name}") for name, html in emails(language).items()
    }
    page_text = read(phone, pages(language)["confirm"], f"{language}-confirm")
    # Then every email masks it, and the action page shows it, saying it is personal data
    assert all("612 345 678" not in text for text in texts.values())
    assert "612 345 678" in page_text
    assert ("Datos personales" if language == "es" else "Personal data") in page_text


def chart_overflows(page) -> list[str]:
    """Each chart text's box against its SVG's, and against the other texts' boxes."""
    return page.evaluate((Path(__file__).parent / "chart_boxes.js").read_text())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_reads_on_a_phone_with_every_chart_label_whole(phone, language):
    # Given a week's report with every category and channel and a previous week
    report = a_report(language)
    # When a manager opens it, and its email, on a phone
    text = read(phone, report["report"], f"{language}-report")
    # Then no chart label is cut or overlaps another, nothing scrolls sideways, and it
    # reads in one language, without codes, with the previous period drawn
    assert chart_overflows(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator("svg.chart rect[fill='#b8c7e0']").count() > 0
    assert _problems(text, language) == []
    email_text = read(phone, report["report_email"], f"{language}-report_email")
    assert _problems(email_text, language) == []
    top = "Siniestros y reparaciones" if language == "es" else "Claims and repairs"
    assert top in email_text or ("Retrasos" in email_text or "Delays" in email_text)


def test_chart_labels_at_the_longest_the_config_allows_still_fit(phone):
    # Given the longest names config allows for every label a chart draws
    from socialcare.presentation.charts import bar_chart, column_chart

    longest = "Oportunidad comercial de colaboración con patrocinio internacional " * 2
    rows = [(longest + str(n), 10.0 * n, 5.0 * n, f"{10 * n} %") for n in range(1, 6)]
    html = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<body style="margin:16px">'
        + bar_chart("t", rows)
        + column_chart("v", [(f"{d} nov", d) for d in range(1, 31)], [3] * 30)
        + "</body>"
    )
    # When drawn on a phone
    phone.set_content(html)
    # Then every label is whole, inside its chart and clear of the others
    assert chart_overflows(phone) == []
