"""What the console's sign-in, sessions and user admin reach outside: the pool's keys,
its managed login, its users (Cognito) and the revoked sessions (DynamoDB)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from socialcare.domain.console_accounts import ConsoleAccount, CreatedAccount
from socialcare.domain.console_users import Role


class AccessTokens(Protocol):
    def claims(self, token: str) -> Mapping[str, Any]:
        """The claims of a token signed (RS256) by one of the pool's keys; TokenRejected
        otherwise. The claims themselves are the domain's to check."""
        ...


class RevokedSessions(Protocol):
    def revoke(self, session: str, until: int) -> None:
        """`session` (an origin_jti) is refused until `until` (epoch seconds: its last
        access token's expiry), then forgotten."""
        ...

    def is_revoked(self, session: str) -> bool: ...


@dataclass(frozen=True)
class SessionTokens:
    access_token: str
    refresh_token: str  # "" when refreshed: Cognito keeps the one it issued at sign-in
    expires_in: int  # seconds


class LoginRefused(Exception):
    """The managed login refused a code, a refresh token or a revocation."""


class ManagedLogin(Protocol):
    """Cognito's OAuth 2.0 endpoints (https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html)."""

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str: ...

    def tokens_for_code(
        self, code: str, code_verifier: str, redirect_uri: str
    ) -> SessionTokens: ...

    def refreshed(self, refresh_token: str) -> SessionTokens: ...

    def revoke(self, refresh_token: str) -> None: ...

    def logout_url(self, signed_out_uri: str) -> str: ...


class ConsoleUsers(Protocol):
    """The pool's people (admin calls, from the operator's CLI or the console function)."""

    def list_users(self) -> list[ConsoleAccount]: ...

    def email_of(self, username: str) -> str | None:
        """The address an @mention is emailed to; None: no such person."""
        ...


class ConsoleUserAdmin(ConsoleUsers, Protocol):
    """What `socialcare users` adds: creating and removing people."""

    def add(self, email: str, username: str, role: Role) -> CreatedAccount: ...

    def remove(self, username: str) -> bool:
        """False: there was no such person."""
        ...
