"""The console's router: the request read, its route found, the person identified and
allowed, a form's CSRF token checked, then the route's endpoint called with its area's
dependencies. 401 without a valid identity (a page: to the sign-in), 403 when the person's
roles do not allow the route's action or a form's token is not valid, 404, 405; errors
are JSON under /console/api/ and short pages elsewhere."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from socialcare.domain.console_users import ConsoleUser
from socialcare.presentation.console.parsing import read_event
from socialcare.presentation.console.requests import ConsoleRequest, Response, Route
from socialcare.presentation.console.responses import error, redirect

SIGN_IN_PATH = "/console/signin"  # the access area's route
CSRF_FIELD = "csrf"
ANONYMOUS = ConsoleUser(username="", roles=frozenset())


@dataclass(frozen=True)
class Console:
    """`identify`: who sends the request (None: nobody valid); `csrf_valid`: whether a
    form's token belongs to the person's session; `area`: an area's dependencies, built
    on first use."""

    routes: Sequence[Route]
    identify: Callable[[ConsoleRequest], ConsoleUser | None]
    csrf_valid: Callable[[ConsoleUser, str], bool]
    area: Callable[[str], Any]


def answer(event: dict[str, Any], console: Console) -> Response:
    request = read_event(event)
    if not isinstance(request, ConsoleRequest):
        return request
    found = match(console.routes, request.method, request.path)
    if isinstance(found, int):
        return error(found, request.api)
    route, params = found
    request = dataclasses.replace(request, path_params=params)
    user = console.identify(request)
    if route.action is not None:
        if user is None:
            return _unidentified(request)
        if not user.may(route.action):
            return error(403, request.api, "your role does not allow this")
    if _form_post(request) and user is not None and not _csrf_ok(console, user, request):
        return error(403, request.api, "the form expired: open the page again")
    return route.endpoint(request, user or ANONYMOUS, console.area(route.area))


def match(routes: Sequence[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | int:
    """The route and its path parameters; 404 when no pattern matches, 405 when one does
    but not for this method."""
    allowed = False
    for route in routes:
        found = _pattern(route.pattern).fullmatch(path)
        if found is None:
            continue
        if route.method in (method, "ANY") or (method == "HEAD" and route.method == "GET"):
            return route, found.groupdict()
        allowed = True
    return 405 if allowed else 404


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """API Gateway's path pattern: {name} one segment, {name+} the rest of the path."""
    parts = re.split(r"(\{\w+\+?\})", pattern)
    regex = ""
    for part in parts:
        variable = re.fullmatch(r"\{(\w+)(\+?)\}", part)
        if variable is None:
            regex += re.escape(part)
        else:
            regex += f"(?P<{variable.group(1)}>{'.+' if variable.group(2) else '[^/]+'})"
    return re.compile(regex)


def _form_post(request: ConsoleRequest) -> bool:
    return request.method == "POST" and not request.api


def _csrf_ok(console: Console, user: ConsoleUser, request: ConsoleRequest) -> bool:
    token = request.form.get(CSRF_FIELD, "")
    return bool(token) and console.csrf_valid(user, token)


def _unidentified(request: ConsoleRequest) -> Response:
    """An API call: 401. A page asked for: the sign-in (which comes back to the inbox)."""
    if request.api or request.method != "GET":
        response = error(401, request.api, "sign in again")
        response["headers"]["WWW-Authenticate"] = 'Bearer realm="console"'
        return response
    return redirect(SIGN_IN_PATH)
