"""Characters that reorder or hide text, made inert wherever people read what customers
wrote: every page and email (presentation.rendering's finalize, the Email type) and
every cell of cases.csv. The stored text keeps them, as the customer wrote it.

- Reordering, shown as a visible marker ("[U+202E]") so the reader sees that something
  was there and where: the explicit directional embeddings, overrides and isolates of
  the Unicode Bidirectional Algorithm (UAX #9, https://unicode.org/reports/tr9/ §2.1-2.4:
  LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI), the nine characters of the Trojan Source
  attacks (Boucher and Anderson, 2021, https://trojansource.codes, CVE-2021-42574).
- Hiding, dropped: the implicit directional marks (UAX #9 §2.6: LRM, RLM, ALM), which
  move neighbouring punctuation; every format character (Cf) that is a
  Default_Ignorable_Code_Point in DerivedCoreProperties.txt, which show nothing: ZWSP,
  ZWNJ, ZWJ, word joiner and invisible operators, BOM, soft hyphen, Mongolian vowel
  separator, the deprecated U+206A-206F, tag characters (ASCII written unseen), the
  shorthand and musical format controls; and the interlinear annotation characters
  U+FFF9-FFFB, which can hide their annotation. A marker for each would clutter
  right-to-left text (keyboards add RLM) and pasted text (ZWSP) for nothing; dropping ZWNJ
  and ZWJ between letters of Persian or Indic words changes a ligature, not what they say.
- Blank, shown as a marker ("[U+3164]"): letters and symbols that take a place but show
  nothing, so a name or message of them reads as none. The Hangul fillers U+115F,
  U+1160, U+3164 and U+FFA0 (letters, yet Default_Ignorable_Code_Point in
  https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt, so
  Identifier_Type Default_Ignorable, restricted, in UTS #39); U+2800 BRAILLE PATTERN
  BLANK, a braille cell with no dots, a symbol ("imaged as a fixed-width blank in many
  fonts, it does not act as a space":
  https://www.unicode.org/Public/UCD/latest/ucd/NamesList.txt);
  U+1D159 MUSICAL SYMBOL NULL NOTEHEAD. These two are the blank symbols of the lists of
  invisible characters people paste as names (https://invisible-characters.com). A
  marker, not a drop: they are not keyboard noise, and the reader should see that a name
  was made of them.
- Dropped with the hiding ones: the marks that are Default_Ignorable_Code_Point and
  select nothing (U+034F COMBINING GRAPHEME JOINER, the Khmer inherent vowels U+17B4 and
  U+17B5, which the Unicode Standard's Khmer section discourages).
- Kept: a ZWJ between emoji (👩‍💻, 🏳️‍🌈: UTS #51 ZWJ sequences), and the tags of an
  emoji tag sequence (the flags of England, Scotland, Wales: UTS #51 §2.4); a blank
  braille cell beside a braille cell with dots (the space between braille words);
  U+FE00-FE0F and Mongolian's free variation selectors (an emoji's presentation, a
  glyph's variant).
"""

from __future__ import annotations

import re
import unicodedata

_REORDERING = "\u202a-\u202e\u2066-\u2069"
_HIDING = (
    "\u00ad\u034f\u061c\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2065\u206a-\u206f"
    "\ufeff\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_BLANK = "\u115f\u1160\u3164\uffa0\u2800\U0001d159"
_ZWJ = "\u200d"
_BRAILLE_BLANK = "\u2800"
_INERT = re.compile(
    "(?P<flag>\U0001f3f4[\U000e0020-\U000e007e]{1,32}\U000e007f)"  # kept whole
    f"|(?P<reordering>[{_REORDERING}])"
    f"|(?P<blank>[{_BLANK}])"
    f"|[{_HIDING}]"
)


def neutralise(text: str) -> str:
    """`text` with nothing that reorders or hides what comes after it."""
    return _INERT.sub(_inert, text)


def _inert(found: re.Match[str]) -> str:
    character = found.group()
    if found.group("flag"):
        return character
    if found.group("reordering"):
        return f"[U+{ord(character):04X}]"
    if found.group("blank"):
        if character == _BRAILLE_BLANK and _beside_braille(found.string, found.start()):
            return character
        return f"[U+{ord(character):04X}]"
    if character == _ZWJ and _between_emoji(found.string, found.start()):
        return character
    return ""


def _between_emoji(text: str, at: int) -> bool:
    """A ZWJ joining emoji: after a symbol, a skin tone or VS16; before a symbol."""
    if at == 0 or at + 1 >= len(text):
        return False
    before, after = text[at - 1], text[at + 1]
    joined = before == "\ufe0f" or unicodedata.category(before) in ("So", "Sk")
    return joined and unicodedata.category(after) == "So"


def _beside_braille(text: str, at: int) -> bool:
    """A blank braille cell next to a braille cell with dots (U+2801-28FF)."""
    return any(0 <= n < len(text) and "\u2801" <= text[n] <= "\u28ff" for n in (at - 1, at + 1))
