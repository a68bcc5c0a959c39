"""What a log line keeps of a link or token that acts for whoever holds it: the route and
the case id, never the secret part (socialcare.domain.capabilities)."""

from __future__ import annotations

import pytest

from socialcare.domain.capabilities import redact_capabilities

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
            "/reports/daily/2026-12-01/report.html?expires=1767225600&signature=[redacted]",
        ),
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
