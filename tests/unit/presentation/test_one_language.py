"""One language per reader: every template rendered in each language carries no phrase of
the other language's catalogues (strings.yaml, labels.yaml, the brand's names in
routing.yaml, replies.yaml, surveys.yaml) and no placeholder left untranslated.

The catalogues and the templates are discovered, not listed: a key added to a catalogue
is checked at once, and a template no scenario below renders fails the coverage test
(add its scenario to tests/browser/screens.py, or to `every_email` here)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Any

import pytest

from socialcare.config.files import CONFIG_DIR
from socialcare.config.yaml_files import read_yaml
from socialcare.domain.crisis import CrisisFacts
from socialcare.domain.email_delivery import EmailHold, OwedEmail
from socialcare.domain.outbound import OutboundRecord, OutboundStatus
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation import rendering
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.notices import report_link_refused
from socialcare.presentation.rendering import TEMPLATES
from tests.browser import screens

LANGUAGES = ("es", "en")
# A phrase shorter than this is a word two languages may share ("Spam", "P2", "DNI").
MIN_PHRASE = 4
_MARKUP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{[a-z_]*\}|<[^>]+>")
# Where a sentence breaks into phrases someone could have glued into another language's.
_BREAKS = re.compile(r"[:;·()\[\]«»\"“”|/]|\s[\N{EN DASH}-]\s|\.\s|\.$|,\s")
PERSONAL_DATA_KINDS = ("phone", "email", "dni", "nie", "iban", "card")


def _leaves(node: Any, language: str | None = None) -> Iterator[tuple[str, str]]:
    """(language, text) of every text under a language key (es: ..., en: ...)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "keywords":  # patterns triage matches, never read by a person
                continue
            yield from _leaves(value, key if key in LANGUAGES else language)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value, language)
    elif isinstance(node, str) and language:
        yield language, node


def _routing_names(routing: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The brand's names: a department's `name` is in its own language, the social
    team's in the brand's default; `names` and `topic_names` say theirs."""
    yield from _leaves({"topic_names": routing.get("topic_names", {})})
    team = routing["social_team"]
    yield team.get("language") or routing["default_language"], team["name"]
    yield from _leaves(team.get("names", {}))
    for department in routing["departments"].values():
        yield department["language"], department["name"]
        yield from _leaves(department.get("names", {}))


@cache
def catalogue() -> dict[str, frozenset[str]]:
    """Every phrase a person may read, per language."""
    texts: list[tuple[str, str]] = []
    for source in (TEMPLATES / "strings.yaml", TEMPLATES / "labels.yaml"):
        texts += _leaves(read_yaml(source))
    texts += _leaves(read_yaml(CONFIG_DIR / "replies.yaml"))
    texts += _leaves(read_yaml(CONFIG_DIR / "surveys.yaml").get("texts", {}))
    texts += _routing_names(read_yaml(CONFIG_DIR / "routing.yaml"))
    phrases: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for language, text in texts:
        for phrase in _BREAKS.split(_MARKUP.sub("|", text)):
            phrase = phrase.strip(" .,!?¡¿'-\N{EN DASH}")
            if len(phrase) >= MIN_PHRASE and re.search(r"[^\W\d_]", phrase):
                phrases[language].add(phrase)
    return {language: frozenset(found) for language, found in phrases.items()}


@cache
def foreign_phrases(language: str) -> tuple[str, ...]:
    """The other languages' phrases that are not also this language's own words."""
    own = catalogue()[language]
    own_text = "\n".join(own)
    return tuple(
        phrase
        for other, phrases in sorted(catalogue().items())
        if other != language
        for phrase in sorted(phrases)
        if phrase not in own and not _contains(own_text, phrase)
    )


def _contains(text: str, phrase: str) -> bool:
    """`phrase` as words of `text`, not inside a longer word."""
    return phrase in text and bool(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))


_READ_ATTRIBUTES = re.compile(r'\s(?:title|alt|aria-label|placeholder)="([^"]*)"')
# Styles and scripts are not read; a textarea holds the words the brand will send the
# customer, in the customer's language, which the reader edits.
_UNREAD = re.compile(r"<(style|script|textarea)\b.*?</\1>", re.S)


def read(output: str) -> str:
    """What a person reads of an email or page: its text and the attributes shown or
    spoken (not class names, ids or data-* codes, nor styles and scripts)."""
    if "<" not in output:
        return output
    output = _UNREAD.sub(" ", output)
    spoken = " ".join(_READ_ATTRIBUTES.findall(output))
    return html.unescape(re.sub(r"<[^>]*>", " ", output) + " " + spoken)


def mixed(output: str, language: str) -> list[str]:
    """The other language's phrases, and the untranslated placeholders, in `output`."""
    output = read(output)
    found = [phrase for phrase in foreign_phrases(language) if _contains(output, phrase)]
    found += re.findall(r"\{\{.*?\}\}|\{[a-z_]+\}", output)  # a value never filled in
    own = read_yaml(TEMPLATES / "labels.yaml")[language].get("placeholder", {})
    found += [
        f"[{kind}]"
        for kind in PERSONAL_DATA_KINDS
        if f"[{kind}]" in output and own.get(kind) != kind
    ]
    return found


def reading(language: str) -> RoutingConfig:
    """The example brand, with every staff reader (the social team, the crisis contacts,
    the managers) reading `language`."""
    routing = screens.ROUTING
    team = routing.social_team
    # The team's own name was in the brand's default language: it is named in each now.
    names = {**team.names, routing.default_language: team.name}
    return replace(
        routing,
        default_language=language,
        social_team=replace(team, language=language, names=names),
        crisis=replace(routing.crisis, language=language),
        reports=replace(routing.reports, language=language),
    )


def every_email(language: str, routing: RoutingConfig) -> dict[str, str]:
    """Every email the workflow and the triage stream send, subject, text and HTML."""
    composer = CaseEmailComposer(routing, "https://api.example")
    case = screens.a_rich_case()
    troll = screens.a_rich_case(
        triage=screens.TriageRecord(category="troll", relation="unknown", priority="P4"), route=()
    )
    failed = OutboundRecord(
        id="f",
        case_id=case.id,
        status=OutboundStatus.FAILED,
        kind="private_reply",
        channel="facebook_comment",
        error_code="131047",
    )
    uncertain = OutboundRecord(
        id="u",
        case_id=case.id,
        status=OutboundStatus.UNCERTAIN,
        kind="private_reply",
        channel="facebook_comment",
        reason="timeout",
    )
    plan, action = screens.a_plan, "A" * 32
    emails = {
        "derivation": composer.derivation(case, plan(), action, language),
        "escalation": composer.derivation(case, plan("escalated", 1), action, language),
        "extended": composer.derivation(case, plan("extended"), action, language),
        "rederived": composer.derivation(case, plan("rederived"), action, language),
        "social_team_copy": composer.social_team_copy(case, plan(), action),
        "autonomous": composer.autonomous(troll),
        "digest": composer.autonomous_digest([case, troll], [uncertain, failed]),
        "urgent": composer.urgent(case),
        "low_score": composer.low_score(case, 2),
        "crisis": composer.crisis(
            CrisisFacts("billing", 6, 2, 60, (case, troll), {"es": "Lo sentimos.", "en": "Sorry."})
        ),
        "team_digest": composer.team_digest(
            [
                OwedEmail(
                    case.id,
                    "copy:1",
                    ("social@example.com",),
                    held.subject,
                    held.text,
                    held.html,
                    EmailHold.DIGEST,
                    screens.NOW,
                    action,
                )
                for held in [composer.derivation(case, plan("escalated", 1), action, language)]
            ]
        ),
    }
    return {
        f"{name}.{part}": getattr(email, part)
        for name, email in emails.items()
        for part in ("subject", "text", "html")
    }


def every_page(language: str) -> dict[str, str]:
    found = dict(screens.pages(language))
    found.update({f"report:{name}": html for name, html in screens.a_report(language).items()})
    for why in ("expired", "forged", "not_found"):
        if f"report_link_{why}_title" in rendering.strings(language):
            found[f"report_link_{why}"] = report_link_refused(why, language)
    found["protocol_rehearsal"] = screens.a_rehearsal_page(language, reading(language))
    return found


@pytest.fixture
def rendered_templates(monkeypatch) -> set[str]:
    """The name of every template loaded while the test runs (layouts and includes too)."""
    names: set[str] = set()
    environment = rendering.environment()
    original = environment.get_template

    def recording(name: Any, *args: Any, **kwargs: Any) -> Any:
        names.add(str(name))
        return original(name, *args, **kwargs)

    monkeypatch.setattr(environment, "get_template", recording)
    return names


# The customer wrote in the reader's language: what they wrote, and the replies
# suggested to them, are in it too (a customer's own words are shown as written).
CUSTOMER = {
    "es": (
        "Mi teléfono es 612 345 678 y mi DNI 12345678Z, llamadme ya por el siniestro",
        "Hola Lucía, te escribimos por privado.",
        "Hola Lucía, ¿nos dejas un teléfono para llamarte?",
    ),
    "en": (
        "My phone is 612 345 678 and my ID 12345678Z, call me now about the claim",
        "Hello Lucía, we have written to you privately.",
        "Hello Lucía, could you leave us a number to call you?",
    ),
}


# What tests/browser/screens.py's pages send a Spanish customer whatever the reader reads
# (the publish form's words, a published reply quoted): the customer's words, not the
# reader's, so they are left out of the check.
SCREENS_CUSTOMER_WORDS = ("Hola Lucía", "Te escribimos")


def without_customer_words(output: str) -> str:
    for words in SCREENS_CUSTOMER_WORDS:
        output = output.replace(words, " ")
    return output


def everything(language: str, monkeypatch) -> dict[str, str]:
    routing = reading(language)
    monkeypatch.setattr(screens, "ROUTING", routing)
    text, public, private = CUSTOMER[language]
    rich_case = screens.a_rich_case
    triage = replace(rich_case().triage, public_reply=public, private_reply=private)

    def customer_case(**fields: Any) -> Any:
        return rich_case(**{"texts": (text,), "triage": triage, **fields})

    monkeypatch.setattr(screens, "a_rich_case", customer_case)
    return {**every_email(language, routing), **every_page(language)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_and_page_is_in_its_reader_language_only(language, monkeypatch):
    # Given every staff reader and the customer reading `language`
    # When every email and page is rendered for them
    outputs = everything(language, monkeypatch)
    # Then none carries a phrase of another language or a placeholder left as a code
    problems = {
        name: mixed(without_customer_words(output), language) for name, output in outputs.items()
    }
    assert {name: found for name, found in problems.items() if found} == {}


def test_every_template_is_rendered_by_the_language_test(rendered_templates, monkeypatch):
    # Given the templates in the folder (other work adds more)
    templates = {p.name for p in TEMPLATES.iterdir() if p.suffix in (".html", ".txt")}
    # When the language test renders everything it knows, in every language
    for language in LANGUAGES:
        everything(language, monkeypatch)
    # Then none was left out of its check
    assert templates - rendered_templates == set()


def test_the_check_finds_a_phrase_of_the_other_language_and_a_code_placeholder():
    # A guard on the guard: the two mistakes of issue 30 are found
    assert "Caso derivado" in mixed("<h1>[P2] Caso derivado: Queja</h1>", "en")
    assert "[phone]" in mixed("Llamadme al [phone]", "es")
    assert mixed("Call me on [phone]", "en") == []
    assert mixed("Hello {name}", "en") == ["{name}"]
