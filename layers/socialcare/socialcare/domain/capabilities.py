"""Capabilities: links and tokens that act for whoever holds them. A publish, survey or
follow-up link (`/publish/<case id>.<key>`), an action link (`/actions/<32-character
id>`, also the `ACTION#<id>` key), a report link's query (its signature), a form's CSRF
token, a Step Functions task token, a platform token (Telegram's is in its URL), a webhook's secret
header. None may reach a log line: each is replaced by "[redacted]", keeping what a person
debugging needs (the route, the case id, the other query parameters).

A URL reaches a log as its client wrote it: any character may be percent-encoded
(`/%61ctions/`, `&%73ignature=`, RFC 3986 §2.1) and the letters may be capitals. A query's
names are decoded before use (https://url.spec.whatwg.org/#urlencoded-parsing; Python's
parse_qsl in the local server; API Gateway's queryStringParameters), so `%73ignature` is
the report link's signature and the link works. So every route and name below matches in
any case and with any of its characters encoded, and a report link loses its whole query:
however its parameters are spelt, none of them is kept.

Every pattern is a literal prefix (each character of it possibly encoded) and then one
character class (a report link's path: at most three segments, each one class), so
redaction is linear in the length of the line. They are compiled on
the first line redacted, not at import: most invocations log nothing above the level.
A line without a "%" is redacted by the same rules written literally: the encoded ones
take about 7 ms to compile, part of a cold start's first log line."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from typing import Any

REDACTED = "[redacted]"
# What ends a path segment or a query value in a log line (a URL, JSON, a repr).
_VALUE = r"[^/?#&\s\"'<>\\{}]+"


def _literal(literal: str, encoded: bool) -> str:
    """`literal` as a pattern; `encoded`: also matching each of its characters
    percent-encoded (the rules are case-insensitive: `%2f` and `%2F`)."""
    if not encoded:
        return re.escape(literal)
    return "".join(f"(?:{re.escape(c)}|%{ord(c):02x})" for c in literal)


# Names whose value is a capability, as query or form fields, JSON or dict keys.
_CAPABILITY_NAMES = (
    "csrf_token",
    "task_token",
    "tasktoken",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "signature",
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-credential",
    "hub.verify_token",
    "authorization",
    "x-telegram-bot-api-secret-token",
)
# A path segment of a report link (reports/<period>/<day>/<file>?<query>).
_SEGMENT = r"[^/?#\s\"'<>\\]*"


def _rules(encoded: bool) -> tuple[tuple[str, str], ...]:
    """The redaction rules; `encoded`: for a line holding a "%", where any character of a
    route or name may be percent-encoded. A line without one needs only the literal
    rules, which compile in a fraction of the time (a first log line is part of a cold
    start)."""

    def lit(literal: str) -> str:
        return _literal(literal, encoded)

    names = "|".join(lit(name) for name in _CAPABILITY_NAMES)
    # Where a query's name starts: not inside a longer name (`xsignature`), or after an
    # encoded `&` or `?` (a name inside another parameter's value still names a secret).
    name_start = r"(?:(?<![\w.-])|(?<=%26)|(?<=%3f))" if encoded else r"(?<![\w.-])"
    return (
        (
            rf"((?:{lit('/publish/')}|{lit('/survey/')}|{lit('/follow-up/')})"
            rf"(?:\d{{8}}-[0-9a-f]{{16}}{lit('.')})?){_VALUE}",
            rf"\1{REDACTED}",
        ),
        # A publish or survey link's id on its own (a path parameter): the case id, then a key.
        (rf"(\d{{8}}-[0-9a-f]{{16}}{lit('.')})[A-Za-z0-9_%-]+", rf"\1{REDACTED}"),
        (rf"({lit('/actions/')}|(?<!\w){lit('action#')}){_VALUE}", rf"\1{REDACTED}"),
        # An action link's id as API Gateway passes it (its route's only path parameter).
        (r'("pathParameters"\s*:\s*\{\s*"id"\s*:\s*)"[^"]*"', rf'\1"{REDACTED}"'),
        (rf"({lit('/bot')})\d+{lit(':')}{_VALUE}", rf"\1{REDACTED}"),
        # A report link keeps its path: the file it names, never its query.
        (
            rf"({lit('/reports/')}(?:{_SEGMENT}/){{0,2}}{_SEGMENT}\?)[^#\s\"'<>\\]+",
            rf"\1{REDACTED}",
        ),
        (rf"({name_start}(?:{names})(?:=|%3d))[^&\s\"'<>#]*", rf"\1{REDACTED}"),
        (rf'("(?:{names})"\s*:\s*)"(?:[^"\\]|\\.)*"', rf'\1"{REDACTED}"'),
        (rf"('(?:{names})'\s*:\s*)'(?:[^'\\]|\\.)*'", rf"\1'{REDACTED}'"),
        (r"\b(Bearer|Basic) [A-Za-z0-9._~+/=-]+", rf"\1 {REDACTED}"),
    )


def redact_capabilities(line: str) -> str:
    """`line` without the secret part of any capability in it."""
    # Without a "%" no character can be encoded: the literal rules match exactly what
    # the encoded ones would.
    for pattern, replacement in _compiled(encoded="%" in line):
        line = pattern.sub(replacement, line)
    return line


@cache
def _compiled(encoded: bool) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(pattern, re.IGNORECASE), replacement)
        for pattern, replacement in _rules(encoded)
    )


# --- in what the stack stores --------------------------------------------------------------

# How stored items keep a capability: an action link's id (its item's key `ACTION#<id>`,
# a case's `current_action`), any `*_token` (a task token, a form's CSRF token), the `key`
# of any `*_link` (a publish or survey link). Every capability the stack makes is 32
# characters or more; a shorter value is not looked for inside texts.
_ACTION_KEY = "ACTION#"
_SHORTEST = 16


def capabilities_in(value: Any) -> set[str]:
    """Every capability `value` (stored items, as JSON) keeps, wherever it keeps it."""
    found: set[str] = set()
    _gather(value, "", found)
    return found


def _gather(value: Any, name: str, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, str) and _names_capability(str(key), name):
                found.add(inner)
            _gather(inner, str(key), found)
    elif isinstance(value, list):
        for inner in value:
            _gather(inner, name, found)
    elif isinstance(value, str) and value.startswith(_ACTION_KEY):
        found.add(value.removeprefix(_ACTION_KEY))


def _names_capability(key: str, parent: str) -> bool:
    return (
        key == "current_action"
        or key.endswith("_token")
        or (key == "key" and parent.endswith("_link"))
    )


def without_capabilities(value: Any, capabilities: Collection[str]) -> Any:
    """`value` (JSON) without any of `capabilities`, whatever field holds them: a field
    named as one, or whose value is one, goes (and a map it leaves empty); a text holding
    one keeps its words, with "[redacted]" in its place (a survey link in a message the
    brand sent), then loses what a log line loses (a capability URL of another case)."""
    known = sorted((c for c in capabilities if len(c) >= _SHORTEST), key=len, reverse=True)
    return _strip(value, "", frozenset(known), known)


def _strip(value: Any, name: str, capabilities: frozenset[str], longest_first: list[str]) -> Any:
    if isinstance(value, dict):
        kept = {}
        for key, inner in value.items():
            if _names_capability(str(key), name) or (
                isinstance(inner, str) and inner in capabilities
            ):
                continue
            stripped = _strip(inner, str(key), capabilities, longest_first)
            if stripped == {} and inner != {}:
                continue
            kept[key] = stripped
        return kept
    if isinstance(value, list):
        return [_strip(inner, name, capabilities, longest_first) for inner in value]
    if isinstance(value, str):
        for capability in longest_first:
            value = value.replace(capability, REDACTED)
        return redact_capabilities(value)
    return value
