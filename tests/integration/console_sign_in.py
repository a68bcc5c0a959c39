"""Signing a console user in through the local managed login, as a browser would: the
authorize redirect, the sign-in forms (password, new password, authenticator setup or
code), the callback's code, and the token exchange with PKCE."""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from socialcare.domain.console_tokens import pkce_challenge
from socialcare_cli.authenticator import totp

CALLBACK = "/console/callback"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def call(
    method: str, url: str, form: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    data = urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (the local stack's http URLs)
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with _opener.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read().decode()


def authorize(login_url: str, client_id: str, api: str, verifier: str, state: str) -> str:
    """The sign-in page's flow id."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": api + CALLBACK,
            "state": state,
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "code_challenge": pkce_challenge(verifier),
        }
    )
    status, _, page = call("GET", f"{login_url}/oauth2/authorize?{query}")
    assert status == 200, page
    return _hidden(page, "flow")


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, page
    return found.group(1)


def sign_in(
    login_url: str, client_id: str, api: str, username: str, password: str, new_password: str
) -> tuple[dict[str, Any], str]:
    """A first sign-in with a temporary password: new password, authenticator setup.
    Returns the token endpoint's answer and the TOTP key the person added."""
    verifier, state = secrets.token_urlsafe(64), secrets.token_urlsafe(16)
    flow = authorize(login_url, client_id, api, verifier, state)
    _, _, page = call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "", "username": username, "password": password},
    )
    assert "New password" in page, page
    _, _, page = call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "NEW_PASSWORD_REQUIRED", "new_password": new_password},
    )
    key = re.search(r"<code>([A-Za-z2-7=]+)</code>", page)
    assert key, page
    _, headers, _ = call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "MFA_SETUP", "code": totp(key.group(1))},
    )
    return exchange(login_url, client_id, api, headers, state, verifier), key.group(1)


def sign_in_again(
    login_url: str, client_id: str, api: str, username: str, password: str, key: str
) -> dict[str, Any]:
    verifier, state = secrets.token_urlsafe(64), secrets.token_urlsafe(16)
    flow = authorize(login_url, client_id, api, verifier, state)
    _, _, page = call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "", "username": username, "password": password},
    )
    assert "authenticator" in page, page
    _, headers, _ = call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "SOFTWARE_TOKEN_MFA", "code": totp(key)},
    )
    return exchange(login_url, client_id, api, headers, state, verifier)


def exchange(
    login_url: str, client_id: str, api: str, headers: dict[str, str], state: str, verifier: str
) -> dict[str, Any]:
    location = urlsplit(headers["Location"])
    assert location.path == CALLBACK, headers
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["state"] == state
    status, _, body = call(
        "POST",
        f"{login_url}/oauth2/token",
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": query["code"],
            "redirect_uri": api + CALLBACK,
            "code_verifier": verifier,
        },
    )
    assert status == 200, body
    return dict(json.loads(body))


def through_managed_login(
    authorize_url: str, username: str, password: str, key: str
) -> dict[str, str]:
    """A returning person (password, then their authenticator's code) at `authorize_url`:
    the callback's query (code, state)."""
    status, _, page = call("GET", authorize_url)
    assert status == 200, page
    login_url = authorize_url.split("/oauth2/", 1)[0]
    flow = _hidden(page, "flow")
    call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "", "username": username, "password": password},
    )
    _, headers, _ = call(
        "POST",
        f"{login_url}/login",
        {"flow": flow, "step": "SOFTWARE_TOKEN_MFA", "code": totp(key)},
    )
    location = urlsplit(headers["Location"])
    return {k: v[0] for k, v in parse_qs(location.query).items()}
