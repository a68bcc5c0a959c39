"""The identity area's endpoints against fakes: sign-in with PKCE, the callback's
session cookies, the refresh, sign-out's revocation, and the admins' users views."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from socialcare.app.console_access import (
    REFRESH_COOKIE,
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    identify,
)
from socialcare.app.console_sessions import SessionDependencies
from socialcare.domain.console_accounts import ConsoleAccount
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_csrf import csrf_valid
from socialcare.domain.console_tokens import pkce_challenge
from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.ports.console_access import LoginRefused, SessionTokens
from socialcare.presentation.console import access_routes as routes
from socialcare.presentation.console.requests import ConsoleRequest
from tests.unit.console.identity_tokens import (
    CSRF_SECRET,
    FakeRevokedSessions,
    access_dependencies,
    access_token,
)

API = "https://api.test"


@dataclass
class FakeLogin:
    exchanged: list[tuple[str, str, str]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    refusing: bool = False

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        return f"https://login.test/oauth2/authorize?state={state}&code_challenge={code_challenge}&redirect_uri={redirect_uri}"

    def tokens_for_code(self, code: str, code_verifier: str, redirect_uri: str) -> SessionTokens:
        if self.refusing:
            raise LoginRefused("invalid_grant")
        self.exchanged.append((code, code_verifier, redirect_uri))
        return SessionTokens(access_token(), "refresh-1", 900)

    def refreshed(self, refresh_token: str) -> SessionTokens:
        if self.refusing or refresh_token != "refresh-1":
            raise LoginRefused("invalid_grant")
        return SessionTokens(access_token(jti="jti-2"), "", 900)

    def revoke(self, refresh_token: str) -> None:
        self.revoked.append(refresh_token)

    def logout_url(self, signed_out_uri: str) -> str:
        return f"https://login.test/logout?logout_uri={signed_out_uri}"


@dataclass
class FakeUsers:
    accounts: list[ConsoleAccount]

    def list_users(self) -> list[ConsoleAccount]:
        return self.accounts

    def email_of(self, username: str) -> str | None:
        return next((a.email for a in self.accounts if a.username == username), None)


@dataclass
class FakeAudit:
    entries: list[AuditEntry]

    def record(self, entry: AuditEntry) -> None:
        self.entries.insert(0, entry)

    def last_actions(self, username: str, limit: int = 5) -> list[AuditEntry]:
        return [e for e in self.entries if e.username == username][:limit]


def area(
    login: FakeLogin | None = None, revoked: FakeRevokedSessions | None = None
) -> routes.AccessArea:
    revoked = revoked or FakeRevokedSessions()
    sessions = SessionDependencies(
        login=login or FakeLogin(),
        revoked=revoked,
        redirect_uri=f"{API}/console/callback",
        signed_out_uri=f"{API}/console/signin",
        access_token_seconds=900,
        now=lambda: 1_000_000.0,
    )
    users = FakeUsers(
        [
            ConsoleAccount("luis", "luis@brand.example", ("approvers",), "CONFIRMED"),
            ConsoleAccount(
                "ana", "ana@brand.example", ("community_managers", "admins"), "CONFIRMED"
            ),
        ]
    )
    audit = FakeAudit([AuditEntry("ana", "assign", "2026-12-07T10:00:00.000Z", "c-1", "to luis")])
    return routes.AccessArea(sessions, access_dependencies(revoked), users, audit)


def _cookie(response: dict, name: str) -> str:
    return next(c for c in response["cookies"] if c.startswith(f"{name}="))


def _value(cookie: str) -> str:
    return cookie.split(";", 1)[0].split("=", 1)[1]


def test_signing_in_goes_to_the_managed_login_with_pkce_and_keeps_the_verifier_in_a_cookie() -> (
    None
):
    # Given no session
    request = ConsoleRequest("GET", "/console/signin", query={"next": "/console/cases/c-1"})

    # When the person opens the sign-in
    response = routes.signin(request, None, area())

    # Then they go to the managed login with an S256 challenge of the verifier the
    # short-lived HttpOnly cookie keeps, for the callback only
    location = parse_qs(urlsplit(response["headers"]["Location"]).query)
    cookie = _cookie(response, SIGNIN_COOKIE)
    state, verifier, _ = _value(cookie).split(".")
    assert response["statusCode"] == 302
    assert location["code_challenge"] == [pkce_challenge(verifier)]
    assert location["state"] == [state]
    assert "Path=/console/callback" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "SameSite=Lax" in cookie and "Max-Age=600" in cookie


def _signed_in(login: FakeLogin, a: routes.AccessArea) -> dict:
    started = routes.signin(
        ConsoleRequest("GET", "/console/signin", query={"next": "/console/cases/c-1"}), None, a
    )
    cookie = _value(_cookie(started, SIGNIN_COOKIE))
    state = cookie.split(".")[0]
    return routes.callback(
        ConsoleRequest(
            "GET",
            "/console/callback",
            query={"code": "abc", "state": state},
            cookies={SIGNIN_COOKIE: cookie},
        ),
        None,
        a,
    )


def test_the_callback_exchanges_the_code_with_the_verifier_and_sets_the_session() -> None:
    # Given a sign-in under way
    login = FakeLogin()
    a = area(login)

    # When the managed login redirects back with a code and the state
    response = _signed_in(login, a)

    # Then the code is exchanged with the verifier, and the session cookies are set
    session = _cookie(response, SESSION_COOKIE)
    assert login.exchanged[0][0] == "abc" and login.exchanged[0][2] == f"{API}/console/callback"
    assert response["headers"]["Location"] == "/console/cases/c-1"
    for cookie in (session, _cookie(response, REFRESH_COOKIE)):
        assert all(
            part in cookie for part in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/console;")
        )
    # And a page request with that cookie is the person's
    user = identify(
        ConsoleRequest("GET", "/console/", cookies={SESSION_COOKIE: _value(session)}), a.access
    )
    assert isinstance(user, ConsoleUser) and user.username == "ana"


def test_a_callback_with_another_state_or_no_sign_in_sets_no_session() -> None:
    # Given a sign-in under way, and a callback carrying another state
    a = area()
    started = routes.signin(ConsoleRequest("GET", "/console/signin"), None, a)
    cookie = _value(_cookie(started, SIGNIN_COOKIE))
    for query, cookies in (
        ({"code": "abc", "state": "forged"}, {SIGNIN_COOKIE: cookie}),
        ({"code": "abc", "state": cookie.split(".")[0]}, {}),
    ):
        # When it arrives
        response = routes.callback(
            ConsoleRequest("GET", "/console/callback", query=query, cookies=cookies), None, a
        )
        # Then no session is set, and the page offers to sign in again
        assert response["statusCode"] == 400
        assert not any(c.startswith(f"{SESSION_COOKIE}=") for c in response["cookies"])


def test_an_expired_session_is_renewed_with_the_refresh_token_and_never_sent_elsewhere() -> None:
    # Given a page session whose access token expired, and a next path to another site
    request = ConsoleRequest(
        "GET",
        "/console/signin",
        query={"next": "//evil.example/x"},
        cookies={REFRESH_COOKIE: "refresh-1"},
    )

    # When the sign-in renews it
    response = routes.signin(request, None, area())

    # Then a new access token is set, and the person stays in the console
    assert response["headers"]["Location"] == "/console/"
    assert _value(_cookie(response, SESSION_COOKIE)).count(".") == 2
    assert not any(c.startswith(f"{REFRESH_COOKIE}=") for c in response["cookies"])


def test_a_refused_refresh_goes_to_the_managed_login() -> None:
    # Given a refresh token that was revoked
    request = ConsoleRequest("GET", "/console/signin", cookies={REFRESH_COOKIE: "revoked"})
    # When the sign-in tries it
    response = routes.signin(request, None, area())
    # Then the person signs in again
    assert response["headers"]["Location"].startswith("https://login.test/oauth2/authorize")


def test_signing_out_revokes_the_refresh_token_and_the_session_at_once() -> None:
    # Given a signed-in person
    login, revoked = FakeLogin(), FakeRevokedSessions()
    a = area(login, revoked)
    token = access_token()
    user = identify(ConsoleRequest("GET", "/console/", cookies={SESSION_COOKIE: token}), a.access)
    assert isinstance(user, ConsoleUser)

    # When they sign out
    response = routes.signout(
        ConsoleRequest(
            "POST", "/console/signout", cookies={SESSION_COOKIE: token, REFRESH_COOKIE: "refresh-1"}
        ),
        user,
        a,
    )

    # Then the refresh token is revoked, the session refused until its tokens expire,
    # the cookies cleared; the signed-out page (same origin: the CSP's form-action) then
    # ends the managed login's own session
    assert login.revoked == ["refresh-1"]
    assert revoked.until == {"session-1": 1_000_000 + 900}
    assert all("Max-Age=0" in c for c in response["cookies"])
    assert (response["statusCode"], response["headers"]["Location"]) == (
        303,
        "/console/signin?signed_out=1",
    )
    signed_out = routes.signin(
        ConsoleRequest("GET", "/console/signin", query={"signed_out": "1"}), None, a
    )
    assert (
        '<meta http-equiv="refresh" content="0; url=https://login.test/logout' in signed_out["body"]
    )
    again = identify(ConsoleRequest("GET", "/console/", cookies={SESSION_COOKIE: token}), a.access)
    assert not isinstance(again, ConsoleUser)


def test_admins_see_the_people_their_roles_and_last_actions() -> None:
    # Given the pool's people and the audit's entries
    a = area()
    admin = ConsoleUser("ana", frozenset({Role.ADMIN}), session="session-1")

    # When an admin asks the API and the page
    body = json.loads(
        routes.users_api(ConsoleRequest("GET", "/console/api/users", api=True), admin, a)["body"]
    )
    page = routes.users_page(ConsoleRequest("GET", "/console/users", language="en"), admin, a)

    # Then both list everyone with their roles, status and last actions
    assert [u["username"] for u in body["users"]] == ["ana", "luis"]
    assert body["users"][0]["roles"] == ["admin", "community_manager"]
    assert body["users"][0]["last_actions"][0] == {
        "action": "assign",
        "at": "2026-12-07T10:00:00.000Z",
        "case_id": "c-1",
        "detail": "to luis",
    }
    assert "Console people" in page["body"] and "luis@brand.example" in page["body"]
    # And the page's sign-out form carries the session's CSRF token
    token = page["body"].split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert csrf_valid("session-1", token, CSRF_SECRET)


def test_the_routes_are_the_contracts() -> None:
    # Then the identity area answers the contract's paths, admins only for the users
    found = {(r.method, r.pattern): r.action for r in routes.ROUTES}
    assert found[("GET", "/console/signin")] is None
    assert found[("GET", "/console/callback")] is None
    assert str(found[("GET", "/console/api/users")]) == "manage_users"
    assert str(found[("GET", "/console/users")]) == "manage_users"
    assert ("POST", "/console/signout") in found
    assert all(r.area == "access" for r in routes.ROUTES)


def test_the_router_gets_identify_and_csrf_from_the_composition_root() -> None:
    # Given a root whose access dependencies are the test pool's
    from socialcare.bootstrap import Root, console_access
    from socialcare.settings import Settings

    root = Root(Settings())
    root.provide("console_access", access_dependencies())
    token = access_token()

    # When the router's callables are asked
    user = console_access.identify(root)(
        ConsoleRequest("GET", "/console/", cookies={SESSION_COOKIE: token})
    )
    assert isinstance(user, ConsoleUser)
    csrf = console_access.csrf_token(root)(user)

    # Then the person is known and their form token valid for them only
    assert console_access.csrf_valid(root)(user, csrf)
    assert not console_access.csrf_valid(root)(ConsoleUser("eve", frozenset(), session="s-2"), csrf)
