"""What a person reads on the pages and in the emails (issue 30, finding 8): titles in
words, one form on the department's page with no department chosen for them, no
developer text anywhere, and every colour the CSS gives text readable (WCAG 2 AA, 4.5:1).
The browser tests check the same pages in Chromium (tests/browser/test_accessibility.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from socialcare.app.action_links import Confirmation
from socialcare.config.yaml_files import read_yaml
from socialcare.domain.action_links import ActionChoice
from socialcare.domain.cases import CaseAuthor
from socialcare.presentation.action_pages import page_for
from socialcare.presentation.charts import bar_chart
from socialcare.presentation.rendering import TEMPLATES
from tests.browser.screens import ROUTING, a_link, a_rich_case, emails


class _Elements(HTMLParser):
    """Each start tag with its attributes, and the text inside <h1> and <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {"h1": "", "title": ""}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.texts else None

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open] += data

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]


def parsed(html: str) -> _Elements:
    elements = _Elements()
    elements.feed(html)
    return elements


def action_page(language: str = "es", **case_fields) -> str:
    case = a_rich_case(**case_fields)
    outcome = Confirmation(a_link(), case, language, ActionChoice.NOT_OURS)
    return page_for(outcome, ROUTING).html


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("es", "Queja · Comentario en Facebook · Lucía Fernández"),
        ("en", "Complaint · Facebook comment · Lucía Fernández"),
    ],
)
def test_the_action_page_is_titled_in_words_with_the_case_id_small(language, title):
    # Given a complaint Lucía wrote in a Facebook comment
    case = a_rich_case()
    # When its department opens the action page
    page = parsed(action_page(language))
    # Then the title says what, where and who; the id is only a reference in the body
    assert page.texts["h1"] == title
    assert page.texts["title"].startswith(title)
    assert case.id not in page.texts["h1"] + page.texts["title"]
    assert case.id in action_page(language)


def test_a_customer_without_a_name_is_left_out_of_the_title_not_shown_as_a_dash():
    page = parsed(action_page(author=CaseAuthor(id="42")))
    assert page.texts["h1"] == "Queja · Comentario en Facebook"


def test_the_action_page_has_one_form_whose_steps_say_how_they_relate():
    # Given a case the department can answer in the customer's channel
    html = action_page()
    page = parsed(html)
    # Then there is one form, one token, one button: the reply is a step of it
    assert len(page.all("form")) == 1
    assert len(page.all("input", name="csrf_token")) == 1
    assert len(page.all("button")) == 1
    assert len(page.all("textarea", name="reply")) == 1
    for step in ("1. ¿Qué habéis hecho?", "2. Solo si no es vuestro", "3. Solo con «He contactado"):
        assert step in html


def test_no_department_is_chosen_for_the_department():
    # Given the page opened from the "not ours" link
    page = parsed(action_page())
    # Then the department list starts with a placeholder, the one selected, worth nothing
    options = page.all("option")
    assert options[0]["value"] == "" and "selected" in options[0]
    assert [o["value"] for o in options if "selected" in o] == [""]
    assert "Elige un departamento" in action_page()


# Words of the people who build the stack, not of those who read its pages and emails.
JARGON = re.compile(
    r"credencial|credential|human_agent|token|\bAPI\b|webhook|\bconfig\b|"
    r"socialcare |\bc[oó]digo\b|\bcode\b|\b[a-z]+_[a-z_]+\b",
    re.IGNORECASE,
)


def _values(tree, path=()):
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _values(value, (*path, str(key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _values(value, (*path, str(index)))
    else:
        yield ".".join(path), str(tree)


def test_no_catalogue_string_speaks_developer():
    # Given every string people read, in every language, and every code's label
    found = {}
    for name in ("strings.yaml", "labels.yaml"):
        for path, value in _values(read_yaml(TEMPLATES / name)):
            words = JARGON.findall(re.sub(r"\{[^}]*\}", "", value))  # placeholders are ours
            if words:
                found[f"{name}:{path}"] = words
    # Then none speaks of credentials, tokens, tags, config keys or codes
    assert found == {}


def test_no_email_or_page_shows_developer_text_the_templates_write():
    # Given every template, without its {{ }} and {% %} parts (their words are above)
    found = {}
    for template in sorted(TEMPLATES.glob("*.html")) + sorted(TEMPLATES.glob("*.txt")):
        text = re.sub(r"\{[{%#].*?[}%#]\}", " ", template.read_text(), flags=re.DOTALL)
        text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.DOTALL)
        words = JARGON.findall(text)
        if words:
            found[template.name] = words
    # Then none writes developer words of its own
    assert found == {}


# --- contrast ------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio: https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio"""
    darker, lighter = sorted((_luminance(foreground), _luminance(background)))
    return (lighter + 0.05) / (darker + 0.05)


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})")
_BACKGROUND = re.compile(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})")


def text_colour_pairs(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) for every colour the CSS gives text: against
    its own rule's background, or else against every surface the sheet paints (and white)."""
    rules = [(s.strip(), body) for s, body in _RULE.findall(re.sub(r"/\*.*?\*/", "", css))]
    surfaces = {"#fff"}
    for _, body in rules:
        if not _COLOUR.search(body):
            surfaces.update(_BACKGROUND.findall(body))
    pairs = []
    for selector, body in rules:
        for colour in _COLOUR.findall(body):
            own = _BACKGROUND.findall(body)
            for background in own or sorted(surfaces):
                pairs.append((selector, colour, background))
    return pairs


def _style_sheets() -> dict[str, str]:
    sheets = {}
    for template in sorted(TEMPLATES.glob("*.html")):
        for n, css in enumerate(re.findall(r"<style>(.*?)</style>", template.read_text(), re.S)):
            sheets[f"{template.name}#{n}"] = css
    return sheets


def test_every_colour_the_css_gives_text_has_a_contrast_of_at_least_4_5():
    # Given every style sheet of the pages and emails (the layout's, the report's, which
    # the protocol rehearsal's page includes too)
    sheets = _style_sheets()
    assert {"_layout.html#0", "_report_style.html#0"} <= set(sheets)
    # When each text colour is measured against what it is drawn on
    low = [
        (sheet, selector, colour, background, round(contrast(colour, background), 2))
        for sheet, css in sheets.items()
        for selector, colour, background in text_colour_pairs(css)
        if contrast(colour, background) < 4.5
    ]
    # Then every pair reaches 4.5:1
    assert low == []


def test_the_charts_text_is_as_readable_as_the_page():
    # Given a chart with no data (its grey sentence) on the report's white page
    svg = str(bar_chart("t", [], empty="Sin datos en este periodo."))
    fills = re.findall(r'<text[^>]*fill="(#[0-9a-fA-F]{3,6})"', svg)
    assert fills
    assert [f for f in fills if contrast(f, "#fff") < 4.5] == []


def test_the_emails_also_carry_their_words_in_the_title():
    # Given the department's email about Lucía's complaint
    html = emails("es")["derivation"]
    # Then it opens with what, where and who, its id a reference below
    assert parsed(html).texts["h1"] == "Queja · Comentario en Facebook · Lucía Fernández"
