"""Triage on labelled messages: category accuracy and flag recall, both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category, Relation, Sentiment
from socialcare_cli.triage_cli import TriageDesk

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def labelled(name: str) -> list[dict]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def triager() -> TriageDesk:
    return TriageDesk()


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


HOLDOUT = Path(__file__).resolve().parents[3] / "triage" / "holdout"
HELD_OUT_SETS = sorted(HOLDOUT.glob("*.jsonl"))


@pytest.fixture(scope="module")
def held_out(triager) -> dict[str, list[tuple[dict, dict]]]:
    """Each held-out set's (result, expected) pairs."""
    pairs = {}
    for path in HELD_OUT_SETS:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        pairs[path.name] = [(triager.triage_line(row), row["expect"]) for row in rows]
    return pairs


def test_the_goals_hold_on_the_held_out_messages(held_out):
    # Given every message written apart from the training corpus (ten industries, both
    # languages; README: "The corpus and the held-out sets")
    pairs = [pair for rows in held_out.values() for pair in rows]
    assert len(pairs) >= 600
    # Then category and sentiment are right as often as the goals ask
    assert sum(r["category"] == e["category"] for r, e in pairs) / len(pairs) >= 0.92
    assert sum(r["sentiment"] == e["sentiment"] for r, e in pairs) / len(pairs) >= 0.85
    # And the flags reach their recall and precision goals
    for flag, recall, precision in (
        ("authority_mentioned", 1.0, 0.95),
        ("personal_data_exposed", 1.0, 0.95),
        ("urgent", 0.9, 0.8),
    ):
        found = sum(r[flag] and e[flag] for r, e in pairs)
        assert found >= recall * sum(e[flag] for _, e in pairs), f"{flag}: recall"
        assert found >= precision * sum(r[flag] for r, _ in pairs), f"{flag}: precision"


@pytest.mark.parametrize("name", [path.name for path in HELD_OUT_SETS])
def test_no_held_out_set_falls_below_its_floor(held_out, name):
    # The hardest sets sit below the pooled goal (README); none may slip further.
    pairs = held_out[name]
    assert sum(r["category"] == e["category"] for r, e in pairs) / len(pairs) >= 0.85
    assert all(r["authority_mentioned"] for r, e in pairs if e["authority_mentioned"])


INDEPENDENT_SETS = sorted((HOLDOUT / "independent").glob("*.jsonl"))


@pytest.mark.parametrize("path", INDEPENDENT_SETS, ids=lambda path: path.name)
def test_the_sets_by_other_hands_keep_their_floor(triager, path):
    # Given a set written by a writer who never saw the corpus, never trained on nor tuned
    # with (README: "Two sets by other hands"; issue 34's goals are above this floor)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [(triager.triage_line(row), row["expect"]) for row in rows]
    # Then triage does not fall below what it scored when this floor was set
    assert len(pairs) >= 120
    assert sum(r["category"] == e["category"] for r, e in pairs) / len(pairs) >= 0.80
    assert all(r["personal_data_exposed"] for r, e in pairs if e["personal_data_exposed"])


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
