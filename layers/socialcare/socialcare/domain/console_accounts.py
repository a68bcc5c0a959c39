"""The console's people as the user pool holds them: what `socialcare users` and the
admins' page show. Usernames are short handles (the timeline's `by`, @mentions), not
emails: the timeline and the audit then carry no personal data beyond a handle, and the
email is looked up when a mention is mailed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from socialcare.domain.console_users import Role, roles_of_groups

# Cognito's usernames allow more ([\p{L}\p{M}\p{S}\p{N}\p{P}]+,
# https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html#CognitoUserPools-AdminCreateUser-request-Username);
# the console keeps to what an @mention can be typed as.
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")


class InvalidAccount(ValueError):
    """An email or a username the console cannot take (the message says which)."""


@dataclass(frozen=True)
class ConsoleAccount:
    username: str
    email: str
    groups: tuple[str, ...]
    status: str  # Cognito's UserStatus: FORCE_CHANGE_PASSWORD, CONFIRMED...
    enabled: bool = True

    @property
    def roles(self) -> frozenset[Role]:
        return roles_of_groups(self.groups)


@dataclass(frozen=True)
class CreatedAccount:
    username: str
    temporary_password: str | None  # None: Cognito emailed it (a deployed pool)


def checked_email(email: str) -> str:
    email = email.strip()
    if not _EMAIL.fullmatch(email):
        raise InvalidAccount(f"{email!r} is not an email address")
    return email


def username_for(email: str, chosen: str | None = None) -> str:
    """`chosen`, or the email's local part in lower case (ana.garcia@brand.es ->
    ana.garcia), as a handle an @mention can name."""
    username = (chosen or checked_email(email).split("@", 1)[0]).lower()
    if not _USERNAME.fullmatch(username):
        raise InvalidAccount(
            f"{username!r} cannot be a username (letters, digits, '.', '_', '-'; choose one "
            "with --username)"
        )
    return username
