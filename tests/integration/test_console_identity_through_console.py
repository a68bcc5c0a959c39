"""Who may use the console, through the console function on the local stack: people made
with `socialcare users add`, tokens from the local Cognito, the JSON API per role (401
without a token, with a forged or edited one; 403 for a role not allowed), and a page
session from sign-in to sign-out as a browser holds it (cookies, CSRF)."""

from __future__ import annotations

import base64
import json
import re
import secrets
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.local.stack import LocalStack
from socialcare_cli.main import main
from tests.integration.console_sign_in import call, sign_in, through_managed_login

PASSWORD = "Console-pass-2026!"


def _person(stack: LocalStack, api: str, role: str, capsys: Any) -> tuple[str, dict[str, Any], str]:
    """(username, the token endpoint's answer, the person's TOTP key)."""
    email = f"{role}.{secrets.token_hex(3)}@brand.example"
    assert main(["users", "add", email, "--role", role, "--local", api]) == 0
    out = capsys.readouterr().out
    temporary = re.search(r"temporary password: (\S+)", out).group(1)
    outputs = stack.stack_outputs()
    tokens, key = sign_in(
        outputs["ConsoleLoginUrl"],
        outputs["UserPoolClientId"],
        api,
        email,
        temporary,
        PASSWORD,
    )
    return out.split(" ", 1)[0], tokens, key


def _api(stack: LocalStack, path: str, token: str | None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    event = to_http_api_event("GET", path, "", headers, b"", "ANY /console/{proxy+}", {})
    return stack.function("ConsoleFunction").invoke(event)


def _forged(token: str) -> str:
    """The same claims, signed by a key of ours that claims the pool's kid."""
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    key = RSAKey.generate_key(2048, parameters={"kid": header["kid"]}, private=True)
    return jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, key)


def _edited(token: str, groups: list[str]) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["cognito:groups"] = groups
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{head}.{edited}.{signature}"


def test_the_json_api_answers_each_role_as_the_issue_says(
    stack: LocalStack, api: str, capsys: Any
) -> None:
    # Given an admin and an agent, signed in at the local Cognito
    admin, admin_tokens, _ = _person(stack, api, "admin", capsys)
    agent, agent_tokens, _ = _person(stack, api, "agent", capsys)

    # When the users API is asked with each kind of token
    answers = {
        "none": _api(stack, "/console/api/users", None),
        "forged": _api(stack, "/console/api/users", _forged(admin_tokens["access_token"])),
        "edited": _api(
            stack,
            "/console/api/users",
            _edited(agent_tokens["access_token"], ["admins"]),
        ),
        "id token": _api(stack, "/console/api/users", admin_tokens["id_token"]),
        "agent": _api(stack, "/console/api/users", agent_tokens["access_token"]),
        "admin": _api(stack, "/console/api/users", admin_tokens["access_token"]),
        "agent reads cases": _api(stack, "/console/api/cases", agent_tokens["access_token"]),
    }

    # Then 401 without a valid token, 403 for the agent, and the admin sees both people
    assert {k: v["statusCode"] for k, v in answers.items()} == {
        "none": 401,
        "forged": 401,
        "edited": 401,
        "id token": 401,
        "agent": 403,
        "admin": 200,
        "agent reads cases": 200,
    }
    listed = {u["username"]: u for u in json.loads(answers["admin"]["body"])["users"]}
    assert listed[admin]["roles"] == ["admin"] and listed[agent]["roles"] == ["agent"]


class _Browser:
    """Cookies as a browser keeps them for the local API (Path=/console...)."""

    def __init__(self) -> None:
        self.jar: dict[str, str] = {}

    def go(
        self, method: str, url: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        from urllib.parse import urlencode

        data = urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (local)
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        path = urlsplit(url).path
        cookies = [f"{k}={v}" for k, v in self.jar.items() if path.startswith(k.split("|")[1])]
        request.add_header(
            "Cookie",
            "; ".join(c.split("|", 1)[0] + "=" + c.split("=", 1)[1] for c in cookies),
        )
        status, headers, body = _open(request)
        for line in headers.get_all("set-cookie") or []:
            pair, _, attributes = line.partition(";")
            name, _, value = pair.partition("=")
            cookie_path = re.search(r"Path=([^;]+)", attributes).group(1).strip()
            key = f"{name}|{cookie_path}"
            if "Max-Age=0" in attributes:
                self.jar.pop(key, None)
            else:
                self.jar[key] = value
        return status, {k.lower(): v for k, v in headers.items()}, body


def _open(request: urllib.request.Request) -> tuple[int, Any, str]:
    import urllib.error

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read().decode()


def test_a_page_session_from_sign_in_to_sign_out(stack: LocalStack, api: str, capsys: Any) -> None:
    # Given an admin who has set up their authenticator
    username, _, key = _person(stack, api, "admin", capsys)
    browser = _Browser()

    # When they open the users page: to the sign-in, the managed login, back with a code
    status, headers, _ = browser.go("GET", f"{api}/console/users")
    assert status in (302, 303) and headers["location"] == "/console/signin"
    status, headers, _ = browser.go("GET", f"{api}/console/signin")
    callback = through_managed_login(headers["location"], username, PASSWORD, key)
    status, headers, _ = browser.go(
        "GET",
        f"{api}/console/callback?code={callback['code']}&state={callback['state']}",
    )
    assert status == 302
    status, _, page = browser.go("GET", f"{api}/console/users")

    # Then the page lists them, and its forms carry the session's CSRF token
    assert status == 200 and username in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    # And a sign-out without the token is refused; with it, the session ends at once
    assert browser.go("POST", f"{api}/console/signout", {"csrf": "forged"})[0] == 403
    session = dict(browser.jar)
    status, headers, _ = browser.go("POST", f"{api}/console/signout", {"csrf": csrf})
    assert (status, headers["location"]) == (303, "/console/signin?signed_out=1")
    _, _, page = browser.go("GET", f"{api}{headers['location']}")
    assert "/logout?" in page  # on to the managed login's logout
    browser.jar = session  # the old cookies, kept by someone who copied them
    status, headers, _ = browser.go("GET", f"{api}/console/users")
    assert status in (302, 303) and headers["location"] == "/console/signin"
    assert call("GET", f"{api}/console/api/users")[0] == 401
