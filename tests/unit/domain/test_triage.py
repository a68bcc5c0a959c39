"""Triage on labelled messages: category accuracy and flag recall, both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category, Relation, Sentiment
from socialcare.triage_service import Triager

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def labelled(name: str) -> list[dict]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager()


@pytest.mark.parametrize("name", ["triage_dev.jsonl", "triage_extra.jsonl"])
def test_category_accuracy_and_flag_recall_on_labelled_sets(triager, name):
    # Given labelled messages (shared/triage/dev.jsonl, and 194 more written for this)
    rows = labelled(name)
    # When each is triaged
    results = [triager.triage_line(row) for row in rows]
    # Then at least 90% of categories are right and no flag is missed
    correct = sum(
        r["category"] == row["expect"]["category"] for r, row in zip(results, rows, strict=True)
    )
    assert correct / len(rows) >= 0.9
    for flag in ("authority_mentioned", "personal_data_exposed"):
        expected = [row["expect"][flag] for row in rows]
        found = [r[flag] for r in results]
        assert all(f for f, e in zip(found, expected, strict=True) if e), (
            f"{flag}: a mention was missed"
        )
        assert sum(f and not e for f, e in zip(found, expected, strict=True)) <= 1, (
            f"{flag}: false alarms"
        )


@pytest.mark.parametrize(
    "text",
    [
        "Voy a poner una reclamación en la OCU",
        "Lo llevo a FACUA",
        "Pediré la hoja de reclamaciones",
        "He escrito al Defensor del Pueblo",
        "Mi abogado os enviará un burofax",
        "Nos vemos en el juzgado",
        "He presentado queja ante el Banco de España",
        "I'm calling my lawyer",
        "See you in small claims court",
        "Complaint filed with the CFPB",
        "Reported to the Better Business Bureau",
        "I will take legal action",
    ],
)
def test_authority_mentions_in_both_languages(triager, text):
    assert triager.assess(text, Channel.MESSENGER).triage.authority_mentioned


def test_exposed_personal_data_needs_a_public_channel(triager):
    text = "mi DNI es 12345678Z, ¿cuándo viene el técnico?"
    assert triager.assess(text, Channel.FACEBOOK_COMMENT).triage.personal_data_exposed
    private = triager.assess(text, Channel.WHATSAPP).triage
    assert private.personal_data == ("dni",) and not private.personal_data_exposed


def test_language_and_sentiment(triager):
    spanish = triager.assess("Estoy harto, nadie me contesta", Channel.X_MENTION).triage
    english = triager.assess("Thanks a lot, great service!", Channel.X_MENTION).triage
    assert (spanish.language, spanish.sentiment) == ("es", Sentiment.NEGATIVE)
    assert (english.language, english.sentiment) == ("en", Sentiment.POSITIVE)


def test_relation_from_the_message_or_the_customers_table(triager):
    lead = triager.assess("No soy cliente, ¿me hacéis un presupuesto?", Channel.MESSENGER)
    assert (lead.triage.category, lead.triage.relation) == (Category.SALES_LEAD, Relation.LEAD)
    known = triager.assess("Me habéis cobrado dos veces", Channel.MESSENGER, known_customer=True)
    assert known.triage.relation is Relation.CUSTOMER
