"""The console's identity area: what verifies each request (AccessDependencies), what
signs people in and out (SessionDependencies), and the pool's people. Only the console
function (and `socialcare users`) builds these: cryptography is imported by no other
function's cold start. bootstrap/console.py (the router) takes `identify`, `csrf_valid`,
`csrf_token` and the area's `dependencies` from here."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from socialcare.bootstrap import Root
from socialcare.bootstrap.console_replies import console_audit

if TYPE_CHECKING:
    from socialcare.adapters.cognito_users import CognitoConsoleUsers
    from socialcare.adapters.dynamodb.console_sessions import DynamoDBRevokedSessions
    from socialcare.app.console_access import AccessDependencies, AccessRefused
    from socialcare.app.console_sessions import SessionDependencies
    from socialcare.domain.console_users import ConsoleUser
    from socialcare.presentation.console.access_routes import AccessArea
    from socialcare.presentation.console.requests import ConsoleRequest


def access(root: Root) -> AccessDependencies:
    def build() -> AccessDependencies:
        from socialcare.adapters.cognito_tokens import JwksAccessTokens
        from socialcare.adapters.secrets import StackKey
        from socialcare.app.console_access import AccessDependencies
        from socialcare.domain.console_tokens import issuer_of_pool

        issuer = issuer_of_pool(root.required("user_pool_id"))
        jwks_url = root.settings.cognito_jwks_url or f"{issuer}/.well-known/jwks.json"
        key = StackKey(
            root.required("console_csrf_secret_id"), client=root.client("secretsmanager")
        )
        return AccessDependencies(
            tokens=JwksAccessTokens(jwks_url),
            revoked=revoked_sessions(root),
            issuer=issuer,
            client_id=root.required("user_pool_client_id"),
            csrf_secret=lambda: key().encode("utf-8"),
            now=time.time,
        )

    return root.once("console_access", build)


def sessions(root: Root) -> SessionDependencies:
    def build() -> SessionDependencies:
        from socialcare.adapters.cognito_login import HttpManagedLogin
        from socialcare.app.console_sessions import SessionDependencies

        base = root.required("actions_base_url").rstrip("/")
        login = HttpManagedLogin(
            root.required("console_login_url"), root.required("user_pool_client_id")
        )
        return SessionDependencies(
            login=login,
            revoked=revoked_sessions(root),
            redirect_uri=f"{base}/console/callback",
            signed_out_uri=f"{base}/console/signin",
            access_token_seconds=root.settings.console_access_token_minutes * 60,
            now=time.time,
        )

    return root.once("console_sessions", build)


def revoked_sessions(root: Root) -> DynamoDBRevokedSessions:
    def build() -> DynamoDBRevokedSessions:
        from socialcare.adapters.dynamodb.console_sessions import DynamoDBRevokedSessions

        return DynamoDBRevokedSessions(root.client("dynamodb"), root.required("cases_table_name"))

    return root.once("console_revoked_sessions", build)


def users(root: Root, *, print_password: bool = False) -> CognitoConsoleUsers:
    """The pool's people: the admins' page, @mentions, and `socialcare users`."""
    from socialcare.adapters.cognito_users import CognitoConsoleUsers

    return root.once(
        f"console_users:{print_password}",
        lambda: CognitoConsoleUsers(
            root.client("cognito-idp"),
            root.required("user_pool_id"),
            print_password=print_password,
        ),
    )


def dependencies(root: Root) -> AccessArea:
    """The `access` area's bundle (bootstrap/console.py builds each area's by this name)."""
    from socialcare.presentation.console.access_routes import AccessArea

    return root.once(
        "console_access_area",
        lambda: AccessArea(
            sessions=sessions(root),
            access=access(root),
            users=users(root),
            audit=console_audit(root),  # each person's last actions (console_replies.py)
        ),
    )


def identify(root: Root) -> Callable[[ConsoleRequest], ConsoleUser | AccessRefused]:
    """Who sends a console request (app/console_access.py), for the console's router."""
    from socialcare.app.console_access import identify as identify_request

    deps = access(root)
    return lambda request: identify_request(request, deps)


def csrf_valid(root: Root) -> Callable[[ConsoleUser, str], bool]:
    """Whether a POSTed form's `csrf` field is the person's session's token."""
    from socialcare.domain.console_csrf import csrf_valid as valid

    deps = access(root)
    return lambda user, token: valid(user.session, token, deps.csrf_secret())


def csrf_token(root: Root) -> Callable[[ConsoleUser], str]:
    """The token the person's page forms carry in their hidden `csrf` field."""
    from socialcare.domain.console_csrf import csrf_token as token_of

    deps = access(root)
    return lambda user: token_of(user.session, deps.csrf_secret())
