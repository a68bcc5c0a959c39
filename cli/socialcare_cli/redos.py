"""ReDoS scan, run by `make lint`: every regular expression the layer compiles (each
module's patterns, imported; what a module compiles on first use; the lexicons of config/
and its profiles, built by the config loaders) is analysed by regexploit. Exit 1 with one
line per finding.

Two additions to regexploit 1.0.0:
- Python's possessive repeats and atomic groups (its parser stops at them): within one
  attempt they never backtrack, so they add nothing there.
- Searching retries a pattern at every position of the text, and each attempt can scan to
  the end: a pattern whose first repeat overlaps any text is quadratic when searched
  (`\\b[\\w-]+(?:\\.[\\w-]+)*\\.com` on "b-b-b-…"), though one attempt is linear. The scan
  reads each pattern as searched (two stars before it, so regexploit, which reports
  cubic and worse, reports the quadratic), unless it is anchored at the start; a negative
  lookbehind of one character class at the start of a pattern (or of one of its
  alternatives) means an attempt starts only after a character outside that class, and is
  read so. A possessive repeat still scans its text once per attempt, so it counts there.
What the scan cannot see (an attempt allowed inside a run through a two-character
lookbehind, say) the timed property test covers: tests/unit/domain/test_linear_text.py."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

with warnings.catch_warnings():  # regexploit imports sre_parse and sre_constants
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse

    from regexploit.ast.char import Character
    from regexploit.ast.repeat import FiniteRepeat, InfiniteRepeat
    from regexploit.ast.sequence import Sequence
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find

_STARTS = (sre_constants.AT_BEGINNING, sre_constants.AT_BEGINNING_STRING)


@dataclass(frozen=True)
class Finding:
    where: str
    pattern: str
    example: str

    def __str__(self) -> str:
        return f"{self.where}: {self.pattern[:120]!r} backtracks on {self.example}"


class _Parser(SreOpParser):
    """regexploit's parser, with possessive repeats and atomic groups. `searched`: an
    atomic part still scans its text once per attempt."""

    def __init__(self, searched: bool) -> None:
        super().__init__()
        self._searched = searched
        self._atomic = 0

    def from_MAX_REPEAT(self, data: Any) -> Any:
        if self._atomic and not self._searched:
            minimum, _, elements = data
            repeatable = self.sequence_or_singleton(elements)
            return None if repeatable is None else FiniteRepeat(repeatable, min(minimum, 1), 1)
        return super().from_MAX_REPEAT(data)

    def from_POSSESSIVE_REPEAT(self, data: Any) -> Any:
        self._atomic += 1
        try:
            return self.from_MAX_REPEAT(data)
        finally:
            self._atomic -= 1

    def from_ATOMIC_GROUP(self, ops: Any) -> Any:
        self._atomic += 1
        try:
            return self.sequence_or_singleton(ops)
        finally:
            self._atomic -= 1


def _guard_as_character(ops: list) -> list:
    """A leading `(?<![class])` as the character an attempt must follow."""
    if ops and ops[0][0] is sre_constants.ASSERT_NOT:
        direction, inner = ops[0][1]
        if direction == -1 and len(inner.data) == 1:
            op, value = inner.data[0]
            if op is sre_constants.LITERAL:
                return [(sre_constants.NOT_LITERAL, value), *ops[1:]]
            if op is sre_constants.IN and value[:1] != [(sre_constants.NEGATE, None)]:
                return [(sre_constants.IN, [(sre_constants.NEGATE, None), *value]), *ops[1:]]
    return ops


def _searched_ops(parsed: sre_parse.SubPattern) -> list:
    ops = list(parsed.data)
    if len(ops) == 1 and ops[0][0] is sre_constants.BRANCH:
        # a BRANCH's argument: (None, its alternatives), as sre_parse builds it
        _, alternatives = cast(tuple[None, list[sre_parse.SubPattern]], ops[0][1])
        for index, alternative in enumerate(alternatives):
            alternative.data = _guard_as_character(list(alternative.data))
            alternatives[index] = alternative
        return ops
    return _guard_as_character(ops)


def findings(pattern: str, flags: int = 0, where: str = "") -> list[Finding]:
    """regexploit's findings for one attempt (cubic and worse), and for the pattern as
    searched (quadratic and worse)."""
    found = []
    parsed = sre_parse.parse(pattern, flags)
    anchored = bool(parsed.data) and parsed.data[0] == (sre_constants.AT, parsed.data[0][1])
    anchored = anchored and parsed.data[0][1] in _STARTS
    attempt = _Parser(searched=False).sequence_or_singleton(list(parsed.data))
    if attempt is not None:
        found += [r for r in find(attempt) if r.starriness > 2]
    if not anchored:
        searched = _Parser(searched=True).sequence_or_singleton(_searched_ops(parsed))
        retries = [InfiniteRepeat(Character.ANY(), 0), InfiniteRepeat(Character.ANY(), 0)]
        if searched is not None:
            body = searched.elements if isinstance(searched, Sequence) else [searched]
            found += [r for r in find(Sequence([*retries, *body])) if r.starriness > 2]
    return [Finding(where, pattern, found[0].example())] if found else []


def _module_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    import socialcare

    for info in pkgutil.walk_packages(socialcare.__path__, "socialcare."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{info.name}.{name}", value


def _lazy_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Patterns a module compiles on first use, not at import (no module attribute holds
    them): the log redaction rules, both spellings."""
    from socialcare.domain import capabilities

    for encoded in (False, True):
        for number, (pattern, _) in enumerate(capabilities._compiled(encoded=encoded)):
            yield f"socialcare.domain.capabilities rules[{number}] encoded={encoded}", pattern


def _lexicon_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """The lexicons as triage, routing and the FAQ compile them, for config/ and each
    industry profile."""
    from socialcare.config.files import CONFIG_DIR

    for directory in [CONFIG_DIR, *sorted((CONFIG_DIR / "profiles").iterdir())]:
        label = directory.relative_to(CONFIG_DIR.parent)
        if (directory / "triage.yaml").exists():
            yield from _triage_patterns(directory, label)
        if (directory / "routing.yaml").exists():
            yield from _routing_patterns(directory, label)
        if (directory / "replies.yaml").exists():
            yield from _faq_patterns(directory, label)


def _triage_patterns(directory: Path, label: Path) -> Iterator[tuple[str, re.Pattern[str]]]:
    from socialcare.config.loaders import triage_rules

    rules = triage_rules(directory)
    for kind in ("authority", "authority_exceptions", "safety", "urgency"):
        for number, pattern in enumerate(getattr(rules, kind)):
            yield f"{label}/triage.yaml {kind}[{number}]", pattern


def _routing_patterns(directory: Path, label: Path) -> Iterator[tuple[str, re.Pattern[str]]]:
    from socialcare.config.loaders import routing_config

    routing = routing_config(directory)
    for name, pattern in routing.topic_patterns:
        yield f"{label}/routing.yaml topics.{name}", pattern
    for number, rule in enumerate(routing.rules):
        for pattern in rule.keyword_patterns:
            yield f"{label}/routing.yaml rules[{number}].keywords", pattern


def _faq_patterns(directory: Path, label: Path) -> Iterator[tuple[str, re.Pattern[str]]]:
    from socialcare.config.loaders import replies_config

    for entry in replies_config(directory).faq_entries():
        yield f"{label}/replies.yaml faq.{entry.key}", entry.pattern


def scan() -> tuple[int, list[Finding]]:
    """How many distinct patterns were read, and what was found."""
    seen: dict[tuple[str, int], str] = {}
    for where, pattern in [*_module_patterns(), *_lazy_patterns(), *_lexicon_patterns()]:
        seen.setdefault((pattern.pattern, pattern.flags & ~re.UNICODE), where)
    found = [f for (p, flags), where in seen.items() for f in findings(p, flags, where)]
    return len(seen), found


def main() -> int:
    count, found = scan()
    for finding in found:
        print(finding)
    print(f"redos: {count} patterns, {len(found)} findings", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
