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
- Kept: a ZWJ between emoji (👩‍💻, 🏳️‍🌈: UTS #51 ZWJ sequences), and the tags of an
  emoji tag sequence (the flags of England, Scotland, Wales: UTS #51 §2.4).
"""

from __future__ import annotations

import re
import unicodedata

_REORDERING = "\u202a-\u202e\u2066-\u2069"
_HIDING = (
    "\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2065\u206a-\u206f\ufeff\ufff0-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_ZWJ = "\u200d"
_INERT = re.compile(
    "(?P<flag>\U0001f3f4[\U000e0020-\U000e007e]{1,32}\U000e007f)"  # kept whole
    f"|(?P<reordering>[{_REORDERING}])"
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
