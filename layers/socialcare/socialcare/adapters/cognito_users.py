"""The console's people in the user pool, through Cognito's admin API (the operator's
credentials for `socialcare users`, the console function's role for the admins' page and
@mentions). https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_Operations.html"""

from __future__ import annotations

import secrets
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.console_accounts import ConsoleAccount, CreatedAccount, InvalidAccount
from socialcare.domain.console_users import GROUP_OF_ROLE, Role
from socialcare.domain.failures import StorageUnavailable


class CognitoConsoleUsers:
    """`print_password`: the local stack's pool sends no email, so AdminCreateUser is given
    a temporary password and it is returned to be printed; a deployed pool makes one
    itself and emails it (the invitation message), and socialcare never sees it."""

    def __init__(self, client: Any, user_pool_id: str, *, print_password: bool = False) -> None:
        self._client = client
        self._pool = user_pool_id
        self._print_password = print_password

    def list_users(self) -> list[ConsoleAccount]:
        """Every person, with their groups (one ListUsersInGroup per group, not one call
        per person; 60 a page, the API's maximum)."""
        groups_of: dict[str, list[str]] = {}
        for group in GROUP_OF_ROLE.values():
            for user in self._pages("list_users_in_group", "Users", GroupName=group, Limit=60):
                groups_of.setdefault(user["Username"], []).append(group)
        return [
            _account(user, tuple(groups_of.get(user["Username"], ())))
            for user in self._pages("list_users", "Users", Limit=60)
        ]

    def email_of(self, username: str) -> str | None:
        try:
            found = self._client.admin_get_user(UserPoolId=self._pool, Username=username)
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return None
            raise StorageUnavailable(_code(error)) from error
        return _attributes(found.get("UserAttributes", [])).get("email") or None

    def add(self, email: str, username: str, role: Role) -> CreatedAccount:
        request: dict[str, Any] = {
            "UserPoolId": self._pool,
            "Username": username,
            "UserAttributes": [
                {"Name": "email", "Value": email},
                # The person's address comes from the brand's admin, who vouches for it.
                {"Name": "email_verified", "Value": "true"},
            ],
            "DesiredDeliveryMediums": ["EMAIL"],
        }
        password = None
        if self._print_password:
            password = _temporary_password()
            request["TemporaryPassword"] = password
            request["MessageAction"] = "SUPPRESS"
        try:
            self._client.admin_create_user(**request)
            self._client.admin_add_user_to_group(
                UserPoolId=self._pool, Username=username, GroupName=GROUP_OF_ROLE[role]
            )
        except ClientError as error:
            if _code(error) in ("UsernameExistsException", "AliasExistsException"):
                raise InvalidAccount(f"{username} or {email} is already a console user") from None
            if _code(error) == "InvalidParameterException":
                raise InvalidAccount(_message(error)) from None
            raise StorageUnavailable(_code(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return CreatedAccount(username, password)

    def remove(self, username: str) -> bool:
        """AdminUserGlobalSignOut first (its refresh tokens stop working), then the user."""
        try:
            self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=username)
            self._client.admin_delete_user(UserPoolId=self._pool, Username=username)
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return False
            raise StorageUnavailable(_code(error)) from error
        return True

    def _pages(self, operation: str, field: str, **request: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        token: str | None = None
        try:
            while True:
                page = getattr(self._client, operation)(
                    UserPoolId=self._pool, **request, **({"NextToken": token} if token else {})
                )
                found.extend(page.get(field, []))
                token = page.get("NextToken")
                if not token:
                    return found
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(type(error).__name__) from error


def _account(user: dict[str, Any], groups: tuple[str, ...]) -> ConsoleAccount:
    return ConsoleAccount(
        username=user["Username"],
        email=_attributes(user.get("Attributes", [])).get("email", ""),
        groups=groups,
        status=str(user.get("UserStatus", "")),
        enabled=bool(user.get("Enabled", True)),
    )


def _attributes(pairs: list[dict[str, str]]) -> dict[str, str]:
    return {pair["Name"]: pair["Value"] for pair in pairs}


def _temporary_password() -> str:
    """Meets the pool's policy (12+, upper, lower, digit, symbol) whatever the draw."""
    return f"Tmp-{secrets.token_urlsafe(12)}-a1Z!"


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", "invalid parameter"))
