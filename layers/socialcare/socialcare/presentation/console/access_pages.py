"""What the console's sign-in routes answer: the session's cookies (payload 2.0's
`cookies` list), redirects, the short sign-in notices and the admins' users page, in
Spanish or English."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from socialcare.app.console_access import REFRESH_COOKIE, SESSION_COOKIE, SIGNIN_COOKIE
from socialcare.domain.console_accounts import ConsoleAccount
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_users import ConsoleUser
from socialcare.presentation.console.pages import PageKit, render_page
from socialcare.presentation.console.requests import ConsoleRequest, Response
from socialcare.presentation.http import LINK_PAGE_HEADERS, html
from socialcare.presentation.rendering import render

# The cookies last as long as the refresh token (the app client's 12 hours): past that,
# the person signs in again. The sign-in cookie, only while the managed login is open
# (10 minutes), and only to the callback.
SESSION_SECONDS = 12 * 3600
SIGNIN_SECONDS = 600
_ATTRIBUTES = "Secure; HttpOnly; SameSite=Lax"

WORDS = {
    "es": {
        "users_title": "Personas de la consola",
        "users_intro": "Quién puede entrar, con qué papel, y lo último que ha hecho.",
        "email": "Correo",
        "roles": "Papeles",
        "no_role": "ninguno",
        "status": "Estado",
        "disabled": "desactivada",
        "last_actions": "Últimas acciones",
        "no_actions": "Ninguna todavía.",
        "no_users": "Nadie todavía: socialcare users add CORREO --role PAPEL.",
        "sign_out": "Cerrar sesión",
        "sign_in": "Iniciar sesión",
        "signed_out_title": "Sesión cerrada",
        "signed_out": "Has cerrado la sesión. Para volver a entrar:",
        "failed_title": "No se ha podido iniciar sesión",
        "failed": "El inicio de sesión caducó o no empezó en este navegador. Inténtalo de nuevo.",
    },
    "en": {
        "users_title": "Console people",
        "users_intro": "Who may sign in, in which role, and what they did last.",
        "email": "Email",
        "roles": "Roles",
        "no_role": "none",
        "status": "Status",
        "disabled": "disabled",
        "last_actions": "Last actions",
        "no_actions": "None yet.",
        "no_users": "No one yet: socialcare users add EMAIL --role ROLE.",
        "sign_out": "Sign out",
        "sign_in": "Sign in",
        "signed_out_title": "Signed out",
        "signed_out": "You have signed out. To sign in again:",
        "failed_title": "Could not sign in",
        "failed": "The sign-in expired or did not start in this browser. Please try again.",
    },
}


def words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["es"])


def _cookie(name: str, value: str, path: str, max_age: int) -> str:
    return f"{name}={value}; Path={path}; Max-Age={max_age}; {_ATTRIBUTES}"


def session_cookies(access_token: str, refresh_token: str) -> list[str]:
    """The page session (the refresh token too when the answer carries one)."""
    cookies = [_cookie(SESSION_COOKIE, access_token, "/console", SESSION_SECONDS)]
    if refresh_token:
        cookies.append(_cookie(REFRESH_COOKIE, refresh_token, "/console", SESSION_SECONDS))
    return cookies


def signin_cookie(state: str, verifier: str, next_path: str) -> str:
    """state and verifier are URL-safe base64 (no dots); the path is encoded so that no
    character of it can end the cookie's value."""
    path = base64.urlsafe_b64encode(next_path.encode("utf-8")).decode("ascii")
    return _cookie(SIGNIN_COOKIE, f"{state}.{verifier}.{path}", "/console/callback", SIGNIN_SECONDS)


def started_sign_in(cookie: str) -> tuple[str, str, str] | None:
    """(state, verifier, next path) from the sign-in cookie; None when absent or bent."""
    parts = cookie.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return None
    try:
        next_path = base64.urlsafe_b64decode(parts[2]).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return parts[0], parts[1], next_path


def cleared(*names_and_paths: tuple[str, str]) -> list[str]:
    return [_cookie(name, "", path, 0) for name, path in names_and_paths]


ALL_SESSION_COOKIES = (
    (SESSION_COOKIE, "/console"),
    (REFRESH_COOKIE, "/console"),
)


def redirect_with(location: str, cookies: Sequence[str]) -> Response:
    return {
        "statusCode": 302,
        "headers": {**LINK_PAGE_HEADERS, "Location": location},
        "cookies": list(cookies),
        "body": "",
    }


def notice(
    status: int,
    language: str,
    title_key: str,
    line_key: str,
    cookies: Sequence[str] = (),
    then: str = "",
) -> Response:
    """A short page; `then`: where the browser goes on at once (a 0-second refresh, no
    script), also its link to sign in."""
    t = words(language)
    page = render(
        "console/signin_notice.html",
        language=language,
        t=t,
        title=t[title_key],
        line=t[line_key],
        then=then,
    )
    return {**html(status, page), "cookies": list(cookies)}


def _person(account: ConsoleAccount, last: list[AuditEntry]) -> dict[str, Any]:
    return {
        "username": account.username,
        "email": account.email,
        "groups": list(account.groups),
        "roles": sorted(str(role) for role in account.roles),
        "status": account.status,
        "enabled": account.enabled,
        "last_actions": [
            {"action": e.action, "at": e.at, "case_id": e.case_id, "detail": e.detail} for e in last
        ],
    }


def users_json(people: list[tuple[ConsoleAccount, list[AuditEntry]]]) -> Response:
    body = json.dumps({"users": [_person(a, last) for a, last in people]}, ensure_ascii=False)
    return {
        "statusCode": 200,
        "headers": {
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
        "body": body,
        "isBase64Encoded": False,
    }


def users_page(
    people: list[tuple[ConsoleAccount, list[AuditEntry]]],
    request: ConsoleRequest,
    user: ConsoleUser,
    csrf: str,
) -> Response:
    """In the console's layout (its nav, language switch and sign-out form)."""
    return render_page(
        "console/users.html",
        request,
        user,
        PageKit(csrf=lambda _user: csrf),
        w=words(request.language),
        people=[_person(a, last) for a, last in people],
    )
