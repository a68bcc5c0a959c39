"""Search over the customers' messages of the last 90 days: the words a message is indexed
under and the words a search asks for, normalised the same way (lower case, accents folded,
Spanish and English stop words dropped, 3 characters or more), and the search's plan (which
word's postings to read, which words the cases found must also hold). Pure: the index's
keys and reads are the adapter's (adapters/dynamodb/search_index.py)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

SEARCH_WINDOW = timedelta(days=90)
MIN_WORD = 3
# A longer "word" is a link, a token or a hash: nobody searches it by hand.
MAX_WORD = 40
WORDS_PER_MESSAGE = 40  # the first 40 distinct words of a message: its index writes' cap
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200
SEARCH_CASES = 100  # the newest cases holding the plan's first word, at most
_WORD = re.compile(r"[^\W_]+")

# The most frequent words of 3+ characters of Spanish and English: in nearly every message,
# they would find everything and write the hottest keys.
_SPANISH = """
las los del una uno unos unas por con para que como mas pero sus les este esta esto estos
estas ese esa eso esos esas ella ellos ellas nos ser son fue era muy sin sobre tambien hay
han has hemos porque cuando donde quien todo toda todos todas desde hasta entre tiene tengo
tienen estoy estan vez aqui alli asi bien otra otro otros
"""
_ENGLISH = """
the and for are but not you your with this that have has had was were from they them their
there what which who will would can could our out all any been its his her she him about
into than then just also more some such only when where how why very
"""
STOP_WORDS = frozenset(_SPANISH.split()) | frozenset(_ENGLISH.split())


class BadSearch(ValueError):
    """A search with nothing to look for (its words say why)."""


def fold(text: str) -> str:
    """Lower case without accents: «Devolución» and «devolucion» are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str, limit: int | None = None) -> tuple[str, ...]:
    """The distinct searchable words of `text`, in the order they first appear."""
    found: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if MIN_WORD <= len(word) <= MAX_WORD and word not in STOP_WORDS:
            found.setdefault(word)
            if limit is not None and len(found) >= limit:
                break
    return tuple(found)


def message_words(text: str) -> tuple[str, ...]:
    """What a customer message is indexed under (at most WORDS_PER_MESSAGE words)."""
    return words_of(text, WORDS_PER_MESSAGE)


def index_expiry(sent_at: datetime) -> int:
    """The index entry's TTL (epoch seconds): the message leaves the search window."""
    return int((sent_at + SEARCH_WINDOW).timestamp())


@dataclass(frozen=True)
class SearchPlan:
    """`first`: the word whose postings are read (the rarest-looking: the longest, as long
    words are rarer); `others`: the words each case found must also hold."""

    first: str
    others: tuple[str, ...]
    since: datetime  # the oldest message the search reaches

    def matches(self, texts: Iterable[str]) -> bool:
        """Whether a case's messages hold every other word of the search."""
        held: set[str] = set()
        for text in texts:
            held.update(words_of(text))
        return all(word in held for word in self.others)


def plan_search(query: str, now: datetime) -> SearchPlan:
    """BadSearch when the query is too long or has no word to look for."""
    if len(query) > MAX_QUERY_LENGTH:
        raise BadSearch(f"a search has at most {MAX_QUERY_LENGTH} characters")
    wanted = words_of(query)
    if not wanted:
        raise BadSearch(
            f"a search needs a word of {MIN_WORD} or more characters that is not as common"
            " as «para» or «the»"
        )
    if len(wanted) > MAX_QUERY_WORDS:
        raise BadSearch(f"a search has at most {MAX_QUERY_WORDS} words")
    first = max(wanted, key=lambda word: (len(word), word))
    others = tuple(word for word in wanted if word != first)
    return SearchPlan(first, others, now - SEARCH_WINDOW)


def newest_cases(postings: Iterable[tuple[str, str]], limit: int) -> list[str]:
    """Distinct case ids of (sent_at, case id) postings, the newest message first."""
    ordered = sorted(postings, reverse=True)
    return list(dict.fromkeys(case_id for _, case_id in ordered))[:limit]
