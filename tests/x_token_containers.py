"""Lambda containers that share X's tokens, as production wires them (each with its own
cache of the secret and its own XApi), the clock they read, and what other containers do
meanwhile: for the token rotation tests (tests/unit/adapters/test_x_token_rotation.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcare.adapters.platform_api.gateway import PlatformApis
from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.meta import GraphApi
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.adapters.platform_api.x import XApi
from socialcare.adapters.platform_api.x_tokens import XTokens
from socialcare.app.outbound import Result, deliver
from socialcare_cli.local.platform_emulator import PlatformEmulator
from tests.outbound_fakes import a_conversation, outbound_dependencies
from tests.token_fakes import ContainerTokens, SharedSecret

TOKEN_PATH = "/2/oauth2/token"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class HookedHttp(HttpClient):
    """Runs `hook` once, just before the first request to `path` leaves."""

    def __init__(self, path: str, hook: Callable[[], None]) -> None:
        super().__init__(read_timeout=2)
        self._path, self._hook = path, hook

    def request(self, method: str, url: str, **kwargs: Any) -> HttpAnswer:
        if url.endswith(self._path) and self._hook:
            hook, self._hook = self._hook, None
            hook()
        return super().request(method, url, **kwargs)


class Container:
    """One Lambda container: its own cache of the secret, its own XApi."""

    def __init__(self, emulator, secret, lock, alarms, clock, *, http=None, sleep=None) -> None:
        self.tokens = ContainerTokens(secret)
        self.tokens()  # read (and cached) at its first send
        http = http or HttpClient(read_timeout=2)
        self.sleeps: list[float] = []
        x_tokens = XTokens(
            http,
            emulator.url,
            self.tokens,
            lock,
            alarms,
            clock=clock,
            sleep=sleep or self.sleeps.append,
        )
        self.api = PlatformApis(  # the gateway, as production wires it
            GraphApi(http, f"{emulator.url}/v21.0", self.tokens),
            XApi(http, emulator.url, x_tokens, clock=clock),
            TelegramApi(http, emulator.url, self.tokens),
        )
        self.alarms = alarms

    def send(self, action) -> Result:
        deps = outbound_dependencies(platform=self.api)
        deps.alarm = self.alarms
        return deliver(action, a_conversation(), deps).result


def rotate_elsewhere(emulator: PlatformEmulator, secret: SharedSecret, clock: Clock) -> None:
    """Another container refreshes with the secret's refresh token and saves the pair."""
    answer = HttpClient().request(
        "POST",
        emulator.url + TOKEN_PATH,
        form={
            "grant_type": "refresh_token",
            "refresh_token": secret.value["x_refresh_token"],
            "client_id": secret.value["x_client_id"],
        },
        headers={"Authorization": "Basic bG9jYWwteC1jbGllbnQ6bG9jYWwteC1jbGllbnQtc2VjcmV0"},
    )
    assert answer.status == 200, answer.body
    secret.put(
        {
            **secret.value,
            "x_access_token": answer.body["access_token"],
            "x_refresh_token": answer.body["refresh_token"],
            "x_token_expires_at": clock() + answer.body["expires_in"],
        },
        "elsewhere",
    )
