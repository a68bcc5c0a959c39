"""What a log line keeps of a link or token that acts for whoever holds it: the route and
the case id, never the secret part (socialcare.domain.capabilities)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcare.domain.capabilities import _compiled, redact_capabilities

CASE_ID = "20261201-0123456789abcdef"
KEY = "kEy_-0123456789abcdefghijklmnopqr"[:32]
ACTION = "AcT-_0123456789abcdefghijklmnopq"[:32]
SIGNATURE = "5" * 64
CSRF = "csrfTOKEN-0123456789abcdefghijkl"
TASK_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAcw+/=="
BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        (f"GET /publish/{CASE_ID}.{KEY} HTTP/1.1", f"GET /publish/{CASE_ID}.[redacted] HTTP/1.1"),
        (f"POST /survey/{CASE_ID}.{KEY}?x=1", f"POST /survey/{CASE_ID}.[redacted]?x=1"),
        (
            f"https://api.example/actions/{ACTION}?do=resolved",
            "https://api.example/actions/[redacted]?do=resolved",
        ),
        (f"/actions/{ACTION[:10]}", "/actions/[redacted]"),  # a wrong shape, still not kept
        (f"/publish/{KEY}", "/publish/[redacted]"),
        (f"key ACTION#{ACTION} missing", "key ACTION#[redacted] missing"),
        (f'"id": "{CASE_ID}.{KEY}"', f'"id": "{CASE_ID}.[redacted]"'),
        (f'"pathParameters":{{"id":"{ACTION}"}}', '"pathParameters":{"id":"[redacted]"}'),
        ('"pathParameters":{"platform":"meta"}', '"pathParameters":{"platform":"meta"}'),
        (f"case {CASE_ID}. Next", f"case {CASE_ID}. Next"),
        (
            f"/reports/daily/2026-12-01/report.html?expires=1767225600&signature={SIGNATURE}",
            "/reports/daily/2026-12-01/report.html?[redacted]",  # the whole query
        ),
        (
            "GET /reports/daily/2026-12-01/report.html HTTP/1.1",
            "GET /reports/daily/2026-12-01/report.html HTTP/1.1",
        ),
        ("transaction#12 took 3 ms", "transaction#12 took 3 ms"),
        (f"?foo=1&xsignature={SIGNATURE[:8]}", f"?foo=1&xsignature={SIGNATURE[:8]}"),
        (
            f"X-Amz-Signature={SIGNATURE}&X-Amz-Security-Token=Fw%2Fo",
            "X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]",
        ),
        (
            f'{{"csrf_token": "{CSRF}", "choice": "resolved"}}',
            '{"csrf_token": "[redacted]", "choice": "resolved"}',
        ),
        (f"csrf_token={CSRF}&choice=resolved", "csrf_token=[redacted]&choice=resolved"),
        (f"{{'task_token': '{TASK_TOKEN}'}}", "{'task_token': '[redacted]'}"),
        (f'"taskToken":"{TASK_TOKEN}"', '"taskToken":"[redacted]"'),
        (
            f"https://api.telegram.org/bot{BOT_TOKEN}/sendMessage",
            "https://api.telegram.org/bot[redacted]/sendMessage",
        ),
        ('"authorization":"Bearer abc.def-ghi"', '"authorization":"[redacted]"'),
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"),
        (
            '"x-telegram-bot-api-secret-token":"s3cr3t"',
            '"x-telegram-bot-api-secret-token":"[redacted]"',
        ),
        (
            "nothing secret /webhooks/meta case 20261201-0123456789abcdef",
            "nothing secret /webhooks/meta case 20261201-0123456789abcdef",
        ),
    ],
)
def test_each_capability_is_redacted_and_what_helps_debugging_is_kept(logged, kept):
    assert redact_capabilities(logged) == kept


def _encoded(text: str) -> str:
    """Every character percent-encoded, as a client may send any of them."""
    return "".join(f"%{ord(c):02X}" for c in text)


@pytest.mark.parametrize(
    "logged",
    [
        # a report link's parameter names, percent-encoded (a URL parser decodes them, so
        # the link works) or in capitals
        f"GET /reports/daily/2026-12-01/report.html?expires=1&%73ignature={SIGNATURE} HTTP/1.1",
        f"GET /reports/daily/2026-12-01/report.html?expires=1&signatur%65={SIGNATURE} HTTP/1.1",
        f"GET /reports/daily/2026-12-01/report.html?expires=1&SIGNATURE={SIGNATURE} HTTP/1.1",
        f"GET /reports/daily/2026-12-01/report.html?{_encoded('signature')}={SIGNATURE}",
        f"GET /reports/daily/2026-12-01/report.html?signature%3D{SIGNATURE}",
        f"GET /reports/daily/2026-12-01/report.html?x=a%26signature={SIGNATURE}",
        f'"rawQueryString":"expires=1&%73ignature={SIGNATURE}"',
        f"csrf%5Ftoken={CSRF}&choice=resolved",
        f"CSRF_TOKEN={CSRF}&choice=resolved",
        # an action link's route, encoded or in capitals
        f"GET /%61ctions/{ACTION} HTTP/1.1",
        f"GET /ACTIONS/{ACTION} HTTP/1.1",
        f"GET /Actions%2F{ACTION} HTTP/1.1",
        f"GET {_encoded('/actions/')}{ACTION} HTTP/1.1",
        f"key action#{ACTION} missing",
        # a publish or survey link's route, and its key, encoded or in capitals
        f"GET /%70ublish/{CASE_ID}.{KEY} HTTP/1.1",
        f"GET /SURVEY/{CASE_ID}.{KEY} HTTP/1.1",
        f"GET /survey/{CASE_ID}%2E{KEY} HTTP/1.1",
        f"GET /survey/{CASE_ID.upper()}.{KEY} HTTP/1.1",
        f'"id": "{CASE_ID}.%{ord(KEY[0]):02X}{KEY[1:]}"',
        f"https://api.telegram.org/BOT{BOT_TOKEN}/sendMessage",
        f"https://api.telegram.org/bot{BOT_TOKEN.replace(':', '%3A')}/sendMessage",
    ],
)
def test_a_capability_is_redacted_however_it_is_encoded_or_cased(logged):
    redacted = redact_capabilities(logged)
    for secret in (SIGNATURE, CSRF, ACTION, KEY, KEY[1:], BOT_TOKEN.split(":")[1]):
        assert secret not in redacted, redacted


_PIECES = [
    "/publish/",
    "/survey/",
    "/actions/",
    "ACTION#",
    "/bot",
    "/reports/daily/2026-12-01/",
    "report.html?",
    "signature=",
    "csrf_token=",
    '"task_token": ',
    "'access_token': ",
    '"pathParameters":{"id":',
    "Bearer ",
    "&",
    "?",
    "=",
    ".",
    ":",
    '"',
    "'",
    " ",
    "/",
    "x",
    "-",
    "_",
    CASE_ID,
    KEY,
    ACTION,
    SIGNATURE[:8],
    BOT_TOKEN,
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=12))
def test_a_line_without_a_percent_is_redacted_as_the_encoded_rules_would(pieces):
    # Given a line built of routes, names, ids and separators, with no "%"
    line = "".join(pieces).replace("%", "")
    # When it is redacted by the literal rules and by the encoded ones
    literal = _apply(_compiled(encoded=False), line)
    encoded = _apply(_compiled(encoded=True), line)
    # Then both give the same line: the literal rules are only a faster spelling
    assert literal == encoded


def test_every_three_pieces_without_a_percent_are_redacted_as_the_encoded_rules_would():
    # Given every line of three pieces (routes, names, ids, separators)
    literal_rules, encoded_rules = _compiled(encoded=False), _compiled(encoded=True)
    for line in map("".join, itertools.product(_PIECES, repeat=3)):
        # When it is redacted by the literal rules and by the encoded ones
        # Then both give the same line
        assert _apply(literal_rules, line) == _apply(encoded_rules, line), line


def _apply(rules, line: str) -> str:
    for pattern, replacement in rules:
        line = pattern.sub(replacement, line)
    return line
