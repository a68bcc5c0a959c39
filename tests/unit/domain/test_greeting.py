"""Whom the brand greets by name: a customer chooses their display name, so only a plain
name (letters, marks, spaces, an apostrophe or hyphen inside a word, at most 40
characters) is ever said; anything else greets without a name."""

from __future__ import annotations

import unicodedata

import pytest

from socialcare.domain.greeting import MAX_NAME, greeting_name


@pytest.mark.parametrize(
    ("display_name", "said"),
    [
        ("Lucía Fernández", "Lucía"),
        ("  Lucía  ", "Lucía"),
        (unicodedata.normalize("NFD", "José Pérez"), "José"),  # combining accents
        ("O'Neill", "O'Neill"),
        ("D\u2019Angelo Rossi", "D\u2019Angelo"),
        ("Ana-María López", "Ana-María"),
        ("Σωκράτης Παππάς", "Σωκράτης"),
        ("Nguyễn Văn An", "Nguyễn"),
        ("محمد علي", "محمد"),
        ("山田\u3000太郎", "山田"),  # an ideographic space between the names
        ("देवनागरी नाम", "देवनागरी"),  # vowel signs are marks
        ("A" * MAX_NAME, "A" * MAX_NAME),
        ("Ẹ\u0301mí", "Ẹ\u0301mí"),  # Yoruba: a dot below and a tone, no precomposed form
        ("क़ों", "क़ों"),  # a consonant with nukta, a vowel sign and a nasal sign
        ("བསྒྲུབས", "བསྒྲུབས"),  # Tibetan: two subjoined letters and a vowel on one
        ("שָׁלוֹם", "שָׁלוֹם"),  # Hebrew with its points: a letter, its dot and vowel
    ],
)
def test_a_plain_name_is_greeted_by_its_first_word(display_name, said):
    assert greeting_name(display_name) == unicodedata.normalize("NFC", said)


@pytest.mark.parametrize(
    "display_name",
    [
        None,
        "",
        "   ",
        "@third_party",
        "Ana @third_party",
        "\uff20third_party",  # a full-width at sign: X links it as a mention too
        "#tag",
        "Ana #tag",
        "https://x.y",
        "x.y",
        "ana.garcia",
        "Ana\u202eevil",  # a bidi override
        "Ana\u200bMaría",  # a zero-width space
        "\u3164",  # a Hangul filler: a "letter" nobody sees
        "Ana\u034f",  # a combining grapheme joiner: a mark nobody sees
        "A" * (MAX_NAME + 1),
        "Ana " + "b" * 60,
        "Ana 🌸",
        "ana_99",
        "R2D2",
        "Ana\nMaría",
        "<b>Ana</b>",
        "-Ana",
        "Ana-",
        "'Ana",
        "O''Neill",
        "Ana--María",
        "Ana - María",
        "\u0301Ana",  # a mark with no letter to sit on
        "A" + "\u0301" * 30,  # zalgo: a letter buried under marks
        "A" + "\u0300\u0301\u0302\u0303\u0304\u0306",  # NFC leaves five marks on the À
        "Ana" + "\u0308\u0308",  # the same mark twice
    ],
)
def test_anything_but_a_plain_name_is_not_said(display_name):
    assert greeting_name(display_name) is None
