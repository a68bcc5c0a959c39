"""`socialcare privacy find|export|erase`: a person's data in a deployed stack (found by
its name, through CloudFormation outputs, with the operator's AWS credentials) or the
local stack (`--local URL` of `socialcare local`). The use case runs here, in the
operator's process: the audit names the caller's identity."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from socialcare.app import privacy
from socialcare.bootstrap import operations
from socialcare.domain.privacy import Handle, HandleUse, Person, PersonalData, PersonInvalid
from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import StackTarget, resolve_stack


class PrivacyCommandFailed(CommandFailed):
    pass


def people_of(arguments: Any) -> tuple[list[Person], list[Handle]]:
    platforms, authors = arguments.platform or [], arguments.author or []
    if len(platforms) != len(authors):
        raise PrivacyCommandFailed("give --platform and --author in pairs, one per identity")
    try:
        people = [Person.of(p, a) for p, a in zip(platforms, authors, strict=True)]
        people += [Person.from_customer_key(key) for key in arguments.customer or []]
        handles = [Handle.from_key(key) for key in getattr(arguments, "handle", None) or []]
    except PersonInvalid as invalid:
        raise PrivacyCommandFailed(str(invalid)) from None
    if not people and not handles:
        raise PrivacyCommandFailed("say who: --platform P --author ID, or --customer KEY")
    if handles and arguments.privacy_command != "find":
        raise PrivacyCommandFailed(
            "a username alone does not say who (it can pass to someone else): "
            "find --handle shows the ids that wrote with it; export or erase by id"
        )
    return people, handles


def main(arguments: Any) -> int:
    if arguments.privacy_command == "index":
        return _index(resolve_stack(arguments.stack_name, arguments.local))
    people, handles = people_of(arguments)
    stack = resolve_stack(arguments.stack_name, arguments.local)
    deps = operations.privacy(stack.root())
    for handle in handles:
        _print_uses(handle, privacy.who_used(handle, deps))
    if not people:
        return 0
    who = ", ".join(person.key for person in sorted(set(people)))
    command = arguments.privacy_command
    if command == "erase" and arguments.yes:
        data, audit = privacy.erase(people, deps, request_id=uuid.uuid4().hex)
        if audit is None:
            print(f"nothing found for {who}: nothing to erase")
            return 0
        print(f"erased everything about {who}:")
        _print_counts(data)
        print(f"audit record {audit.request_id} ({audit.at}, by {audit.actor})")
        return 0
    data = privacy.look(people, deps)
    if data.empty:
        print(f"nothing found for {who}")
        return 0
    if command == "export":
        from socialcare.presentation.privacy_export import export_document

        document = export_document(data, deps.clock().isoformat())
        _write_private(arguments.output, json.dumps(document, ensure_ascii=False, indent=2))
        print(f"exported what the stack holds about {who} to {arguments.output}:")
        _print_counts(data)
        return 0
    if command == "erase":
        print(f"would erase, about {who}:")
        _print_counts(data)
        print("nothing erased: add --yes to erase it")
        return 1
    print(f"found about {who}:")
    _print_counts(data)
    return 0


def _index(stack: StackTarget) -> int:
    done = operations.person_index_migration(stack.root()).run()
    print(
        f"{done.scanned} items read: {done.cases} cases and {done.outside} items outside "
        f"their partitions indexed, {done.rekeyed} keys replaced by their digest, "
        f"{done.identities} identities of authors indexed, {done.opened} open cases put in "
        "the console's inbox"
    )
    return 0


def _print_counts(data: PersonalData) -> None:
    for kind, count in data.counts().items():
        print(f"  {kind}: {count}")
    also = [person.key for person in data.people if person not in data.asked]
    if also:
        print(f"  other ids, found through her cases: {', '.join(also)}")


def _print_uses(handle: Handle, uses: list[HandleUse]) -> None:
    name = f"{handle.platform.value} @{handle.name}"
    if not uses:
        print(f"nothing found for {name}")
        return
    print(f"{name} was written with by:")
    for use in uses:
        print(
            f"  --platform {use.person.platform.value} --author {use.person.author_id}: "
            f"{use.cases} cases, {use.first_day} to {use.last_day}"
        )
    print("a username can pass to someone else: confirm the id with the person, then use it")


# A new file only (never one left behind, which may be readable by others), and never
# through a symlink: with O_CREAT|O_EXCL open() fails on any existing name, a symlink
# included (POSIX open(2)); O_NOFOLLOW says so again.
_NEW_PRIVATE_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _write_private(path: Path, text: str) -> None:
    """Personal data: readable by its owner only (0600), never half-written (written
    beside it, then renamed over it: rename(2) is atomic and replaces a symlink at `path`
    itself, never what it points to)."""
    partial = path.with_name(path.name + ".partial")
    try:
        descriptor = os.open(partial, _NEW_PRIVATE_FILE, 0o600)
    except FileExistsError:
        raise PrivacyCommandFailed(
            f"{partial} is in the way (an export cut short, or not ours): "
            "look at it, remove it, and export again"
        ) from None
    except OSError as error:
        raise PrivacyCommandFailed(f"cannot write {partial}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)  # ours: created above
        raise PrivacyCommandFailed(f"cannot write {path}: {error.strerror}") from None
