"""The console's answers: JSON under /console/api/, HTML pages elsewhere, each with the
console's security headers; an error is a short JSON object or a short page, never a
trace."""

from __future__ import annotations

import json
from typing import Any

from socialcare.presentation.console.requests import Response

# Pages carry the signed-in person's cases: never cached by a shared cache, never framed;
# scripts and styles only from the console's own static files (no inline script).
PAGE_HEADERS = {
    "Cache-Control": "private, no-cache",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
}
API_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "private, no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_TITLES = {
    400: "Bad request",
    401: "Sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    500: "Something went wrong",
}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return {
        "statusCode": status,
        "headers": {**API_HEADERS, **(headers or {})},
        "body": text,
        "isBase64Encoded": False,
    }


def page_response(
    status: int, html: str, headers: dict[str, str] | None = None, cookies: list[str] | None = None
) -> Response:
    response: Response = {
        "statusCode": status,
        "headers": {"Content-Type": "text/html; charset=utf-8", **PAGE_HEADERS, **(headers or {})},
        "body": html,
        "isBase64Encoded": False,
    }
    if cookies:
        response["cookies"] = cookies
    return response


def not_modified(etag: str, api: bool) -> Response:
    base = API_HEADERS if api else PAGE_HEADERS
    headers = {k: v for k, v in base.items() if k != "Content-Type"}
    return {"statusCode": 304, "headers": {**headers, "ETag": etag}, "body": ""}


def redirect(location: str, cookies: list[str] | None = None) -> Response:
    """303: the browser GETs `location` (after a form's POST too)."""
    response: Response = {
        "statusCode": 303,
        "headers": {**PAGE_HEADERS, "Location": location},
        "body": "",
    }
    if cookies:
        response["cookies"] = cookies
    return response


def error(status: int, api: bool, message: str = "") -> Response:
    """A short error: {"error": ..., "message": ...} for the API, a page otherwise (the
    message is ours, never an exception's text)."""
    title = _TITLES.get(status, "Error")
    if api:
        return json_response(status, {"error": title, "message": message or title})
    body = (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<main><h1>{title}</h1><p>{_escape(message)}</p>"
        '<p><a href="/console/">Inbox</a></p></main></html>'
    )
    return page_response(status, body)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
