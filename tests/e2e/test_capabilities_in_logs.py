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
    assert "GET /reports/daily/2026-12-01/report.html?[redacted] HTTP/1.1" in logged
    assert KEY not in logged and SIGNATURE not in logged


def status_of(url: str) -> int:
    """The status answered, a redirect not followed."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_report_link_with_an_encoded_parameter_name_works_and_is_not_logged(stack, api, capfd):
    # Given a real link to today's report (a URL parser decodes a query's names, as API
    # Gateway does: "%73ignature" is "signature")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    stack.run_report("daily", today)
    good = next(m for m in stack.outbox() if m["links"])["links"][0]
    signature = good.rsplit("signature=", 1)[1]
    capfd.readouterr()
    # When it is opened with the name encoded, in capitals, and an action link likewise
    urls = [
        good.replace("&signature=", "&%73ignature="),
        good.replace("signature=", "signatur%65="),
        *(f"{api}{path}" for path in (f"/%61ctions/{KEY}", f"/ACTIONS/{KEY}", f"/actions%2F{KEY}")),
    ]
    answers = [status_of(url) for url in urls]
    # Then the link works, and the log keeps neither its signature nor the action id
    assert answers == [302, 302, 404, 404, 404]
    logged = capfd.readouterr().err
    assert "GET /reports/daily/" in logged and "GET /%61ctions/" in logged
    assert signature not in logged and KEY not in logged
