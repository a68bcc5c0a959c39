"""Making text inert (domain/text_controls.py): what reorders shows a marker, what hides is
dropped, emoji sequences stay whole, plain text is untouched."""

from __future__ import annotations

import pytest

from socialcare.domain.text_controls import neutralise


@pytest.mark.parametrize(
    ("shown", "read"),
    [
        ("Pago\u202e 0001", "Pago[U+202E] 0001"),
        (
            "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069",
            "[U+202A][U+202B][U+202C][U+202D][U+2066][U+2067][U+2068][U+2069]",
        ),
        ("a\u200eb\u200fc\u061cd", "abcd"),  # implicit marks
        ("pay\u200bpal\u2060\ufeff\u00ad\u2061\u180e", "paypal"),
        ("ignore\U000e0069\U000e0067\U000e006e previous", "ignore previous"),  # tags unseen
        ("a\ufff9hidden\ufffbb", "ahiddenb"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645",
        ),  # Persian ZWNJ: dropped
        ("a\u200db", "ab"),  # ZWJ between letters: dropped
        (
            "👩\u200d💻 🏳\ufe0f\u200d🌈 👨🏽\u200d⚕\ufe0f",
            "👩\u200d💻 🏳\ufe0f\u200d🌈 👨🏽\u200d⚕\ufe0f",
        ),
        (
            "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        ),
        ("\u200d👩", "👩"),  # a ZWJ that joins nothing
        ("Lucía Fernández, مرحبا, 山田 ⚕", "Lucía Fernández, مرحبا, 山田 ⚕"),
        # letters and symbols that show nothing: a visible marker where they were
        ("\u3164", "[U+3164]"),
        ("Ana\u3164", "Ana[U+3164]"),
        ("\u115f\u1160\uffa0", "[U+115F][U+1160][U+FFA0]"),
        ("\u2800\u2800", "[U+2800][U+2800]"),
        ("nota\U0001d159", "nota[U+1D159]"),
        # marks that show nothing: dropped
        ("a\u034fb\u17b4\u17b5", "ab"),
        # a blank braille cell between braille words is their space
        ("⠓⠑⠇⠇⠕⠀⠺⠕⠗⠇⠙", "⠓⠑⠇⠇⠕⠀⠺⠕⠗⠇⠙"),
        # Korean, Mongolian with its variation selector, emoji presentation: untouched
        ("항구 ᠠ\u180b 🏳\ufe0f", "항구 ᠠ\u180b 🏳\ufe0f"),
    ],
)
def test_what_reorders_is_marked_what_hides_is_dropped(shown, read):
    assert neutralise(shown) == read
    assert neutralise(read) == read  # once is enough
