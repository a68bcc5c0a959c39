"""Links and tokens that act for whoever holds them never reach a log line: the handlers'
Powertools loggers write every record through one redaction, which keeps what a person
debugging needs (the route, the case id) and drops the secret part."""

from __future__ import annotations

import io
import logging

from socialcare.app.publish_links import PublishDependencies
from socialcare_cli.local.functions import LocalFunction
from tests.action_link_fakes import ACTION_ID, a_store, deps
from tests.conftest import NOW, ROOT
from tests.fakes import InMemoryWorkflowStore
from tests.outbound_fakes import outbound_dependencies

CASE_ID = "20261201-0123456789abcdef"
KEY = "kEy_-0123456789abcdefghijklmnopqr"[:32]
CSRF = "csrfTOKEN-0123456789abcdefghijkl"


def test_a_logged_event_keeps_no_capability(monkeypatch):
    # Given ops turned on Powertools' event logging (POWERTOOLS_LOGGER_LOG_EVENT), and the
    # actions function as Lambda loads it
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")
    function = LocalFunction(
        "ActionsFunction",
        "actions",
        "arn:aws:lambda:us-east-1:123456789012:function:actions",
        ROOT / "functions" / "actions" / "app.py",
        "lambda_handler",
    )
    written = io.StringIO()
    for handler in logging.getLogger("actions").handlers:
        handler.setStream(written)  # type: ignore[attr-defined]
    store = InMemoryWorkflowStore()
    publish = PublishDependencies(
        cases=store,
        links=store,
        outbound=outbound_dependencies(),
        clock=lambda: NOW,
        language="es",
    )
    # When a publish link is opened and its form posted
    link = f"{CASE_ID}.{KEY}"
    for method, body in (("GET", ""), ("POST", f"csrf_token={CSRF}&public_text=Hola")):
        event = {
            "version": "2.0",
            "routeKey": f"{method} /publish/{{id}}",
            "rawPath": f"/publish/{link}",
            "rawQueryString": "",
            "headers": {"content-type": "application/x-www-form-urlencoded"},
            "requestContext": {"http": {"method": method, "path": f"/publish/{link}"}},
            "pathParameters": {"id": link},
            "body": body,
            "isBase64Encoded": False,
        }
        assert function.invoke(event, publish=publish)["statusCode"] == 404
    # ... and a department's action link is opened
    action = {
        **event,
        "routeKey": "GET /actions/{id}",
        "rawPath": f"/actions/{ACTION_ID}",
        "requestContext": {"http": {"method": "GET", "path": f"/actions/{ACTION_ID}"}},
        "pathParameters": {"id": ACTION_ID},
        "body": "",
    }
    assert function.invoke(action, dependencies=deps(a_store()))["statusCode"] == 200
    # Then each event was logged, without the links' key or id or the form's token
    logged = written.getvalue()
    assert f"/publish/{CASE_ID}.[redacted]" in logged and "/actions/[redacted]" in logged
    assert KEY not in logged and CSRF not in logged and ACTION_ID not in logged


def test_a_plain_logger_with_the_filter_writes_no_capability_even_in_a_trace():
    from socialcare.logs import CapabilityRedactingFilter

    # Given a plain logging logger (the local server's) with the filter
    written = io.StringIO()
    log = logging.getLogger("tests.capabilities")
    log.propagate = False
    log.addHandler(logging.StreamHandler(written))
    log.addFilter(CapabilityRedactingFilter())
    # When a failure naming a link is logged with its trace
    try:
        raise LookupError(f"no case for /publish/{CASE_ID}.{KEY}")
    except LookupError:
        log.exception("GET %s failed", f"/survey/{CASE_ID}.{KEY}")
    # Then neither the message nor the trace holds the key
    logged = written.getvalue()
    assert f"/survey/{CASE_ID}.[redacted] failed" in logged
    assert f"LookupError: no case for /publish/{CASE_ID}.[redacted]" in logged
    assert KEY not in logged


def test_a_report_link_with_an_encoded_name_is_opened_and_logged_without_its_query(monkeypatch):
    from socialcare.app.report_links import ReportLinkDependencies
    from socialcare.domain.report_links import signature
    from socialcare_cli.local.http import to_http_api_event
    from tests.report_fakes import InMemoryReportStore

    # Given the report-links function with Powertools' event logging on
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")
    function = LocalFunction(
        "ReportLinksFunction",
        "report_links",
        "arn:aws:lambda:us-east-1:123456789012:function:report-links",
        ROOT / "functions" / "report_links" / "app.py",
        "lambda_handler",
    )
    written = io.StringIO()
    for handler in logging.getLogger("report-links").handlers:
        handler.setStream(written)  # type: ignore[attr-defined]
    key, expires = "reports/daily/2026-11-24/report.html", int(NOW.timestamp()) + 3600
    signed = signature(key, expires, "link-secret")
    deps = ReportLinkDependencies(
        secret=lambda: "link-secret", store=InMemoryReportStore(), clock=lambda: NOW, language="es"
    )
    # When its link arrives with the signature's name percent-encoded (API Gateway hands the
    # function the decoded name, as any URL parser would)
    query = f"expires={expires}&%73ignature={signed}"
    event = to_http_api_event(
        "GET",
        f"/{key}",
        query,
        {},
        b"",
        "GET /reports/{period}/{day}/{file}",
        {"period": "daily", "day": "2026-11-24", "file": "report.html"},
    )
    answer = function.invoke(event, dependencies=deps)
    # Then it works, and the logged event holds the route but not the signature
    assert answer["statusCode"] == 302
    logged = written.getvalue()
    assert "/reports/daily/2026-11-24/report.html" in logged
    assert signed not in logged
