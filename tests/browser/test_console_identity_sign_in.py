"""A new admin signs in to the console in Chromium on the local stack, as a person would:
the users page sends them to the managed login, where they change the temporary password
and set up an authenticator; back in the console, the page is theirs; signing out ends
the session (the browser's cookies no longer open a page)."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest

from socialcare_cli.main import main
from tests.integration.console_sign_in import totp

pytestmark = pytest.mark.browser

PASSWORD = "Console-pass-2026!"


@pytest.mark.parametrize("width", (390, 1280))
def test_a_new_admin_signs_in_sees_the_people_and_signs_out(
    chromium: Any, stack: Any, api: str, capsys: Any, width: int
) -> None:
    # Given an admin invited with `socialcare users add`
    email = f"admin.{secrets.token_hex(3)}@brand.example"
    assert main(["users", "add", email, "--role", "admin", "--local", api]) == 0
    out = capsys.readouterr().out
    username = out.split(" ", 1)[0]
    temporary = re.search(r"temporary password: (\S+)", out).group(1)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        # When they open the people page and sign in at the managed login: a new
        # password, then an authenticator app
        page.goto(f"{api}/console/users")
        page.get_by_label("Username or email").fill(email)
        page.get_by_label("Password").fill(temporary)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("New password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        key = page.locator("code").inner_text()
        page.get_by_label("Code from your authenticator app").fill(totp(key))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r".*/console/.*"))
        page.goto(f"{api}/console/users")

        # Then the page is theirs, lists them, and fits the screen
        assert page.url == f"{api}/console/users"
        assert username in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # And once signed out, they are at the sign-in again, and the console's pages
        # send them there
        page.get_by_role("button", name=re.compile("Cerrar sesión|Sign out")).click()
        page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
        page.goto(f"{api}/console/users")
        assert "/oauth2/authorize" in page.url
    finally:
        context.close()
