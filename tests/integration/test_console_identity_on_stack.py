"""The console's people on the local stack: `socialcare users` against moto's pool, a
sign-in through the local managed login (temporary password, new password, an
authenticator), and the tokens it gives checked as every console request checks them."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest

from socialcare.app.console_access import AccessRefused, identify
from socialcare.bootstrap import Root, console_access
from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.requests import ConsoleRequest
from socialcare_cli.local.stack import LocalStack
from socialcare_cli.main import main
from tests.integration.console_sign_in import call, sign_in, sign_in_again

NEW_PASSWORD = "Console-pass-2026!"


def _add(api: str, email: str, role: str, capsys: Any) -> tuple[str, str]:
    assert main(["users", "add", email, "--role", role, "--local", api]) == 0
    out = capsys.readouterr().out
    username = out.split(" ", 1)[0]
    password = re.search(r"temporary password: (\S+)", out)
    assert password, out
    return username, password.group(1)


def _api_request(token: str) -> ConsoleRequest:
    return ConsoleRequest(
        "GET", "/console/api/users", headers={"authorization": f"Bearer {token}"}, api=True
    )


@pytest.fixture
def outputs(stack: LocalStack, api: str) -> dict[str, str]:
    return stack.stack_outputs()


def _console_root(stack: LocalStack, outputs: dict[str, str]) -> Root:
    """What the console function is given (its variables: the template's, the local
    managed login's over them)."""
    from socialcare.settings import Settings

    return Root(
        Settings(
            user_pool_id=outputs["UserPoolId"],
            user_pool_client_id=outputs["UserPoolClientId"],
            console_csrf_secret_id=outputs["ConsoleCsrfSecretArn"],
            cases_table_name=outputs["CasesTableName"],
            cognito_jwks_url=stack.console_login_environment()["COGNITO_JWKS_URL"],
        )
    )


def test_a_new_community_manager_signs_in_with_an_authenticator_and_is_recognised(
    stack: LocalStack, api: str, outputs: dict[str, str], capsys: Any
) -> None:
    # Given a community manager invited with `socialcare users add`
    email = f"ana.{secrets.token_hex(3)}@brand.example"
    username, temporary = _add(api, email, "community_manager", capsys)

    # When they sign in through the managed login: a new password, then an authenticator
    tokens, key = sign_in(
        outputs["ConsoleLoginUrl"], outputs["UserPoolClientId"], api, email, temporary, NEW_PASSWORD
    )

    # Then the access token names them and their role, as each console request checks it
    deps = console_access.access(_console_root(stack, outputs))
    user = identify(_api_request(tokens["access_token"]), deps)
    assert isinstance(user, ConsoleUser)
    assert (user.username, user.roles) == (username, frozenset({Role.COMMUNITY_MANAGER}))
    assert user.session
    # And the ID token is refused by the console (401)
    assert identify(_api_request(tokens["id_token"]), deps) == AccessRefused("not an access token")
    # And signing in again asks for the authenticator's code
    again = sign_in_again(
        outputs["ConsoleLoginUrl"], outputs["UserPoolClientId"], api, username, NEW_PASSWORD, key
    )
    assert isinstance(identify(_api_request(again["access_token"]), deps), ConsoleUser)


def test_users_are_listed_with_roles_and_removed(stack: LocalStack, api: str, capsys: Any) -> None:
    # Given an approver
    email = f"luis.{secrets.token_hex(3)}@brand.example"
    username, _ = _add(api, email, "approver", capsys)

    # When the users are listed
    assert main(["users", "list", "--local", api]) == 0
    listed = capsys.readouterr().out

    # Then they are there with their role and the status of a first sign-in
    assert f"{username}\t{email}\tapprover\tFORCE_CHANGE_PASSWORD" in listed
    # And once removed they are gone; removing again says there is no such user
    assert main(["users", "remove", username, "--local", api]) == 0
    assert main(["users", "remove", username, "--local", api]) == 1
    assert f"no console user {username}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["users", "add", "not-an-email", "--role", "agent"], "is not an email address"),
        (["users", "add", "a@b.example", "--role", "boss"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    stack: LocalStack, api: str, capsys: Any, arguments: list[str], says: str
) -> None:
    # When a command is given what it cannot take
    with pytest.raises(SystemExit) if "boss" in arguments else _no_exit():
        code = main([*arguments, "--local", api])
        assert code == 1
    # Then one line says why (the local HTTP API's access log aside)
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert says in error and error.startswith("socialcare")


class _no_exit:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_the_same_email_twice_is_refused(stack: LocalStack, api: str, capsys: Any) -> None:
    # Given an agent
    email = f"eva.{secrets.token_hex(3)}@brand.example"
    _add(api, email, "agent", capsys)
    # When the same person is added again
    assert main(["users", "add", email, "--role", "agent", "--local", api]) == 1
    # Then the command says so
    assert "already a console user" in capsys.readouterr().err


def test_the_managed_login_refuses_what_cognito_refuses(
    stack: LocalStack, api: str, outputs: dict[str, str]
) -> None:
    login, client = outputs["ConsoleLoginUrl"], outputs["UserPoolClientId"]
    base = {
        "response_type": "code",
        "client_id": client,
        "redirect_uri": api + "/console/callback",
        "code_challenge_method": "S256",
        "code_challenge": "x" * 43,
    }
    from urllib.parse import urlencode

    for change in (
        {"redirect_uri": "https://elsewhere.example/console/callback"},
        {"client_id": "another"},
        {"code_challenge_method": "plain"},
        {"response_type": "token"},
    ):
        # When authorize is asked with one thing wrong
        status, _, _ = call("GET", f"{login}/oauth2/authorize?{urlencode({**base, **change})}")
        # Then it refuses
        assert status in (400, 401), change
    # And a code nobody issued is refused at the token endpoint
    status, _, body = call(
        "POST",
        f"{login}/oauth2/token",
        {"grant_type": "authorization_code", "client_id": client, "code": "forged"},
    )
    assert status == 400 and "invalid_grant" in body


def test_a_session_is_signed_in_refreshed_and_signed_out_through_the_use_cases(
    stack: LocalStack, api: str, outputs: dict[str, str], capsys: Any
) -> None:
    from dataclasses import replace

    from socialcare.app.console_sessions import (
        SignedIn,
        finish_sign_in,
        refresh_session,
        sign_out,
        start_sign_in,
    )
    from tests.integration.console_sign_in import through_managed_login

    # Given an agent who has set their password and authenticator
    email = f"rita.{secrets.token_hex(3)}@brand.example"
    username, temporary = _add(api, email, "agent", capsys)
    _, key = sign_in(
        outputs["ConsoleLoginUrl"], outputs["UserPoolClientId"], api, email, temporary, NEW_PASSWORD
    )
    root = _console_root(stack, outputs)
    root = Root(
        replace(
            root.settings,
            actions_base_url=api,
            console_login_url=outputs["ConsoleLoginUrl"],
        )
    )
    sessions, deps = console_access.sessions(root), console_access.access(root)

    # When they sign in through the console's own use cases (PKCE, the emulator's login)
    started = start_sign_in("/console/", sessions)
    callback = through_managed_login(started.authorize_url, username, NEW_PASSWORD, key)
    signed = finish_sign_in(
        callback["code"],
        callback["state"],
        (started.state, started.verifier, "/console/"),
        sessions,
    )
    assert isinstance(signed, SignedIn)
    user = identify(_api_request(signed.tokens.access_token), deps)
    assert isinstance(user, ConsoleUser) and user.roles == frozenset({Role.AGENT})

    # Then the code works once, and the refresh token gives a new access token of the session
    again = finish_sign_in(
        callback["code"], callback["state"], (started.state, started.verifier, "/"), sessions
    )
    assert not isinstance(again, SignedIn)
    renewed = refresh_session(signed.tokens.refresh_token, "/console/", sessions)
    assert isinstance(renewed, SignedIn)
    assert identify(_api_request(renewed.tokens.access_token), deps) == user

    # And once signed out, neither access token nor the refresh token works
    sign_out(user, signed.tokens.refresh_token, sessions)
    for token in (signed.tokens.access_token, renewed.tokens.access_token):
        assert identify(_api_request(token), deps) == AccessRefused("signed out")
    assert not isinstance(refresh_session(signed.tokens.refresh_token, "/", sessions), SignedIn)
