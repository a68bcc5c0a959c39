"""A local HTTP server with the HTTP API's routes: requests become API Gateway v2 events
for the real handlers. Local-only read routes under /_local show the cases."""

from __future__ import annotations

import base64
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from socialcare.domain.capabilities import redact_capabilities
from socialcare.logs import CapabilityRedactingFilter
from socialcare_cli.local.names import PREFIX
from socialcare_cli.local.servers import LocalThreadingServer
from socialcare_cli.local.stack import ACCOUNT_ID, LocalStack

# API Gateway HTTP APIs accept payloads up to 10 MB; the handler enforces its own 1 MiB.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
_TEXT_TYPES = re.compile(r"json|text|xml|x-www-form-urlencoded", re.IGNORECASE)
_log = logging.getLogger(__name__)
_log.addFilter(CapabilityRedactingFilter())  # a failing function's trace may name its link


def to_http_api_event(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: dict[str, str],
    body: bytes,
    route_key: str,
    path_parameters: dict[str, str],
) -> dict[str, Any]:
    """The API Gateway HTTP API (payload 2.0) event for one request."""
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    is_text = bool(_TEXT_TYPES.search(lowered.get("content-type", "")))
    try:
        text_body = body.decode("utf-8") if is_text else None
    except UnicodeDecodeError:
        text_body = None
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": lowered,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": lowered.get("host", "localhost"),
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": text_body is None and bool(body),
    }
    # Payload 2.0 moves the Cookie headers into `cookies`, one "name=value" each:
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
    cookie_header = lowered.pop("cookie", "")
    if cookie_header:
        event["headers"] = lowered
        event["cookies"] = [c.strip() for c in re.split(r"[;,]", cookie_header) if c.strip()]
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body:
        event["body"] = text_body if text_body is not None else base64.b64encode(body).decode()
    return event


def action_link_event(
    method: str, action_id: str, query: str = "", form: dict[str, str] | None = None
) -> dict[str, Any]:
    """A department's request on its action link: GET the page, or POST its form."""
    body = urlencode(form or {}).encode() if method == "POST" else b""
    headers = {"content-type": "application/x-www-form-urlencoded"} if body else {}
    return to_http_api_event(
        method,
        f"/actions/{action_id}",
        query,
        headers,
        body,
        f"{method} /actions/{{id}}",
        {"id": action_id},
    )


def _is_day(value: str) -> bool:
    from datetime import date

    try:
        return len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


class LocalApiServer(LocalThreadingServer):
    def __init__(self, stack: LocalStack, host: str = "127.0.0.1", port: int = 3000) -> None:
        self.stack = stack
        self.routes = stack.template.http_routes()
        super().__init__((host, port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: LocalApiServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        """The access log, as BaseHTTPRequestHandler writes it, without capabilities: a
        path keeps its route and case id (API Gateway's own access log names the route
        key, never the path: template.yaml's AccessLogSettings)."""
        if not self.server.stack.quiet:
            super().log_message("%s", redact_capabilities(format % args))

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_REQUEST_BYTES:
            self._send(413, {"message": "Request Entity Too Large"}, close=True)
            return
        body = self.rfile.read(length) if length else b""
        self._body = body
        if url.path.startswith("/_local/"):
            self._local(url.path, dict(parse_qsl(url.query)))
            return
        for route in self.server.routes:
            parameters = route.match(self.command, url.path)
            if parameters is None:
                continue
            event = to_http_api_event(
                self.command,
                url.path,
                url.query,
                dict(self.headers.items()),
                body,
                route.route_key,
                parameters,
            )
            try:
                response = self.server.stack.function(route.function).invoke(event)
            except Exception:  # what API Gateway answers when the function fails
                _log.exception("%s failed", route.function)
                self._send(500, {"message": "Internal Server Error"})
                return
            self._send_lambda_response(response)
            return
        self._send(404, {"message": "Not Found"})

    def _local(self, path: str, query: dict[str, str]) -> None:
        route = self._local_routes(query).get((self.command, path))
        if route is not None:
            route()
        elif self.command != "GET":
            self._send(405, {"message": "Method Not Allowed"})
        else:
            self._local_read(path)

    def _local_routes(self, query: dict[str, str]) -> dict[tuple[str, str], Callable[[], None]]:
        stack = self.server.stack
        return {
            ("POST", "/_local/replay"): lambda: self._send(200, stack.replay_failed_deliveries()),
            ("POST", "/_local/reports/run"): lambda: self._run_report(query),
            ("POST", "/_local/platform/faults"): self._set_platform_faults,
            ("GET", "/_local/platform/calls"): lambda: self._send(
                200, {"calls": stack.platforms.calls_made()}
            ),
            ("POST", "/_local/platform/content"): self._set_platform_content,
            # where ops commands find the emulator and resources
            ("GET", "/_local/stack"): lambda: self._send(
                200,
                {
                    "endpoint": stack.endpoint_url,
                    "stack_name": PREFIX,
                    "outputs": stack.stack_outputs(),
                    "platform_apis": stack.platform_apis(),
                    "time_scale": stack.time_scale,
                },
            ),
            ("GET", "/_local/cases"): lambda: self._send(200, {"cases": stack.list_cases()}),
            ("GET", "/_local/outbox"): lambda: self._send(200, {"emails": stack.outbox()}),
        }

    def _local_read(self, path: str) -> None:
        """A report's file or one case, by the names in the path."""
        report = re.fullmatch(
            r"/_local/(reports/(?:latest/(?:daily|weekly|monthly)|"
            r"(?:daily|weekly|monthly)/\d{4}-\d{2}-\d{2}))/([\w.]+)",
            path,
        )
        if report:
            self._send_report_file(report.group(1), report.group(2))
            return
        found = re.fullmatch(r"/_local/cases/([^/]+)", path)
        if not found:
            self._send(404, {"message": "Not Found"})
            return
        case = self.server.stack.get_case(found.group(1))
        if case is None:
            self._send(404, {"message": "no such case"})
        else:
            self._send(200, case)

    def _set_platform_faults(self) -> None:
        try:
            settings = json.loads(self._body or b"{}")
            if not isinstance(settings, dict):
                raise ValueError("send a JSON object")
            self._send(200, self.server.stack.platforms.set_faults(settings))
        except ValueError as error:
            self._send(400, {"message": str(error)})

    def _set_platform_content(self) -> None:
        """What the platforms hold that webhooks do not carry (platform_graph_content.py)."""
        try:
            added = self.server.stack.platforms.content.add(json.loads(self._body or b"{}"))
            self._send(200, added)
        except ValueError as error:
            self._send(400, {"message": str(error)})

    def _run_report(self, query: dict[str, str]) -> None:
        from socialcare.domain.reporting import PeriodKind

        period, day = query.get("period", "daily"), query.get("date")
        if period not in set(PeriodKind) or (day and not _is_day(day)):
            self._send(400, {"message": "period=daily|weekly|monthly, date=YYYY-MM-DD"})
            return
        if not day:  # "now": the period so far, so what was just sent shows up
            from datetime import datetime
            from zoneinfo import ZoneInfo

            from socialcare.config.loaders import routing_config

            timezone = routing_config().reports.timezone
            day = datetime.now(ZoneInfo(timezone)).date().isoformat()
        try:
            result = self.server.stack.run_report(period, day)
        except Exception as error:  # the report function failed: say so, as Lambda would
            self._send(500, {"message": f"report failed: {type(error).__name__}"})
            return
        self._send(200, result)

    def _send_report_file(self, folder: str, name: str) -> None:
        from socialcare.app.reports import FILES

        if name not in FILES:
            self._send(404, {"message": "Not Found"})
            return
        content = self.server.stack.report_file(f"{folder}/{name}")
        if content is None:
            self._send(404, {"message": f"no report in {folder}: POST /_local/reports/run"})
            return
        self.send_response(200)
        self.send_header("content-type", FILES[name])
        self.send_header("x-content-type-options", "nosniff")
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _send_lambda_response(self, response: dict[str, Any]) -> None:
        body = response.get("body") or ""
        payload = base64.b64decode(body) if response.get("isBase64Encoded") else body.encode()
        self.send_response(int(response.get("statusCode", 200)))
        headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
        headers.setdefault("content-type", "application/json")
        for name, value in headers.items():
            if name != "content-length":
                self.send_header(name, str(value))
        for cookie in response.get("cookies") or []:
            self.send_header("set-cookie", cookie)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _send(self, status: int, body: Any, *, close: bool = False) -> None:
        payload = json.dumps(body, ensure_ascii=False, default=str).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("x-content-type-options", "nosniff")
        self.send_header("content-length", str(len(payload)))
        if close:
            self.send_header("connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)
