"""API Gateway's event (HTTP API, payload 2.0) read into a ConsoleRequest, with the guards
the link pages use (method, base64, size). Payload 2.0 gives the request's cookies in
`event["cookies"]`, one "name=value" each, not in a header:
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from socialcare.presentation import http
from socialcare.presentation.console.requests import ConsoleRequest, Response
from socialcare.presentation.console.responses import error

LANGUAGES = ("es", "en")
LANGUAGE_COOKIE = "console_lang"
API_PREFIX = "/console/api/"
# A reply, a note or a saved reply is a few KB; the form guard's 16 KB suits the API too.
MAX_JSON_BYTES = http.MAX_FORM_BYTES
_FORM_TYPE = "application/x-www-form-urlencoded"


def read_event(event: dict[str, Any]) -> ConsoleRequest | Response:
    """The request, or the answer refusing it (400, 413, 415)."""
    method = http.method(event)
    path = str(
        event.get("rawPath")
        or ((event.get("requestContext") or {}).get("http") or {}).get("path", "")
    )
    api = path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")
    headers = http.lower_cased_headers(event)
    cookies = read_cookies(event.get("cookies") or [])
    form: dict[str, str] = {}
    body_json: object | None = None
    has_body = bool(event.get("body"))
    if method == "POST" and has_body and headers.get("content-type", "").startswith(_FORM_TYPE):
        form, refusal = http.form(event)
        if refusal is not None:
            return error(int(refusal["statusCode"]), api)
    elif api and has_body and method in ("POST", "PUT", "PATCH", "DELETE"):
        parsed = _json_body(event)
        if isinstance(parsed, int):
            return error(parsed, api, "send a JSON object of at most 16 KB")
        body_json = parsed
    return ConsoleRequest(
        method=method,
        path=path,
        query=http.query(event),
        form=form,
        body_json=body_json,
        headers=headers,
        cookies=cookies,
        language=language_of(cookies, headers.get("accept-language", "")),
        api=api,
    )


def read_cookies(entries: list[str]) -> dict[str, str]:
    """Each entry "name=value" (a browser's one Cookie header may also arrive as
    "a=1; b=2"): the first value of each name."""
    found: dict[str, str] = {}
    for entry in entries:
        for part in str(entry).split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name and name not in found:
                found[name] = value
    return found


def language_of(cookies: dict[str, str], accept_language: str) -> str:
    """The person's choice (the preference cookie), else the first of es/en their
    browser asks for, else Spanish."""
    chosen = cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return LANGUAGES[0]


def _json_body(event: dict[str, Any]) -> dict[str, Any] | int:
    """The body's JSON object, or the status refusing it. Anything but an object is a 400:
    a bare number (`1`, `true`) must never pass for a status."""
    body = event.get("body") or ""
    try:
        raw = (
            base64.b64decode(body, validate=True)
            if event.get("isBase64Encoded")
            else body.encode("utf-8", errors="surrogatepass")
        )
    except (binascii.Error, ValueError):
        return 400
    if len(raw) > MAX_JSON_BYTES:
        return 413
    try:
        parsed = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return 400
    return parsed if isinstance(parsed, dict) else 400
