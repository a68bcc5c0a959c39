"""Signing in to the console and out of it, through Cognito's managed login: the
authorization code grant with PKCE (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html,
https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html). socialcare
never sees a password: the managed login asks for it (and for the TOTP code), and the
console gets an authorization code it exchanges for tokens. Signing out revokes the
refresh token (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html)
and records the session revoked, so its access token stops working at once rather than
when it expires."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialcare.domain.console_tokens import pkce_challenge
from socialcare.ports.console_access import LoginRefused

if TYPE_CHECKING:
    from socialcare.domain.console_users import ConsoleUser
    from socialcare.ports.console_access import ManagedLogin, RevokedSessions, SessionTokens

HOME = "/console/"


@dataclass(frozen=True)
class SessionDependencies:
    login: ManagedLogin
    revoked: RevokedSessions
    redirect_uri: str  # <the API's URL>/console/callback, as the app client lists it
    signed_out_uri: str  # <the API's URL>/console/signin, the app client's sign-out URL
    access_token_seconds: int  # the app client's AccessTokenValidity
    now: Callable[[], float]


@dataclass(frozen=True)
class SignInStarted:
    """Go to `authorize_url`; keep `state`, `verifier` and `next_path` (a short-lived
    HttpOnly cookie) until the callback."""

    authorize_url: str
    state: str
    verifier: str
    next_path: str


@dataclass(frozen=True)
class SignedIn:
    tokens: SessionTokens
    next_path: str


@dataclass(frozen=True)
class SignInFailed:
    reason: str  # for the log; the page only offers to sign in again


def start_sign_in(next_path: str, deps: SessionDependencies) -> SignInStarted:
    """A new sign-in: RFC 7636's verifier (43-128 characters; 64 random bytes give 86)
    and an unguessable `state` (RFC 6749 10.12, CSRF on the callback)."""
    verifier = secrets.token_urlsafe(64)
    state = secrets.token_urlsafe(32)
    url = deps.login.authorize_url(state, pkce_challenge(verifier), deps.redirect_uri)
    return SignInStarted(url, state, verifier, safe_next(next_path))


def finish_sign_in(
    code: str, state: str, started: tuple[str, str, str] | None, deps: SessionDependencies
) -> SignedIn | SignInFailed:
    """`started`: (state, verifier, next_path) as start_sign_in left them in the cookie."""
    if started is None:
        return SignInFailed("no sign-in under way in this browser")
    expected_state, verifier, next_path = started
    if not code or not secrets.compare_digest(state.encode(), expected_state.encode()):
        return SignInFailed("state does not match")
    try:
        tokens = deps.login.tokens_for_code(code, verifier, deps.redirect_uri)
    except LoginRefused as refused:
        return SignInFailed(f"code refused: {refused}")
    return SignedIn(tokens, safe_next(next_path))


def refresh_session(
    refresh_token: str, next_path: str, deps: SessionDependencies
) -> SignedIn | SignInFailed:
    """A new access token from the session's refresh token (revoked or expired: refused,
    and the person signs in again)."""
    if not refresh_token:
        return SignInFailed("no refresh token")
    try:
        tokens = deps.login.refreshed(refresh_token)
    except LoginRefused as refused:
        return SignInFailed(f"refresh refused: {refused}")
    return SignedIn(tokens, safe_next(next_path))


def sign_out(user: ConsoleUser, refresh_token: str, deps: SessionDependencies) -> None:
    """Revokes the session. Recorded revoked first: were Cognito's revocation to fail, the
    access tokens are refused all the same."""
    if user.session:
        deps.revoked.revoke(user.session, int(deps.now()) + deps.access_token_seconds)
    if refresh_token:
        with suppress(LoginRefused):  # already revoked or expired: nothing left to end
            deps.login.revoke(refresh_token)


def managed_login_logout(deps: SessionDependencies) -> str:
    """Where the browser ends the managed login's own session (its cookie would let the
    next person at this browser in without a password), then comes back to sign in."""
    return deps.login.logout_url(deps.signed_out_uri)


def safe_next(path: str) -> str:
    """Where to go after signing in: a console path only (never another site: "//x",
    "/\\x" and schemes are open redirects)."""
    if path.startswith("/console/") and "//" not in path and "\\" not in path:
        return path
    return HOME
