"""What the brand may say in public depends on what it did in private. The private reply
goes first; the public reply says "we have written to you privately" only once it went.
When it did not (a window closed, the platform refused it, its fate is unknown), the
public reply says how to reach the brand instead (config/outbound.yaml,
`public_without_private`). The publish page asks the sender's own rule
(outbound_rules.plan_delivery), before «Publicar», what can go now."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from socialcare.domain.greeting import greeting_name
from socialcare.domain.outbound_config import OutboundConfig, is_text_language


class PrivateFate(StrEnum):
    NOT_ASKED = "not_asked"  # no private reply in this publish
    SENT = "sent"  # the customer has it (or, in a dry run, would have)
    NOT_SENT = "not_sent"  # a rule kept it back or the platform refused it
    UNKNOWN = "unknown"  # it may have gone, or may go later: never claimed


def public_words(
    fate: PrivateFate, *, written: str, without_private: str, claims: bool = False
) -> str:
    """The public reply as written only when nothing it may say about a private message
    can be false; else the words that say how to reach the brand. `claims`: the written
    words say a private message went (claims_private)."""
    if fate is PrivateFate.SENT or (fate is PrivateFate.NOT_ASKED and not claims):
        return written
    return without_private


def claims_private(text: str, phrases: Iterable[str]) -> bool:
    """The text says the brand has written to the customer privately (a configured phrase,
    whatever its case, accents or spacing)."""
    said = _plain(text)
    return any(re.search(rf"\b{re.escape(_plain(p))}\b", said) for p in phrases if p.strip())


def _plain(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


def without_private(config: OutboundConfig, language: str | None, author: str | None) -> str:
    """The configured contact path in the customer's language, greeting them by name when
    their display name is a plain one."""
    texts = config.public_without_private
    own = texts.get(language) if is_text_language(language) else None
    text = own or texts.get("es") or next(iter(texts.values()))
    name = greeting_name(author)
    return text.format(name=f" {name}" if name else "")
