"""The local managed login's answers: the console's sign-in redirects lead a browser (and
the reliability fuzz, which follows redirects) to them."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from socialcare_cli.local.managed_login import ManagedLogin
from socialcare_cli.local.managed_login_server import ManagedLoginServer


@pytest.fixture
def login_url():
    server = ManagedLoginServer(ManagedLogin(cognito=None, user_pool_id="pool")).start()
    yield server.url
    server.stop()


@pytest.mark.parametrize("path", ["/oauth2/authorize?client_id=nobody", "/elsewhere"])
def test_every_answer_of_the_managed_login_carries_nosniff_and_no_framing(login_url, path):
    # Given the local managed login, asked for a sign-in it refuses and for no endpoint

    # When the browser asks
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{login_url}{path}", timeout=10)  # noqa: S310 (localhost)

    # Then the refusal is never sniffed into another type nor framed
    assert 400 <= answer.value.code < 500
    assert answer.value.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.value.headers["X-Frame-Options"] == "DENY"
