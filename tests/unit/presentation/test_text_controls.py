"""Bidi and invisible controls a customer typed never reorder or hide what people read:
in every email (subject, text, HTML), page and cases.csv they are shown as a visible
marker (those that reorder) or dropped (those that only hide); emoji sequences stay
whole; what the customer wrote is kept as written."""

from __future__ import annotations

from dataclasses import replace

import pytest

from socialcare.adapters.dynamodb.report_days import case_row
from socialcare.app.action_links import Confirmation
from socialcare.app.publish_links import PublishForm
from socialcare.config.loaders import routing_config
from socialcare.domain.action_links import ActionChoice
from socialcare.domain.case_facts import case_facts
from socialcare.domain.cases import CaseAuthor, TriageRecord
from socialcare.domain.emails import Email
from socialcare.domain.outbound import OutboundKind
from socialcare.presentation.action_pages import page_for
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.publish_pages import publish_page_for
from socialcare.presentation.report_files import csv_row
from tests.action_link_fakes import a_link
from tests.conftest import NOW
from tests.fakes import a_case
from tests.unit.test_workflow_steps import a_plan

ROUTING = routing_config()
# Unicode TR9's explicit embeddings, overrides and isolates: the Trojan Source set.
REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Implicit marks and characters that show nothing (ZWSP, ZWNJ, WJ, BOM, soft hyphen,
# invisible operators, Mongolian vowel separator, a tag letter, interlinear annotation).
HIDDEN = "\u200e\u200f\u061c\u200b\u200c\u2060\ufeff\u00ad\u2061\u180e\U000e0041\ufff9"
CONTROLS = set(REORDERING + HIDDEN)
EMOJI = "👩\u200d💻 🏳\ufe0f\u200d🌈 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
TEXT = f"Pago\u202e 0001 recibo{HIDDEN} {REORDERING} {EMOJI}"


def a_tricky_case():
    return a_case(
        author=CaseAuthor(id="42", handle="ana", display_name="Ana\u202e\u200b", followers=12),
        texts=(TEXT,),
        triage=TriageRecord(
            category="complaint",
            relation="customer",
            priority="P2",
            public_reply="Hola, te escribimos por privado.",
            private_reply="Hola, ¿nos dejas tu póliza?",
        ),
    )


def controls_in(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c in CONTROLS]


def emails_of(case) -> dict[str, Email]:
    composer = CaseEmailComposer(ROUTING, "https://api.example")
    return {
        "derivation": composer.derivation(case, a_plan(), "A" * 32, "es"),
        "social_copy": composer.social_team_copy(case, a_plan(), "A" * 32),
        "urgent": composer.urgent(case),
        "digest": composer.autonomous_digest([case, replace(case, id="20261124-fedcba9876543210")]),
    }


@pytest.mark.parametrize("name", ["derivation", "social_copy", "urgent", "digest"])
def test_no_email_carries_a_control_that_reorders_or_hides_text(name):
    # Given a customer whose name and message carry every such control, and emoji
    case = a_tricky_case()
    # When the email is composed
    email = emails_of(case)[name]
    # Then no part carries one; those that reorder show where they were; emoji stay whole
    for part in (email.subject, email.text, email.html):
        assert controls_in(part) == []
    for part in (email.text, email.html):
        assert "Pago[U+202E] 0001 recibo" in part
        assert "Ana[U+202E]" in part
        assert EMOJI in part
    # And what the customer wrote is kept as written
    assert case.texts == (TEXT,) and case.author.display_name == "Ana\u202e\u200b"


def test_no_page_carries_a_control_that_reorders_or_hides_text():
    # Given the action page and the publish form of that customer's case
    case = a_tricky_case()
    confirm = page_for(Confirmation(a_link(), case, "es", ActionChoice.RESOLVED), ROUTING)
    publish = publish_page_for(
        PublishForm(
            case,
            f"{case.id}.{'k' * 32}",
            "C" * 32,
            case.triage.public_reply,
            case.triage.private_reply,
            OutboundKind.PRIVATE_REPLY,
            "es",
        ),
        ROUTING,
    )
    # Then neither carries one
    for page in (confirm, publish):
        assert controls_in(page.html) == []
        assert "Pago[U+202E] 0001 recibo" in page.html and EMOJI in page.html


def test_an_email_subject_never_carries_one():
    email = Email("Caso \u202egnp.exe\u200b", "texto \u2066", "<p>x\u2069</p>")
    assert email.subject == "Caso [U+202E]gnp.exe"
    assert (email.text, email.html) == ("texto [U+2066]", "<p>x[U+2069]</p>")


def test_a_cases_csv_cell_never_carries_one():
    # Given a case whose author's name starts with an override
    item = {
        "id": "20261124-0123456789abcdef",
        "created_at": "2026-11-24T09:00:00Z",
        "channel": "x_mention",
        "status": "resolved",
        "author": {"display_name": "\u202eAna \u200bLópez"},
    }
    # When its row of cases.csv is written
    case = case_row(item)
    row = csv_row(case, case_facts(case, ROUTING.report_calendar(), NOW))
    # Then no cell carries one
    assert [c for c in row if isinstance(c, str) and controls_in(c)] == []
    assert "[U+202E]" in row[3]


# Letters and symbols that show nothing (Hangul fillers, a blank braille cell, a null
# notehead): a name of them reads as no name at all.
BLANK = "\u3164\u115f\u1160\uffa0\u2800\U0001d159"


def blanks_in(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c in BLANK]


@pytest.mark.parametrize("name", ["derivation", "social_copy", "urgent", "digest"])
def test_no_email_carries_a_letter_that_shows_nothing(name):
    # Given a customer named with Hangul fillers and a blank braille cell, who wrote them
    case = replace(
        a_tricky_case(),
        author=CaseAuthor(id="42", display_name="\u3164\u3164 \u2800"),
        texts=("Hola\u3164\u115f\u1160\uffa0\u2800\U0001d159 recibo",),
    )
    # When the email is composed
    email = emails_of(case)[name]
    # Then no part carries one: each shows as a marker
    for part in (email.subject, email.text, email.html):
        assert blanks_in(part) == []
    assert "Hola[U+3164][U+115F][U+1160][U+FFA0][U+2800][U+1D159] recibo" in email.text


def test_a_cases_csv_initial_is_never_a_letter_that_shows_nothing():
    # Given a case whose author's name is two Hangul fillers and a blank braille cell
    item = {
        "id": "20261124-0123456789abcdef",
        "created_at": "2026-11-24T09:00:00Z",
        "channel": "telegram",
        "status": "resolved",
        "author": {"display_name": "\u3164\u3164 \u2800"},
    }
    # When its row of cases.csv is written
    case = case_row(item)
    row = csv_row(case, case_facts(case, ROUTING.report_calendar(), NOW))
    # Then its initials show what they are
    assert [c for c in row if isinstance(c, str) and blanks_in(c)] == []
    assert row[3] == "[U+3164]. [U+2800]."


def test_the_templates_the_layer_ships_compiled_make_controls_inert_too(tmp_path, monkeypatch):
    # Given the templates compiled as the layer's build compiles them
    import subprocess
    import sys

    from socialcare.presentation import rendering

    target = tmp_path / "templates_compiled"
    subprocess.run(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-m", "socialcare.presentation.rendering", str(target)], check=True
    )
    monkeypatch.setattr(rendering, "COMPILED", target)
    rendering.environment.cache_clear()
    try:
        # When a page is rendered from them
        case = a_tricky_case()
        html = page_for(Confirmation(a_link(), case, "es", ActionChoice.RESOLVED), ROUTING).html
    finally:
        rendering.environment.cache_clear()
    # Then it carries no control either
    assert controls_in(html) == [] and "Pago[U+202E] 0001 recibo" in html
