"""The inbox area's routes: the open cases (page and API), the search over messages (page
and API, by POST), a case (page and API), the console's static files and the language
switch."""

from __future__ import annotations

from typing import Any

from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.presentation.console.inbox_pages import (
    api_case,
    api_cases,
    api_search,
    case_page,
    inbox_page,
    search_page,
)
from socialcare.presentation.console.parsing import LANGUAGE_COOKIE, LANGUAGES
from socialcare.presentation.console.requests import ConsoleRequest, Response, Route
from socialcare.presentation.console.responses import error, redirect
from socialcare.presentation.console.static_files import static_file

AREA = "inbox"
# A year: a preference, not a credential (it says only es or en).
_LANGUAGE_MAX_AGE = 365 * 24 * 3600


def static(request: ConsoleRequest, _user: ConsoleUser, _deps: Any) -> Response:
    found = static_file(
        request.path_params.get("name", ""), request.headers.get("if-none-match", "")
    )
    return found if found is not None else error(404, False)


def switch_language(request: ConsoleRequest, _user: ConsoleUser, _deps: Any) -> Response:
    """GET /console/language?to=en&back=/console/...: the preference cookie, then back to
    the console page the person was on (only a console path: never another site)."""
    chosen = request.query.get("to", "")
    if chosen not in LANGUAGES:
        return error(400, False, "to=es or to=en")
    back = request.query.get("back", "/console/")
    if not back.startswith("/console/") or "//" in back or "\\" in back:
        back = "/console/"
    cookie = (
        f"{LANGUAGE_COOKIE}={chosen}; Path=/console; Max-Age={_LANGUAGE_MAX_AGE}; "
        "Secure; HttpOnly; SameSite=Lax"
    )
    return redirect(back, cookies=[cookie])


def to_inbox(_request: ConsoleRequest, _user: ConsoleUser, _deps: Any) -> Response:
    return redirect("/console/")


READ = ConsoleAction.READ
ROUTES: list[Route] = [
    Route("GET", "/console", READ, AREA, to_inbox),
    Route("GET", "/console/", READ, AREA, inbox_page),
    Route("GET", "/console/cases/{id}", READ, AREA, case_page),
    Route("GET", "/console/api/cases", READ, AREA, api_cases),
    Route("POST", "/console/search", READ, AREA, search_page),
    Route("POST", "/console/api/cases/search", READ, AREA, api_search),
    Route("GET", "/console/api/cases/{id}", READ, AREA, api_case),
    Route("GET", "/console/static/{name}", None, AREA, static),
    Route("GET", "/console/language", None, AREA, switch_language),
]
