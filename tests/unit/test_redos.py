"""The ReDoS scan of `make lint` (socialcare_cli.redos): it reads every pattern the layer
compiles, lexicons included, and finds the backtracking that stalled triage."""

from __future__ import annotations

import re

from socialcare_cli.redos import findings, scan

# The link patterns before they were rewritten: retried at every word boundary of a run.
_OLD_LINKS = (
    r"https?://\S+|www\.\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|shop|win|club|top|xyz|online|link|co|es|io|me|ly)"
    r"(?:/\S*)?\b"
)
_OLD_OUTBOUND_LINK = r"https?://|www\.|\b[\w-]+\.(?:com|es|net|org|io|ly|co|me|info|eu)\b"


def test_the_old_link_patterns_are_found():
    # Given the link patterns that took seconds on "b-b-b-…"; When scanned; Then found
    assert findings(_OLD_LINKS, 0, "LINKS")
    assert findings(_OLD_OUTBOUND_LINK, re.I, "_LINK")


def test_possessive_repeats_and_atomic_groups_are_read():
    # Given what regexploit's own parser stops at
    # When one attempt cannot backtrack and tries start only after a separator: nothing
    assert not findings(r"(?<![\w-])[\w-]++(?:\.[\w-]++)*+\.com", 0, "possessive")
    assert not findings(r"(?<!\w)(?>\w+)@", 0, "atomic")
    # Then a possessive repeat tried at every position still scans the rest each time
    assert findings(r"[\w-]++\.com", 0, "unguarded")
    # And nested repeats are found as before
    assert findings(r"(a+)+b", 0, "nested")


def test_an_anchored_pattern_is_not_read_as_searched():
    # Given a repeat followed by what can fail, anchored at the start: linear
    assert not findings(r"^[^@\s]+@x", 0, "anchored")
    assert findings(r"[^@\s]+@x", 0, "searched")


def test_every_pattern_of_the_layer_and_its_lexicons_is_linear():
    # Given every module's patterns and the lexicons of config/ and each profile
    count, found = scan()
    # Then all are read, and none backtracks
    assert count > 100
    assert not found, "\n".join(map(str, found))


def test_patterns_compiled_on_first_use_are_read_too():
    # Given the log redaction rules, compiled on the first line redacted, not at import
    from socialcare_cli.redos import _lazy_patterns

    # When the scan gathers what it reads
    read = {pattern.pattern for _, pattern in _lazy_patterns()}
    # Then both spellings of every rule are among them
    assert r"(/bot)\d+:[^/?#&\s\"'<>\\{}]+" in read
    assert any(p.startswith("((?:/|%2f)(?:b|%62)(?:o|%6f)(?:t|%74))") for p in read)
