"""`socialcare users add EMAIL --role ROLE | list | remove USERNAME`: the console's people
in the stack's user pool (deployed, by its name; or the local stack's). Cognito emails a
deployed pool's temporary password itself (socialcare never sees it); the local pool
sends no email, so its temporary password is printed."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import resolve_stack

ROLES = ("agent", "community_manager", "approver", "admin")


def add_parser(commands: Any, add_stack_target: Callable[[argparse.ArgumentParser], None]) -> None:
    users = commands.add_parser("users", help="the console's people (the user pool)")
    users_commands = users.add_subparsers(dest="users_command", required=True)
    add = users_commands.add_parser("add", help="invite a person to the console with a role")
    add.add_argument("email", help="their email (Cognito sends the invitation there)")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--username", help="their handle (default: the email's local part)")
    add_stack_target(add)
    add_stack_target(users_commands.add_parser("list", help="the people, their roles, status"))
    remove = users_commands.add_parser("remove", help="sign a person out everywhere and delete")
    remove.add_argument("username")
    add_stack_target(remove)


def main(arguments: argparse.Namespace) -> int:
    from socialcare.bootstrap import operations
    from socialcare.domain.console_accounts import InvalidAccount, checked_email, username_for
    from socialcare.domain.console_users import Role

    stack = resolve_stack(arguments.stack_name, arguments.local)
    users = operations.console_users(stack.root(), local=stack.endpoint is not None)
    try:
        if arguments.users_command == "add":
            email = checked_email(arguments.email)
            username = username_for(email, arguments.username)
            created = users.add(email, username, Role(arguments.role))
            print(f"{created.username} added as {arguments.role}")
            if created.temporary_password:
                print(f"temporary password: {created.temporary_password}")
            else:
                print(f"Cognito has emailed the temporary password to {email}")
            return 0
        if arguments.users_command == "remove":
            if not users.remove(arguments.username):
                raise CommandFailed(f"no console user {arguments.username}")
            print(f"{arguments.username} signed out everywhere and removed")
            return 0
    except InvalidAccount as invalid:
        raise CommandFailed(str(invalid)) from None
    for account in users.list_users():
        roles = ",".join(sorted(account.roles)) or "-"
        state = account.status if account.enabled else f"{account.status} (disabled)"
        print(f"{account.username}\t{account.email}\t{roles}\t{state}")
    return 0
