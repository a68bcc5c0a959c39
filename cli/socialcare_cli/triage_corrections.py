"""`socialcare triage corrections [--local URL | --stack-name S] [-o FILE]`: the cases the
social team corrected in the console, as labelled JSONL lines `socialcare triage train`
accepts (text with personal data masked, channel, the corrected labels). To stdout, or
to FILE readable by its owner only (0600); the count goes to stderr."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import resolve_stack

# A new file only, never through a symlink (POSIX open(2): O_CREAT|O_EXCL fails on any
# existing name), then renamed over FILE.
_NEW_PRIVATE_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def main(arguments: Any) -> int:
    from socialcare.app.triage_corrections import correction_corpus
    from socialcare.bootstrap.console_actions import triage_corrections

    stack = resolve_stack(arguments.stack_name, arguments.local)
    corpus = correction_corpus(triage_corrections(stack.root()))
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in corpus.lines)
    if arguments.output is None:
        sys.stdout.write(text)
    else:
        _write_private(arguments.output, text)
    where = f" to {arguments.output}" if arguments.output else ""
    print(
        f"{len(corpus.lines)} corrected cases written{where}; {corpus.skipped} left out "
        "(erased, expired, or nothing to learn from)",
        file=sys.stderr,
    )
    return 0


def _write_private(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        descriptor = os.open(partial, _NEW_PRIVATE_FILE, 0o600)
    except FileExistsError:
        raise CommandFailed(f"{partial} is in the way: look at it, remove it, try again") from None
    except OSError as error:
        raise CommandFailed(f"cannot write {partial}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandFailed(f"cannot write {path}: {error.strerror}") from None
