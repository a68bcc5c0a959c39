"""The HTTP edge the handlers share: API Gateway's HTTP API (payload 2.0) events read,
forms guarded (method, base64, size), and responses with each page's security headers."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs

Response = dict[str, Any]

MAX_FORM_BYTES = 16 * 1024
# Link pages carry a CSRF token and case details: never cached, never framed; their forms
# post back to the page.
LINK_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}
# The managers' report links: a redirect or a short page, with no form at all.
REPORT_LINK_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
}
ERROR_PAGE = (
    "<!doctype html><title>Error</title><h1>Something went wrong</h1>"
    "<p>Please try again in a few minutes.</p>"
)


def method(event: dict[str, Any]) -> str:
    return str(((event.get("requestContext") or {}).get("http") or {}).get("method", "")).upper()


def path_id(event: dict[str, Any]) -> str:
    """The route's {id}."""
    return str((event.get("pathParameters") or {}).get("id", ""))


def query(event: dict[str, Any]) -> dict[str, str]:
    return event.get("queryStringParameters") or {}


def lower_cased_headers(event: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in (event.get("headers") or {}).items()}


def form(event: dict[str, Any]) -> tuple[dict[str, str], Response | None]:
    """The POSTed form's fields, or the response refusing the request."""
    if method(event) != "POST":
        page = "<!doctype html><title>Not allowed</title><h1>Method not allowed</h1>"
        return {}, html(405, page)
    body = event.get("body") or ""
    try:
        if event.get("isBase64Encoded"):
            raw = base64.b64decode(body, validate=True)
        else:
            raw = body.encode("utf-8", errors="surrogatepass")
    except (binascii.Error, ValueError):
        page = "<!doctype html><title>Bad request</title><h1>Bad request</h1>"
        return {}, html(400, page)
    if len(raw) > MAX_FORM_BYTES:
        page = "<!doctype html><title>Too large</title><h1>Too large</h1>"
        return {}, html(413, page)
    fields = parse_qs(raw.decode("utf-8", errors="replace"))
    return {k: _typed(v[0]) for k, v in fields.items()}, None


def _typed(value: str) -> str:
    """A field as the person typed it: browsers submit a textarea's line breaks as CR LF
    (HTML's form submission), which would reach the customer, and fail any comparison."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def html(status: int, page: str) -> Response:
    """A link page."""
    headers = {"Content-Type": "text/html; charset=utf-8", **LINK_PAGE_HEADERS}
    return {"statusCode": status, "headers": headers, "body": page, "isBase64Encoded": False}


def inline_file(content_type: str, body: bytes) -> Response:
    """A file's bytes, shown inline, never run as a page."""
    headers = {**LINK_PAGE_HEADERS, "Content-Type": content_type, "Content-Disposition": "inline"}
    encoded = base64.b64encode(body).decode()
    return {"statusCode": 200, "headers": headers, "body": encoded, "isBase64Encoded": True}


def redirect(url: str) -> Response:
    return {"statusCode": 302, "headers": {**LINK_PAGE_HEADERS, "Location": url}, "body": ""}


def plain(status: int, content_type: str, body: str) -> Response:
    """An answer to a machine (a platform's webhook delivery)."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type, "X-Content-Type-Options": "nosniff"},
        "body": body,
        "isBase64Encoded": False,
    }
