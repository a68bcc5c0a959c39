"""The local server's access log, as `socialcare local` prints it: every request's path,
without the part of a link that acts for whoever holds it."""

from __future__ import annotations

import pytest

from socialcare_cli.samples import http_request

pytestmark = pytest.mark.e2e

CASE_ID = "20261201-0123456789abcdef"
KEY = "Zq3x_-Zq3x_-Zq3x_-Zq3x_-Zq3x_-Zq"
SIGNATURE = "9f" * 32


def test_the_access_log_keeps_the_route_and_case_but_no_key(api, capfd):
    # Given requests on a publish link, a survey link, an action link and a report link
    capfd.readouterr()
    paths = [
        f"/publish/{CASE_ID}.{KEY}",
        f"/survey/{CASE_ID}.{KEY}",
        f"/actions/{KEY}?do=resolved",
        f"/reports/daily/2026-12-01/report.html?expires=4102444800&signature={SIGNATURE}",
    ]
    for path in paths:
        http_request("GET", f"{api}{path}", {})
    # When the server's log is read
    logged = capfd.readouterr().err
    # Then each request is there, without its key or signature
    assert f"GET /publish/{CASE_ID}.[redacted] HTTP/1.1" in logged
    assert f"GET /survey/{CASE_ID}.[redacted] HTTP/1.1" in logged
    assert "GET /actions/[redacted]?do=resolved HTTP/1.1" in logged
    assert "signature=[redacted]" in logged
    assert KEY not in logged and SIGNATURE not in logged
