"""Saved replies: the protocol's *argumentario*, prepared answers the social team starts
from (then makes their own, so they do not sound canned). Each has a text per language,
variables filled from the case, tags, and a mark when the crisis managers approved it;
every change keeps a version (who, when, what). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from socialcare.domain.text_model import normalise

LANGUAGES = ("es", "en")
MAX_TITLE = 120
MAX_TEXT = 4096  # a reply's longest (app/publish_links.py)
MAX_TAGS = 10
MAX_TAG = 40
# A saved reply's id: made from its title once, never changed (links and history use it).
SAVED_REPLY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
VARIABLE = re.compile(r"\{([^{}\s]{1,40})\}")
# What a variable may say, in each language's word: the case's.
VARIABLES = {
    "nombre": "name",
    "name": "name",
    "caso": "case",
    "case": "case",
    "departamento": "department",
    "department": "department",
}


@dataclass(frozen=True)
class SavedReplyFields:
    """What a community manager writes; `texts`: language -> text (one at least)."""

    title: str
    texts: Mapping[str, str]
    tags: tuple[str, ...] = ()
    crisis_approved: bool = False


@dataclass(frozen=True)
class SavedReply:
    id: str
    fields: SavedReplyFields
    version: int  # 1 when created, one more per change
    updated_by: str
    updated_at: str  # UTC ISO
    retired: bool = False

    @property
    def title(self) -> str:
        return self.fields.title

    def text(self, language: str) -> str | None:
        return self.fields.texts.get(language)


@dataclass(frozen=True)
class SavedReplyVersion:
    """One change: who, when, which fields it changed (`created`, `retired`, or names)."""

    reply_id: str
    version: int
    by: str
    at: str
    changed: tuple[str, ...]
    fields: SavedReplyFields
    retired: bool = False


def problems(fields: SavedReplyFields) -> list[str]:
    """What is wrong with what was written, one short line each (empty: none)."""
    found: list[str] = []
    if not fields.title.strip():
        found.append("title: is empty")
    if len(fields.title) > MAX_TITLE:
        found.append(f"title: at most {MAX_TITLE} characters")
    texts = {k: v for k, v in fields.texts.items() if v.strip()}
    if not texts:
        found.append("texts: write it in one language at least")
    for language, text in texts.items():
        if language not in LANGUAGES:
            found.append(f"texts.{language}: not a language the console speaks")
        if len(text) > MAX_TEXT:
            found.append(f"texts.{language}: at most {MAX_TEXT} characters")
        unknown = unknown_variables(text)
        if unknown:
            names = ", ".join("{" + name + "}" for name in unknown)
            found.append(f"texts.{language}: unknown variables {names}")
    if len(fields.tags) > MAX_TAGS:
        found.append(f"tags: at most {MAX_TAGS}")
    if any(not tag or len(tag) > MAX_TAG for tag in fields.tags):
        found.append(f"tags: each of 1 to {MAX_TAG} characters")
    return found


def cleaned(fields: SavedReplyFields) -> SavedReplyFields:
    """Spaces trimmed, empty languages dropped, tags lower case, once each."""
    tags = dict.fromkeys(t.strip().lower() for t in fields.tags if t.strip())
    return SavedReplyFields(
        title=fields.title.strip(),
        texts={k: v.strip() for k, v in sorted(fields.texts.items()) if v.strip()},
        tags=tuple(tags),
        crisis_approved=fields.crisis_approved,
    )


def reply_id_for(title: str, taken: Iterable[str]) -> str:
    """A short id from the title ("Horario de atención" -> "horario-de-atencion"),
    numbered when taken."""
    base = re.sub(r"[^a-z0-9]+", "-", normalise(title)).strip("-")[:50] or "reply"
    used = set(taken)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def changed_fields(before: SavedReplyFields, after: SavedReplyFields) -> tuple[str, ...]:
    names: list[str] = []
    if before.title != after.title:
        names.append("title")
    for language in sorted(set(before.texts) | set(after.texts)):
        if before.texts.get(language) != after.texts.get(language):
            names.append(f"text.{language}")
    if before.tags != after.tags:
        names.append("tags")
    if before.crisis_approved != after.crisis_approved:
        names.append("crisis_approved")
    return tuple(names)


def unknown_variables(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in VARIABLE.findall(text) if name not in VARIABLES))


@dataclass(frozen=True)
class CaseValues:
    """What variables say of a case: the author's first name (empty when unknown), the
    case id, the department that has it (its name; empty when none)."""

    name: str = ""
    case: str = ""
    department: str = ""


@dataclass(frozen=True)
class Filled:
    text: str


@dataclass(frozen=True)
class UnknownVariables:
    names: tuple[str, ...]


def filled(text: str, values: CaseValues) -> Filled | UnknownVariables:
    """Each {variable} replaced by the case's value; an unknown one refuses the whole."""
    unknown = unknown_variables(text)
    if unknown:
        return UnknownVariables(unknown)
    said = {"name": values.name, "case": values.case, "department": values.department}
    words = VARIABLE.sub(lambda m: said[VARIABLES[m[1]]], text)
    # A name left empty must not leave "Hola , " behind.
    return Filled(re.sub(r"[ \t]+([,.:;!?])", r"\1", re.sub(r"[ \t]{2,}", " ", words)))


@dataclass(frozen=True)
class SavedReplySearch:
    words: str = ""
    language: str | None = None  # only replies written in it
    tag: str | None = None
    crisis_only: bool = False
    retired: bool = False  # the retired ones instead of the live ones
    terms: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", tuple(normalise(self.words).split()))


def search(replies: Iterable[SavedReply], query: SavedReplySearch) -> list[SavedReply]:
    """Every word of the query in the title, a text or the tags (accents and capitals
    aside); crisis-approved first, then by title."""
    found = [r for r in replies if _matches(r, query)]
    return sorted(found, key=lambda r: (not r.fields.crisis_approved, normalise(r.title)))


def _matches(reply: SavedReply, query: SavedReplySearch) -> bool:
    if reply.retired != query.retired:
        return False
    if query.language and query.language not in reply.fields.texts:
        return False
    if query.tag and query.tag.lower() not in reply.fields.tags:
        return False
    if query.crisis_only and not reply.fields.crisis_approved:
        return False
    where = normalise(" ".join((reply.title, *reply.fields.texts.values(), *reply.fields.tags)))
    return all(term in where for term in query.terms)
