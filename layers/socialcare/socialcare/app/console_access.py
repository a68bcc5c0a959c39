"""Who sends a console request: the Cognito access token it carries, verified on every
request (the pool's keys, issuer, app client, expiry, `token_use`), and not signed out.
The JSON API takes the token only from `Authorization: Bearer`; pages only from the
HttpOnly session cookie (a page never reads a header a script could set, and the API
never a cookie a browser sends by itself: no CSRF on the API). Forms also carry a CSRF
token bound to the session."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from socialcare.domain.console_csrf import csrf_valid
from socialcare.domain.console_tokens import TokenRejected, claims_refusal, user_of_claims
from socialcare.domain.console_users import ConsoleUser

if TYPE_CHECKING:
    from socialcare.ports.console_access import AccessTokens, RevokedSessions

# The page session's cookies. `__Secure-`: the browser keeps them only from HTTPS (and
# localhost) and only when Secure (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#cookie_prefixes);
# not `__Host-`, which needs Path=/: these go to /console only, never to the webhooks
# or the link pages of the same API.
SESSION_COOKIE = "__Secure-socialcare-session"
REFRESH_COOKIE = "__Secure-socialcare-refresh"
SIGNIN_COOKIE = "__Secure-socialcare-signin"
SIGNIN_PATH = "/console/signin"


class ConsoleRequest(Protocol):
    """What identify reads of presentation/console/requests.py's ConsoleRequest (a use
    case never imports presentation; that dataclass has these fields)."""

    @property
    def api(self) -> bool: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def cookies(self) -> Mapping[str, str]: ...

    @property
    def form(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class AccessDependencies:
    tokens: AccessTokens
    revoked: RevokedSessions
    issuer: str
    client_id: str
    csrf_secret: Callable[[], bytes]
    now: Callable[[], float]


@dataclass(frozen=True)
class AccessRefused:
    """401: `reason` is for the log (never shown in detail); `expired`: a page may try
    the refresh token (GET /console/signin does) before asking the person to sign in."""

    reason: str
    expired: bool = False


def identify(request: ConsoleRequest, deps: AccessDependencies) -> ConsoleUser | AccessRefused:
    token = _bearer(request) if request.api else request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return AccessRefused("no token")
    try:
        claims = deps.tokens.claims(token)
    except TokenRejected as rejected:
        return AccessRefused(f"token rejected: {rejected}")
    refusal = claims_refusal(claims, deps.issuer, deps.client_id, deps.now())
    if refusal is not None:
        return AccessRefused(refusal, expired=refusal == "expired")
    user = user_of_claims(claims)
    if deps.revoked.is_revoked(user.session):
        return AccessRefused("signed out")
    return user


def form_allowed(request: ConsoleRequest, user: ConsoleUser, deps: AccessDependencies) -> bool:
    """A POSTed page form carries this session's CSRF token in its `csrf` field (the
    console handler answers 403 otherwise). The JSON API needs none: its token is a
    header no other site can make a browser send."""
    return csrf_valid(user.session, request.form.get("csrf", ""), deps.csrf_secret())


def _bearer(request: ConsoleRequest) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
