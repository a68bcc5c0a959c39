"""The message search's words and plan: what a message is indexed under and what a search
asks for are normalised alike; the plan reads the rarest-looking word first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialcare.domain.message_search import (
    MAX_QUERY_WORDS,
    SEARCH_WINDOW,
    WORDS_PER_MESSAGE,
    BadSearch,
    index_expiry,
    message_words,
    newest_cases,
    plan_search,
    words_of,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_words_are_lower_case_without_accents_stop_words_or_short_ones():
    # Given a message in Spanish with accents, capitals, a stop word and short words
    text = "¡La DEVOLUCIÓN de mi pedido no llegó! Para el 3 de junio, ¿vale? Pedido 4471"
    # When its words are taken
    words = message_words(text)
    # Then they are folded, distinct, in order, without "para", "la", "de", "mi", "no"
    assert words == ("devolucion", "pedido", "llego", "junio", "vale", "4471")


def test_a_message_is_indexed_under_its_first_forty_distinct_words_at_most():
    # Given a message of 60 distinct words
    text = " ".join(f"palabra{n}" for n in range(60))
    # When its words are taken
    words = message_words(text)
    # Then the first 40 are
    assert len(words) == WORDS_PER_MESSAGE
    assert words[0] == "palabra0" and words[-1] == "palabra39"


def test_links_and_tokens_longer_than_forty_characters_are_not_words():
    assert words_of("x" * 41 + " reembolso") == ("reembolso",)


def test_the_plan_reads_the_longest_word_and_checks_the_others():
    # Given a search of three words, one a stop word, with accents
    # When it is planned
    plan = plan_search("Reembolso de la TARJETA crédito", NOW)
    # Then the longest word is read first; the others are checked; 90 days back
    assert plan.first == "reembolso"
    assert plan.others == ("tarjeta", "credito")
    assert plan.since == NOW - SEARCH_WINDOW


def test_a_case_matches_when_its_messages_hold_every_other_word():
    plan = plan_search("reembolso tarjeta", NOW)
    assert plan.matches(["Quiero un reembolso", "Pagué con TARJETA"])
    assert not plan.matches(["Quiero un reembolso en efectivo"])


@pytest.mark.parametrize("query", ["", "de la", "a b c", "para que"])
def test_a_search_without_a_word_to_look_for_is_refused(query):
    with pytest.raises(BadSearch):
        plan_search(query, NOW)


def test_a_search_of_too_many_words_or_characters_is_refused():
    with pytest.raises(BadSearch):
        plan_search(" ".join(f"word{n}" for n in range(MAX_QUERY_WORDS + 1)), NOW)
    with pytest.raises(BadSearch):
        plan_search("x" * 201, NOW)


def test_an_index_entry_expires_ninety_days_after_its_message():
    assert index_expiry(NOW) == int((NOW + timedelta(days=90)).timestamp())


def test_the_newest_cases_come_first_once_each():
    postings = [("2026-12-01T00:00:00Z", "a"), ("2026-12-03T00:00:00Z", "b")]
    postings.append(("2026-12-02T00:00:00Z", "a"))
    assert newest_cases(postings, 10) == ["b", "a"]
    assert newest_cases(postings, 1) == ["b"]
