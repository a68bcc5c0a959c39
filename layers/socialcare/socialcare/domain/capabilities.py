"""Capabilities: links and tokens that act for whoever holds them. A publish or survey
link (`/publish/<case id>.<key>`), an action link (`/actions/<32-character id>`, also
the `ACTION#<id>` key), a report link's signature, a form's CSRF token, a Step Functions
task token, a platform token (Telegram's is in its URL), a webhook's secret header. None
may reach a log line: each is replaced by "[redacted]", keeping what a person debugging
needs (the route, the case id, the other query parameters).

Every pattern is a literal prefix and then one character class, so redaction is linear
in the length of the line. They are compiled on the first line redacted, not at import:
most invocations log nothing above the level, and a cold start would pay about 1 ms."""

from __future__ import annotations

import re
from functools import cache

REDACTED = "[redacted]"
# What ends a path segment or a query value in a log line (a URL, JSON, a repr).
_VALUE = r"[^/?#&\s\"'<>\\{}]+"
# Names whose value is a capability, as query or form fields, JSON or dict keys.
_NAMES = (
    r"csrf_token|task_?token|access_token|refresh_token|id_token|client_secret|signature"
    r"|x-amz-signature|x-amz-security-token|x-amz-credential|hub\.verify_token"
    r"|authorization|x-telegram-bot-api-secret-token"
)
_RULES = (
    (rf"(/(?:publish|survey)/)(\d{{8}}-[0-9a-f]{{16}}\.)?{_VALUE}", rf"\1\2{REDACTED}"),
    # A publish or survey link's id on its own (a path parameter): the case id, then a key.
    (r"(\d{8}-[0-9a-f]{16}\.)[A-Za-z0-9_-]+", rf"\1{REDACTED}"),
    (rf"(/actions/|ACTION#){_VALUE}", rf"\1{REDACTED}"),
    # An action link's id as API Gateway passes it (its route's only path parameter).
    (r'("pathParameters"\s*:\s*\{\s*"id"\s*:\s*)"[^"]*"', rf'\1"{REDACTED}"'),
    (rf"(/bot)\d+:{_VALUE}", rf"\1{REDACTED}"),
    (rf"(?i)((?<![\w.-])(?:{_NAMES})=)[^&\s\"'<>#]*", rf"\1{REDACTED}"),
    (rf'(?i)("(?:{_NAMES})"\s*:\s*)"(?:[^"\\]|\\.)*"', rf'\1"{REDACTED}"'),
    (rf"(?i)('(?:{_NAMES})'\s*:\s*)'(?:[^'\\]|\\.)*'", rf"\1'{REDACTED}'"),
    (r"(?i)\b(Bearer|Basic) [A-Za-z0-9._~+/=-]+", rf"\1 {REDACTED}"),
)


def redact_capabilities(line: str) -> str:
    """`line` without the secret part of any capability in it."""
    for pattern, replacement in _compiled():
        line = pattern.sub(replacement, line)
    return line


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in _RULES)
