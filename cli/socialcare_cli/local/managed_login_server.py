"""The local managed login's HTTP side: the sign-in pages (user name and password, a new
password, an authenticator's setup and code) and the endpoints' answers, on their own
port. What each endpoint allows is managed_login.py's."""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from socialcare_cli.local.managed_login import Authorization, LoginError, ManagedLogin
from socialcare_cli.local.servers import LocalThreadingServer

_FIELDS = {  # the form each challenge shows: (field, label, input type)
    "": (("username", "Username or email", "text"), ("password", "Password", "password")),
    "NEW_PASSWORD_REQUIRED": (("new_password", "New password", "password"),),
    "MFA_SETUP": (("code", "Code from your authenticator app", "text"),),
    "SOFTWARE_TOKEN_MFA": (("code", "Code from your authenticator app", "text"),),
}


# Every answer, as a login page's must: never sniffed into another type, never framed (the
# console's redirects lead here, so the reliability fuzz and a browser see these answers).
_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}


class ManagedLoginServer:
    def __init__(self, login: ManagedLogin, port: int = 0) -> None:
        self.login = login
        self._server = LocalThreadingServer(("127.0.0.1", port), _Handler)
        self._server.login = login  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ManagedLoginServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        return  # the emulator's access log says nothing a user of the stack needs

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        login: ManagedLogin = self.server.login
        try:
            if url.path == "/oauth2/authorize":
                self._page(login.authorize(query), "", "")
            elif url.path == "/logout":
                self._redirect(login.logout(query))
            else:
                self._json(404, {"error": "not_found"})
        except LoginError as refused:
            self._json(refused.status, {"error": refused.error})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode("utf-8")))
        login: ManagedLogin = self.server.login
        path = urlsplit(self.path).path
        try:
            if path == "/oauth2/token":
                self._json(200, login.token(form))
            elif path == "/oauth2/revoke":
                login.revoke(form)
                self._json(200, {})
            elif path == "/login":
                self._sign_in(login, form)
            else:
                self._json(404, {"error": "not_found"})
        except LoginError as refused:
            self._json(refused.status, {"error": refused.error})

    def _sign_in(self, login: ManagedLogin, form: dict[str, str]) -> None:
        flow_id = form.get("flow", "")
        flow = login.flow(flow_id)
        step = form.get("step", "")
        try:
            result = _step(login, flow, step, form)
        except Exception as error:  # moto's NotAuthorized, CodeMismatch, InvalidPassword
            self._page(flow_id, step, _refusal(error))
            return
        challenge = login.answer(flow, result)
        if challenge is None:
            query = urlencode({"code": flow.session, "state": flow.state})
            self._redirect(f"{flow.redirect_uri}?{query}")
            return
        if challenge == "MFA_SETUP":
            association = login.cognito.associate_software_token(Session=flow.session)
            flow.totp_secret = association["SecretCode"]
            flow.session = association.get("Session", flow.session)
        if challenge not in _FIELDS:
            self._page(flow_id, "", f"unsupported challenge {challenge}")
            return
        self._page(flow_id, challenge, "")

    def _page(self, flow_id: str, step: str, error: str) -> None:
        flow = self.server.login.flow(flow_id)
        inputs = "".join(
            f'<p><label for="{name}">{label}</label><br>'
            f'<input id="{name}" name="{name}" type="{kind}" required '
            f'autocomplete="{"one-time-code" if name == "code" else "on"}"></p>'
            for name, label, kind in _FIELDS[step]
        )
        setup = (
            f"<p>Add this key to your authenticator app: <code>{html.escape(flow.totp_secret)}"
            "</code></p>"
            if step == "MFA_SETUP"
            else ""
        )
        alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Sign in - socialcare (local)</title></head><body><main>"
            f"<h1>Sign in</h1>{alert}{setup}"
            '<form method="post" action="/login">'
            f'<input type="hidden" name="flow" value="{html.escape(flow_id)}">'
            f'<input type="hidden" name="step" value="{html.escape(step)}">'
            f'{inputs}<p><button type="submit">Continue</button></p></form></main></body></html>'
        )
        self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self._security_headers()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, "application/json", json.dumps(body).encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self._security_headers()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _security_headers(self) -> None:
        for name, value in _SECURITY_HEADERS.items():
            self.send_header(name, value)


def _step(login: ManagedLogin, flow: Authorization, step: str, form: dict[str, str]) -> Any:
    cognito = login.cognito
    if step == "":
        flow.username = _username(login, form.get("username", "").strip())
        return cognito.initiate_auth(
            ClientId=flow.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": flow.username, "PASSWORD": form.get("password", "")},
        )
    if step == "NEW_PASSWORD_REQUIRED":
        responses = {"USERNAME": flow.username, "NEW_PASSWORD": form.get("new_password", "")}
    elif step == "MFA_SETUP":
        verified = cognito.verify_software_token(
            Session=flow.session, UserCode=form.get("code", ""), FriendlyDeviceName="console"
        )
        flow.session = verified["Session"]
        responses = {"USERNAME": flow.username}
    elif step == "SOFTWARE_TOKEN_MFA":
        responses = {"USERNAME": flow.username, "SOFTWARE_TOKEN_MFA_CODE": form.get("code", "")}
    else:
        raise LoginError("invalid_request")
    return cognito.respond_to_auth_challenge(
        ClientId=flow.client_id,
        ChallengeName=step,
        Session=flow.session,
        ChallengeResponses=responses,
    )


def _username(login: ManagedLogin, given: str) -> str:
    """An email signs in as its user (the pool's email alias; moto resolves only usernames)."""
    if "@" not in given:
        return given
    found = login.cognito.list_users(
        UserPoolId=login.user_pool_id, Filter=f'email = "{given.replace(chr(34), "")}"'
    )["Users"]
    return str(found[0]["Username"]) if found else given


def _refusal(error: Exception) -> str:
    """What the person reads: Cognito's own wording of the common refusals."""
    code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
    return {
        "NotAuthorizedException": "Incorrect username or password.",
        "UserNotFoundException": "Incorrect username or password.",
        "CodeMismatchException": "Invalid code received for user",
        "InvalidPasswordException": "Password does not conform to policy",
    }.get(code, "Something went wrong, please try again.")
