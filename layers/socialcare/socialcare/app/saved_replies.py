"""The saved replies (the *argumentario*): read and searched by every console role,
created, edited and retired by community managers (the routes check who), each change a
version with who, when and what. An edit names the version it started from: two people
editing at once never overwrite each other (the second is told and shown the new one)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.greeting import greeting_name
from socialcare.domain.saved_replies import (
    SAVED_REPLY_ID,
    CaseValues,
    Filled,
    SavedReply,
    SavedReplyFields,
    SavedReplySearch,
    SavedReplyVersion,
    UnknownVariables,
    changed_fields,
    cleaned,
    filled,
    problems,
    reply_id_for,
    search,
)

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_audit import ConsoleAudit
    from socialcare.ports.saved_replies import SavedReplyStore


@dataclass
class SavedReplyDependencies:
    store: SavedReplyStore
    cases: CaseReader
    clock: Clock
    # Department key -> its name, for {departamento} (routing.yaml's).
    department_names: Mapping[str, str] = field(default_factory=dict)
    audit: ConsoleAudit | None = None


@dataclass(frozen=True)
class Saved:
    reply: SavedReply


@dataclass(frozen=True)
class SavedReplyRefused:
    problems: tuple[str, ...]


@dataclass(frozen=True)
class SavedReplyNotFound:
    reply_id: str


@dataclass(frozen=True)
class EditedMeanwhile:
    """Someone saved a newer version first: nothing was overwritten."""

    current: SavedReply


SaveOutcome = Saved | SavedReplyRefused | SavedReplyNotFound | EditedMeanwhile


def find(query: SavedReplySearch, deps: SavedReplyDependencies) -> list[SavedReply]:
    """A few hundred to a few thousand replies: read whole, searched here."""
    return search(deps.store.all(), query)


def saved_reply(reply_id: str, deps: SavedReplyDependencies) -> SavedReply | None:
    return deps.store.reply(reply_id) if SAVED_REPLY_ID.fullmatch(reply_id) else None


def history(reply_id: str, deps: SavedReplyDependencies) -> list[SavedReplyVersion]:
    return deps.store.history(reply_id) if SAVED_REPLY_ID.fullmatch(reply_id) else []


def create(
    fields: SavedReplyFields, by: str, deps: SavedReplyDependencies, reply_id: str | None = None
) -> SaveOutcome:
    fields = cleaned(fields)
    found = problems(fields)
    if found:
        return SavedReplyRefused(tuple(found))
    if reply_id is None:
        reply_id = reply_id_for(fields.title, (r.id for r in deps.store.all()))
    if not SAVED_REPLY_ID.fullmatch(reply_id):
        return SavedReplyRefused(("id: lower-case letters, digits and dashes",))
    at = utc_iso(deps.clock())
    reply = SavedReply(reply_id, fields, 1, by, at)
    version = SavedReplyVersion(reply_id, 1, by, at, ("created",), fields)
    if not deps.store.save(reply, version, None):
        current = deps.store.reply(reply_id)
        return EditedMeanwhile(current) if current else SavedReplyNotFound(reply_id)
    _audit(deps, by, "saved_reply_created", reply_id)
    return Saved(reply)


def edit(
    reply_id: str,
    fields: SavedReplyFields,
    by: str,
    started_from: int,
    deps: SavedReplyDependencies,
) -> SaveOutcome:
    current = saved_reply(reply_id, deps)
    if current is None:
        return SavedReplyNotFound(reply_id)
    fields = cleaned(fields)
    found = problems(fields)
    if found:
        return SavedReplyRefused(tuple(found))
    if current.version != started_from:
        return EditedMeanwhile(current)
    changed = changed_fields(current.fields, fields)
    if not changed:
        return Saved(current)  # nothing to keep a version of
    return _save(current, replace(current, fields=fields), changed, by, deps)


def retire(
    reply_id: str, by: str, started_from: int, deps: SavedReplyDependencies, *, back: bool = False
) -> SaveOutcome:
    """Out of the lists (kept with its history); `back`: into them again."""
    current = saved_reply(reply_id, deps)
    if current is None:
        return SavedReplyNotFound(reply_id)
    if current.version != started_from:
        return EditedMeanwhile(current)
    if current.retired != back:
        return Saved(current)
    change = "restored" if back else "retired"
    return _save(current, replace(current, retired=not back), (change,), by, deps)


def _save(
    current: SavedReply,
    new: SavedReply,
    changed: tuple[str, ...],
    by: str,
    deps: SavedReplyDependencies,
) -> SaveOutcome:
    at = utc_iso(deps.clock())
    new = replace(new, version=current.version + 1, updated_by=by, updated_at=at)
    version = SavedReplyVersion(
        new.id, new.version, by, at, changed, new.fields, retired=new.retired
    )
    if not deps.store.save(new, version, current.version):
        latest = deps.store.reply(current.id)
        return EditedMeanwhile(latest) if latest else SavedReplyNotFound(current.id)
    _audit(deps, by, "saved_reply_changed", new.id, ",".join(changed))
    return Saved(new)


def for_case(
    reply_id: str, case_id: str, language: str, deps: SavedReplyDependencies
) -> Filled | UnknownVariables | SavedReplyNotFound:
    """The reply's text in `language`, its variables filled from the case."""
    reply = saved_reply(reply_id, deps)
    case = deps.cases.case(case_id)
    text = reply.text(language) if reply else None
    if reply is None or case is None or text is None:
        return SavedReplyNotFound(reply_id)
    department = case.route[-1].department if case.route else ""
    values = CaseValues(
        name=greeting_name(case.author.display_name) or "",
        case=case.id,
        department=deps.department_names.get(department, department),
    )
    return filled(text, values)


def _audit(
    deps: SavedReplyDependencies, who: str, action: str, reply_id: str, detail: str = ""
) -> None:
    if deps.audit is not None:
        at = utc_iso(deps.clock())
        deps.audit.record(AuditEntry(who, action, at, detail=f"{reply_id} {detail}".strip()))


SEED_AUTHOR = "socialcare (seed)"


def seed(entries: Mapping[str, SavedReplyFields], deps: SavedReplyDependencies) -> list[str]:
    """The saved replies a stack does not have yet (by id), as config/saved_replies.yaml
    gives them; the ids created. Never overwrites what community managers edited."""
    have = {reply.id for reply in deps.store.all()}
    created = []
    for reply_id, fields in entries.items():
        if reply_id not in have and isinstance(create(fields, SEED_AUTHOR, deps, reply_id), Saved):
            created.append(reply_id)
    return created
