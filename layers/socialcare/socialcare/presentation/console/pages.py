"""What every console page is made of: the layout (nav by role, the signed-in person, the
sign-out form, the es/en switch), the console's words, and helpers the areas share. Pages
are rendered on the server with the layer's jinja2 environment (autoescaped); the only
script is /console/static/console.js (the refresh), and every page works without it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import quote

from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.presentation.console.requests import ConsoleRequest, Response
from socialcare.presentation.console.responses import page_response
from socialcare.presentation.console.static_files import version
from socialcare.presentation.rendering import TEMPLATES, render

# The nav: (words key, path, what the person must be allowed to do to see it).
NAV = (
    ("nav_inbox", "/console/", ConsoleAction.READ),
    ("nav_approvals", "/console/approvals", ConsoleAction.APPROVE),
    ("nav_saved_replies", "/console/saved-replies", ConsoleAction.READ),
    ("nav_users", "/console/users", ConsoleAction.MANAGE_USERS),
)
REFRESH_SECONDS = 15  # at most one refresh a tab every 15 s (the issue)


@dataclass(frozen=True)
class PageKit:
    """What a page needs beside its area's use cases: the CSRF token of the person's
    session for its forms (the access area's csrf_token)."""

    csrf: Callable[[ConsoleUser], str]


@cache
def _all_words() -> dict[str, dict[str, Any]]:
    from socialcare.config.yaml_files import read_yaml

    return dict(read_yaml(TEMPLATES / "console" / "strings.yaml"))


def words(language: str) -> dict[str, Any]:
    table = _all_words()
    return table.get(language) or table["es"]


def render_page(
    template: str,
    request: ConsoleRequest,
    user: ConsoleUser,
    kit: PageKit,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    html = render(
        template,
        t=words(request.language),
        language=request.language,
        user=user,
        nav=[(key, path) for key, path, action in NAV if user.may(action)],
        current=request.path,
        csrf=kit.csrf(user) if user.username else "",
        switch_language=_switch_url(request),
        css=f"/console/static/console.css?v={version('console.css')}",
        js=f"/console/static/console.js?v={version('console.js')}",
        refresh_seconds=REFRESH_SECONDS,
        **context,
    )
    return page_response(status, html, headers)


def _switch_url(request: ConsoleRequest) -> str:
    other = "en" if request.language == "es" else "es"
    return f"/console/language?to={other}&back={quote(request.path, safe='/')}"


def time_left(seconds: int, t: dict[str, Any]) -> str:
    """'due in 1 h 20 min' / 'overdue by 3 d 2 h', in the page's words."""
    span = abs(seconds)
    days, rest = divmod(span, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {minutes} min"
    else:
        text = f"{minutes} min"
    return str(t["due_in" if seconds >= 0 else "overdue_by"].format(time=text))


def short_time(iso: str | None) -> str:
    """A UTC ISO time as "2026-11-24 09:15 UTC" (the console shows UTC: one team may sit
    in several time zones)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M UTC")
