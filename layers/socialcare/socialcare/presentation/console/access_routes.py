"""The console's identity area (routes of area `access`): signing in through Cognito's
managed login and out, and the admins' view of the console's people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialcare.app.console_access import REFRESH_COOKIE, SIGNIN_COOKIE, SIGNIN_PATH
from socialcare.app.console_sessions import (
    SignedIn,
    finish_sign_in,
    managed_login_logout,
    refresh_session,
    sign_out,
    start_sign_in,
)
from socialcare.domain.console_csrf import csrf_token
from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.presentation.console import access_pages as pages
from socialcare.presentation.console.requests import ConsoleRequest, Response, Route

if TYPE_CHECKING:
    from socialcare.app.console_access import AccessDependencies
    from socialcare.app.console_sessions import SessionDependencies
    from socialcare.ports.console_access import ConsoleUsers
    from socialcare.ports.console_audit import ConsoleAudit

AREA = "access"
LAST_ACTIONS = 5


@dataclass(frozen=True)
class AccessArea:
    """The area's bundle (bootstrap/console_access.py's `area`). `audit`: the actions
    slice's store of console actions."""

    sessions: SessionDependencies
    access: AccessDependencies
    users: ConsoleUsers
    audit: ConsoleAudit | None


def signin(request: ConsoleRequest, _user: Any, area: AccessArea) -> Response:
    """The way into the console: with a refresh cookie, a new access token (an expired
    page session comes here); else the managed login, with PKCE (also where signing out
    ends: the managed login's sign-in form). `?signed_out=1`: the page after signing out,
    which sends the browser on to the managed login's logout."""
    if request.query.get("signed_out"):
        logout = managed_login_logout(area.sessions)
        return pages.notice(200, request.language, "signed_out_title", "signed_out", then=logout)
    next_path = request.query.get("next", "")
    refresh = request.cookies.get(REFRESH_COOKIE, "")
    if refresh:
        renewed = refresh_session(refresh, next_path, area.sessions)
        if isinstance(renewed, SignedIn):
            cookies = pages.session_cookies(renewed.tokens.access_token, "")
            return pages.redirect_with(renewed.next_path, cookies)
    started = start_sign_in(next_path, area.sessions)
    cookie = pages.signin_cookie(started.state, started.verifier, started.next_path)
    return pages.redirect_with(
        started.authorize_url, [cookie, *pages.cleared(*pages.ALL_SESSION_COOKIES)]
    )


def callback(request: ConsoleRequest, _user: Any, area: AccessArea) -> Response:
    """The managed login's redirect: the code exchanged (PKCE), the session set."""
    started = pages.started_sign_in(request.cookies.get(SIGNIN_COOKIE, ""))
    outcome = finish_sign_in(
        request.query.get("code", ""), request.query.get("state", ""), started, area.sessions
    )
    done = pages.cleared((SIGNIN_COOKIE, "/console/callback"))
    if not isinstance(outcome, SignedIn):
        return pages.notice(400, request.language, "failed_title", "failed", done)
    tokens = outcome.tokens
    cookies = [*pages.session_cookies(tokens.access_token, tokens.refresh_token), *done]
    return pages.redirect_with(outcome.next_path, cookies)


def signout(request: ConsoleRequest, user: ConsoleUser, area: AccessArea) -> Response:
    """CSRF-checked by the console handler like every form; revokes and clears. The answer
    stays on this origin (303 to the signed-out page): the pages' CSP (`form-action
    'self'`) would stop a form's redirect to the managed login's logout."""
    sign_out(user, request.cookies.get(REFRESH_COOKIE, ""), area.sessions)
    cleared = pages.cleared(*pages.ALL_SESSION_COOKIES)
    return {**pages.redirect_with(f"{SIGNIN_PATH}?signed_out=1", cleared), "statusCode": 303}


def _people(area: AccessArea) -> list[tuple[Any, list[Any]]]:
    accounts = sorted(area.users.list_users(), key=lambda account: account.username)
    if area.audit is None:
        return [(account, []) for account in accounts]
    return [(a, area.audit.last_actions(a.username, LAST_ACTIONS)) for a in accounts]


def users_api(_request: ConsoleRequest, _user: ConsoleUser, area: AccessArea) -> Response:
    return pages.users_json(_people(area))


def users_page(request: ConsoleRequest, user: ConsoleUser, area: AccessArea) -> Response:
    csrf = csrf_token(user.session, area.access.csrf_secret())
    return pages.users_page(_people(area), request, user, csrf)


ROUTES: list[Route] = [
    Route("GET", "/console/signin", None, AREA, signin),
    Route("GET", "/console/callback", None, AREA, callback),
    Route("POST", "/console/signout", ConsoleAction.READ, AREA, signout),
    Route("GET", "/console/api/users", ConsoleAction.MANAGE_USERS, AREA, users_api),
    Route("GET", "/console/users", ConsoleAction.MANAGE_USERS, AREA, users_page),
]
