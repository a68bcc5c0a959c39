"""Whom the brand greets by name. A display name is whatever its owner typed, and a reply
that repeats it speaks in the brand's voice, in public: "@third_party" would tag someone
else, "#tag" join a campaign, a link advertise. So a name is said only when the whole
display name is a plain name, and then its first word; otherwise the greeting has none
("Hola, ..."), which reads as naturally in every language.

A plain name: at most MAX_NAME characters (after NFC), words of letters (any script) with
their combining marks, separated by spaces; inside a word, one apostrophe or hyphen
between letters (O'Neill, D'Angelo, Ana-María, Jean-Luc: common in Irish, French,
Italian, Spanish and Catalan names, and neither can make a mention, tag, link or markup
on any platform). Digits, dots, @, #, emoji, controls and letters that show nothing
(Hangul fillers, variation selectors: Default_Ignorable_Code_Point in Unicode's
DerivedCoreProperties.txt) make it not a plain name; so do more than MAX_MARKS marks on
one letter, or the same mark twice in a row (a letter buried under marks, "zalgo", spills
over the lines around it). The bound is UTS #39's (§5.4 Optional Detection: "Forbid
sequences of the same nonspacing mark", "Forbid sequences of more than 4 nonspacing
marks", https://www.unicode.org/reports/tr39/#Optional_Detection), applied to every
mark and counted on the canonical decomposition (NFD), so a precomposed letter counts
its own marks ("ä" and another U+0308 is the same mark twice). Real names need fewer:
Vietnamese stacks two ("ệ": e, dot below, circumflex), Yoruba two ("ẹ́"), a Devanagari
syllable up to three (nukta, vowel sign, nasal sign), a Tibetan stack three (two
subjoined letters and a vowel), Hebrew with its points two or three."""

from __future__ import annotations

import unicodedata

MAX_NAME = 40
MAX_MARKS = 4  # on one letter, decomposed
# Apostrophe, U+2019 (the typographic apostrophe), hyphen-minus, U+2010 hyphen.
_INNER = frozenset("'\u2019-\u2010")
# Letters and marks that are Default_Ignorable_Code_Point: a name of them shows nothing.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def greeting_name(display_name: str | None) -> str | None:
    """The first word of a plain name, or None: never anything else."""
    if not display_name:
        return None
    name = unicodedata.normalize("NFC", display_name).strip()
    if not name or len(name) > MAX_NAME:
        return None
    words = "".join(" " if unicodedata.category(c) == "Zs" else c for c in name).split(" ")
    words = [word for word in words if word]
    if not all(_plain_word(unicodedata.normalize("NFD", word)) for word in words):
        return None
    return words[0]


def _plain_word(word: str) -> bool:
    before = ""  # what the previous character was: "" (none), "letter" or "inner"
    marks = ""  # the marks on the current letter
    for character in word:
        if character in _INVISIBLE:
            return False
        kind = unicodedata.category(character)[0]
        if kind == "L":
            before, marks = "letter", ""
        elif kind == "M" and before == "letter":  # a mark sits on a letter
            if len(marks) == MAX_MARKS or marks.endswith(character):
                return False
            marks += character
        elif character in _INNER and before == "letter":
            before = "inner"
        else:
            return False
    return before == "letter"


def greeting_line(opening: str, name: str | None, language: str) -> str:
    """The first line of a reply, as each language writes a greeting: «Hola, Javier:» in
    Spanish (the name a vocative between commas, a colon closing the greeting on its own
    line, the message on the next with a capital: FundéuRAE, https://fundeu.do/?p=3602,
    and the RAE's "dos puntos tras la fórmula de saludo escrita en línea aislada");
    "Hi Javier," in English. Without a name: «Hola:» / "Hi,"."""
    if language == "es":
        return f"{opening}, {name}:" if name else f"{opening}:"
    return f"{opening} {name}," if name else f"{opening},"
