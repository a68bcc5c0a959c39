"""A person's rights over their data: who they are on a platform, what the stack holds
about them (by kind), and what an erasure leaves behind (an audit without them)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from socialcare.domain.case_rows import CaseRow
from socialcare.domain.cases import handle_key
from socialcare.domain.messages import Platform

# Platform ids are digits (Meta, X, Telegram, WhatsApp numbers) or short opaque tokens:
# a WhatsApp business-scoped id is a country, ".ENT" for a parent one, and up to 128
# letters and digits (https://developers.facebook.com/documentation/business-messaging/
# whatsapp/business-scoped-user-ids/). Nothing else is looked up.
_AUTHOR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,159}")
# A phone as people write it ("+34 600 11 12 22", "(+34) 600.11.12.22", "0034 600 ..."):
# WhatsApp's wa_id is its digits from the country code on, so the international prefix
# most countries dial, 00, goes (no country code begins with 0: ITU-T E.164).
_WRITTEN_PHONE = re.compile(r"[(+]{0,2}[0-9][0-9 ().-]{5,30}")
_INTERNATIONAL_PREFIX = "00"
# What an erased case's id becomes where a report named it.
ERASED = "erased"


class PersonInvalid(ValueError):
    pass


def _platform(name: str) -> Platform:
    try:
        return Platform(name)
    except ValueError:
        names = ", ".join(p.value for p in Platform)
        raise PersonInvalid(f"unknown platform {name!r} (one of {names})") from None


@dataclass(frozen=True, order=True)
class Person:
    """One identity of a person: a platform and the author id it gives them."""

    platform: Platform
    author_id: str

    @classmethod
    def of(cls, platform: str, author_id: str) -> Person:
        known = _platform(platform)
        if known is Platform.WHATSAPP and _WRITTEN_PHONE.fullmatch(author_id):
            author_id = re.sub(r"[^0-9]", "", author_id).removeprefix(_INTERNATIONAL_PREFIX)
        if _AUTHOR_ID.fullmatch(author_id) is None:
            raise PersonInvalid(f"not a platform author id: {author_id[:40]!r}")
        return cls(known, author_id)

    @classmethod
    def from_customer_key(cls, key: str) -> Person:
        """The customers table's key, `<platform>#<author id>`."""
        platform, separator, author_id = key.partition("#")
        if not separator:
            raise PersonInvalid(f"not a customer key (<platform>#<author id>): {key[:40]!r}")
        return cls.of(platform, author_id)

    @property
    def key(self) -> str:
        return f"{self.platform.value}#{self.author_id}"


@dataclass(frozen=True, order=True)
class Handle:
    """A username on a platform. Alone it does not say who: it is someone's only while
    they keep it. WhatsApp users "are able to change them periodically" while their
    business-scoped id stays (Meta's business-scoped user ids page); a username given up
    can be taken by another account (X's terms even let X reassign one). Who holds it
    today need not be who wrote with it, so an export or an erasure by it could reach
    another person's cases. It leads to the platform ids that wrote with it; those find,
    export and erase."""

    platform: Platform
    name: str  # without "@", lower case: usernames are case-insensitive

    @classmethod
    def of(cls, platform: str, name: str) -> Handle:
        known = _platform(platform)
        key = handle_key(known.value, name)
        if key is None:
            raise PersonInvalid(f"not a username: {name[:40]!r}")
        return cls(known, key.partition("@")[2])

    @classmethod
    def from_key(cls, key: str) -> Handle:
        """`<platform>#<username>`, as the command line takes it."""
        platform, separator, name = key.partition("#")
        if not separator:
            raise PersonInvalid(f"not a handle (<platform>#<username>): {key[:40]!r}")
        return cls.of(platform, name)

    @property
    def key(self) -> str:
        return f"{self.platform.value}@{self.name}"


@dataclass(frozen=True)
class HandleUse:
    """A platform id that wrote under a handle: in how many cases, from when to when."""

    handle: Handle
    person: Person
    cases: int
    first_day: str
    last_day: str


class HoldingKind(StrEnum):
    """Everything the stack may hold about a person, in the order find prints it."""

    CASE = "cases"
    MESSAGE = "messages"
    TIMELINE_ENTRY = "timeline entries"
    IDENTITY = "person-index entries"
    ACTION_LINK = "action links"
    OUTBOUND_MESSAGE = "outbound messages"
    UNCERTAIN_SEND = "uncertain-send notices"
    LOW_SCORE = "low-score alerts"
    DEDUP_RECORD = "duplicate-detection records"
    CRISIS_ITEM = "crisis-window items"
    # Digests of a message's words and the case id (the search index): erased with the
    # case, never exported (they say nothing the messages do not).
    SEARCH_INDEX_ENTRY = "search index entries"
    OPEN_CASE_POINTER = "open-case pointers"
    CUSTOMER_ENTRY = "customers table entries"
    PARKED_DELIVERY = "parked deliveries"
    REPORT_FILE = "report files"


@dataclass(frozen=True)
class Held:
    """One stored item about the person: its kind, the case it belongs to, where it is
    (`ref`, for the store that holds it) and what it says (for an export); a case's
    reporting row too, for the figures its erasure keeps."""

    kind: HoldingKind
    case_id: str | None
    ref: Any
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    row: CaseRow | None = field(default=None, compare=False)  # a case's: what reports read


@dataclass(frozen=True)
class PersonalData:
    people: tuple[Person, ...]  # every id found: those asked for, and their cases' others
    held: tuple[Held, ...]
    asked: tuple[Person, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.held

    def of_kind(self, kind: HoldingKind) -> list[Held]:
        return [item for item in self.held if item.kind is kind]

    def counts(self) -> dict[str, int]:
        """By kind, with the two the protocol names apart: survey answers (on the case)
        and the notes departments wrote through action links."""
        counts = {kind.value: len(self.of_kind(kind)) for kind in HoldingKind}
        counts["survey answers"] = sum(
            1 for case in self.of_kind(HoldingKind.CASE) if case.data.get("survey_score")
        )
        counts["action-link notes"] = sum(
            1 for link in self.of_kind(HoldingKind.ACTION_LINK) if link.data.get("note")
        )
        return {kind: count for kind, count in counts.items() if count}

    def case_ids(self) -> list[str]:
        return sorted({item.case_id for item in self.of_kind(HoldingKind.CASE) if item.case_id})


_AUTHORED = (HoldingKind.CASE, HoldingKind.MESSAGE)


def identities_in(held: Iterable[Held]) -> set[Person]:
    """Every id the authors of these cases and messages were given: author ids and the
    aliases beside them (a WhatsApp phone beside the business-scoped id). Handles are not
    ids (see Handle); authors Meta withheld (`unknown:<message id>`) are no one."""
    held = list(held)
    platforms = {h.case_id: h.data.get("platform") for h in held if h.kind is HoldingKind.CASE}
    found: set[Person] = set()
    for item in held:
        platform = platforms.get(item.case_id)
        author = item.data.get("author") if item.kind in _AUTHORED else None
        if not platform or not isinstance(author, dict):
            continue
        for author_id in [author.get("id"), *(author.get("aliases") or ())]:
            if not isinstance(author_id, str) or author_id.startswith("unknown:"):
                continue
            try:
                found.add(Person.of(str(platform), author_id))
            except PersonInvalid:
                continue
    return found


@dataclass(frozen=True)
class ErasureAudit:
    """What an erasure did, without the person: when, who asked, how many of each."""

    at: str
    actor: str
    counts: dict[str, int]
    request_id: str


# --- parked deliveries ---------------------------------------------------------------------


def redact_delivery(document: Any, ids: frozenset[str]) -> tuple[Any | None, list[Any]]:
    """A platform's delivery without what holds one of `ids`: the innermost list element
    (a messaging event, a WhatsApp message or contact, an X tweet) or map entry keyed by
    an id. The document itself (None) when an id sits outside every list (a Telegram
    update). Returns (what is left, what was taken)."""
    if _holds_directly(document, ids):
        return None, [document]
    return _redact(document, ids)


def _redact(node: Any, ids: frozenset[str]) -> tuple[Any, list[Any]]:
    taken: list[Any] = []
    if isinstance(node, dict):
        kept: dict[str, Any] = {}
        for key, value in node.items():
            if key in ids:
                taken.append({key: value})
                continue
            kept[key], inner = _redact(value, ids)
            taken.extend(inner)
        return kept, taken
    if isinstance(node, list):
        left: list[Any] = []
        for element in node:
            if _holds_directly(element, ids):
                taken.append(element)
                continue
            element, inner = _redact(element, ids)
            taken.extend(inner)
            left.append(element)
        return left, taken
    return node, taken


def _holds_directly(node: Any, ids: frozenset[str]) -> bool:
    """An id in `node` outside any nested list or map entry keyed by an id (those are
    redacted on their own)."""
    if isinstance(node, dict):
        return any(
            not isinstance(v, list) and k not in ids and _holds_directly(v, ids)
            for k, v in node.items()
        )
    if isinstance(node, bool) or node is None or isinstance(node, list):
        return False
    return str(node) in ids
