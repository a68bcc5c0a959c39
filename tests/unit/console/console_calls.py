"""One request to the console's router over an area's fakes, as API Gateway would send it:
a form (urlencoded) or a JSON body, the person already identified and CSRF accepted."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from socialcare.domain.console_users import ConsoleUser
from socialcare.presentation.console.requests import Route
from socialcare.presentation.console.router import Console, answer
from socialcare_cli.local.http import to_http_api_event


def call(
    routes: list[Route],
    area: Any,
    user: ConsoleUser,
    method: str,
    path: str,
    *,
    query: str = "",
    form: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    sent, raw = dict(headers or {}), b""
    if form is not None:
        sent["content-type"] = "application/x-www-form-urlencoded"
        raw = urlencode(form).encode()
    if body is not None:
        sent["content-type"] = "application/json"
        raw = json.dumps(body).encode()
    event = to_http_api_event(method, path, query, sent, raw, "ANY /console/{proxy+}", {})
    console = Console(routes, lambda request: user, lambda who, token: True, lambda name: area)
    return answer(event, console)
