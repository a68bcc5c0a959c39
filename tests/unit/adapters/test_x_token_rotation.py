"""X's rotating token pair across containers: XApi instances ("containers") share one
secret (each reading it through its own cache, as Powertools' 300 s cache does), one
refresh lock, and one token endpoint (the platform emulator: a refresh token works once).
Whatever the interleaving, no message is lost and none is refused for good."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.x_tokens import LEASE_SECONDS
from socialcare.app.outbound import Result
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS, PlatformEmulator
from tests.outbound_fakes import (
    NOW,
    RecordedAlarms,
    an_action,
)
from tests.token_fakes import InMemoryLock, SharedSecret
from tests.x_token_containers import TOKEN_PATH, Clock, Container, HookedHttp, rotate_elsewhere


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    emulator = PlatformEmulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW.timestamp())


@pytest.fixture
def secret(clock: Clock) -> SharedSecret:
    # The access token expires within the refresh margin: the next send refreshes.
    return SharedSecret({**LOCAL_TOKENS, "x_token_expires_at": clock() + 60})


@pytest.fixture
def lock(clock: Clock) -> InMemoryLock:
    return InMemoryLock(clock)


@pytest.fixture
def alarms() -> RecordedAlarms:
    return RecordedAlarms()


def _dm(number: int):
    return an_action(
        OutboundKind.MESSAGE, Channel.X_DM, text=f"Hola, seguimos con tu caso ({number})."
    )


def _refreshes(emulator: PlatformEmulator) -> list[int]:
    """The token endpoint's answers, in order."""
    return [c["status"] for c in emulator.calls_made() if c["path"] == TOKEN_PATH]


def test_a_container_whose_cache_holds_a_rotated_pair_still_sends(
    emulator, secret, lock, alarms, clock
):
    # Given two containers that read the secret while the token was about to expire
    first, second = (Container(emulator, secret, lock, alarms, clock) for _ in range(2))
    # When the first refreshes (X rotates the pair) and sends, then the second sends
    results = [first.send(_dm(1)), second.send(_dm(2))]
    # Then both messages went out, the second with the pair the first saved: one refresh
    assert results == [Result.SENT, Result.SENT]
    assert [s["text"] for s in emulator.state.sent] == [_dm(1).text, _dm(2).text]
    assert _refreshes(emulator) == [200]
    assert secret.value["x_refresh_token"] == emulator.tokens["x_refresh_token"]
    assert alarms.raised == []


def test_x_answering_a_refresh_then_the_save_failing_loses_nothing(
    emulator, secret, lock, alarms, clock
):
    # Given a container whose refresh X answers, and a secret that refuses every write
    first, second = (Container(emulator, secret, lock, alarms, clock) for _ in range(2))
    secret.failing_puts = 99
    # When it sends, and another container sends too
    sent = first.send(_dm(1))
    other = second.send(_dm(2))
    # Then its message went out with the new pair, which it keeps; the other waits (it
    # never refreshes with the spent token); the alarm says the pair is not saved
    assert sent is Result.SENT
    assert other is Result.DEFERRED
    assert second.sleeps, "the other container waited for the rotation under way"
    assert _refreshes(emulator) == [200]
    assert ("x", "unsaved") in alarms.raised
    # And once the secret can be written again, the holder's next send saves the pair
    # and the waiting message goes out with it
    secret.failing_puts = 0
    assert first.send(_dm(3)) is Result.SENT
    assert secret.value["x_refresh_token"] == emulator.tokens["x_refresh_token"]
    assert second.send(_dm(2)) is Result.SENT
    assert len(emulator.state.sent) == 3
    assert _refreshes(emulator) == [200]


def test_a_save_that_fails_once_is_retried_under_one_version(emulator, secret, lock, alarms, clock):
    # Given a secret whose first write fails
    secret.failing_puts = 1
    # When a container refreshes and sends
    result = Container(emulator, secret, lock, alarms, clock).send(_dm(1))
    # Then the pair was saved by the retry, as one version, with no alarm
    assert result is Result.SENT
    assert secret.puts == 1 and len(secret.versions) == 1
    assert secret.value["x_refresh_token"] == emulator.tokens["x_refresh_token"]
    assert alarms.raised == []
    assert lock.holder is None


def test_a_refresh_refused_for_good_defers_the_action(emulator, secret, lock, alarms, clock):
    # Given a refresh token X no longer knows (the brand revoked the app's access)
    emulator.tokens["x_refresh_token"] = "issued-to-someone-else"
    # When a message is sent
    result = Container(emulator, secret, lock, alarms, clock).send(_dm(1))
    # Then it is left for a later attempt, never refused for good, and the alarm rings
    assert result is Result.DEFERRED
    assert alarms.raised == [("x", "refresh_refused")]
    assert lock.holder is None


def test_a_refresh_token_x_refused_is_never_sent_to_x_again(emulator, secret, lock, alarms, clock):
    # Given a pair lost at X (its refresh answered, the answer never heard): the refresh
    # token in the secret is spent
    emulator.tokens["x_refresh_token"] = "issued-after-a-lost-answer"
    container = Container(emulator, secret, lock, alarms, clock)
    # When the container's messages are tried again and again
    results = [container.send(_dm(n)) for n in range(1, 6)]
    # Then each waits for re-authorisation, and X's token endpoint is asked once, not at
    # every attempt with a token it will always refuse
    assert results == [Result.DEFERRED] * 5
    assert _refreshes(emulator) == [400]
    assert alarms.raised == [("x", "refresh_refused")] * 5


def test_a_refused_refresh_reads_the_secret_again_and_retries_once_with_its_token(
    emulator, secret, lock, alarms, clock
):
    # Given ops re-authorise the app (a new refresh token, no access token yet) just as a
    # container's refresh with the old one leaves
    def reauthorised() -> None:
        emulator.tokens["x_refresh_token"] = "reauthorised-refresh-token"
        secret.put(
            {**secret.value, "x_access_token": "", "x_refresh_token": "reauthorised-refresh-token"},
            "ops",
        )

    http = HookedHttp(TOKEN_PATH, reauthorised)
    container = Container(emulator, secret, lock, alarms, clock, http=http)
    # When a message is sent
    result = container.send(_dm(1))
    # Then X refused the old token, the secret was read again, and the retry with the
    # new refresh token sent the message
    assert result is Result.SENT
    assert _refreshes(emulator) == [400, 200]
    assert secret.value["x_refresh_token"] == emulator.tokens["x_refresh_token"]
    assert alarms.raised == []


def test_a_container_that_finds_another_refreshing_waits_and_uses_its_pair(
    emulator, secret, lock, alarms, clock
):
    # Given another container holding the lock, its refresh under way
    assert lock.acquire("another container", LEASE_SECONDS)

    def meanwhile(seconds: float) -> None:
        if not waited:
            rotate_elsewhere(emulator, secret, clock)
            lock.release("another container")
        waited.append(seconds)

    waited: list[float] = []
    container = Container(emulator, secret, lock, alarms, clock, sleep=meanwhile)
    # When this container must refresh too
    result = container.send(_dm(1))
    # Then it waited, read the secret afresh, and sent with the other's pair: it never
    # refreshed itself (a second refresh would have spent the new token too)
    assert result is Result.SENT
    assert waited == [0.5]
    assert _refreshes(emulator) == [200]
    assert alarms.raised == []


def test_a_lock_left_by_a_crashed_container_is_taken_after_its_lease(
    emulator, secret, lock, alarms, clock
):
    # Given a container that died holding the lock
    assert lock.acquire("a container that crashed", LEASE_SECONDS)

    def passing(seconds: float) -> None:
        clock.now += seconds

    container = Container(emulator, secret, lock, alarms, clock, sleep=passing)
    # When a message must refresh before the lease runs out
    early = container.send(_dm(1))
    # Then it waited a few seconds and was left for later (with an alarm), not refused
    assert early is Result.DEFERRED
    assert alarms.raised == [("x", "rotation_busy")]
    assert _refreshes(emulator) == []
    # And once the lease has run out, the next attempt takes the lock and sends it
    clock.now += LEASE_SECONDS
    assert container.send(_dm(1)) is Result.SENT
    assert _refreshes(emulator) == [200]
    assert lock.holder is None


def test_two_containers_sending_at_once_around_expiries_lose_nothing(emulator, secret, lock):
    # Given two containers, and X expiring the access token every seventh message
    alarms = RecordedAlarms()
    posts = itertools.count(1)  # thread-safe

    def expire_now_and_then() -> None:
        if next(posts) % 7 == 0:
            emulator.tokens["x_access_token"] = f"expired-{time.monotonic_ns()}"

    class ExpiringHttp(HttpClient):
        def request(self, method: str, url: str, **kwargs: Any) -> HttpAnswer:
            if "/dm_conversations/" in url:
                expire_now_and_then()
            return super().request(method, url, **kwargs)

    containers = [
        Container(
            emulator,
            secret,
            lock,
            alarms,
            time.time,
            http=ExpiringHttp(read_timeout=2),
            sleep=lambda s: time.sleep(s / 50),
        )
        for _ in range(2)
    ]
    secret.value["x_token_expires_at"] = time.time() + 60  # about to expire: both refresh
    actions = {n: _dm(n) for n in range(1, 41)}
    results: dict[int, list[Result]] = {n: [] for n in actions}

    def work(container: Container, numbers: list[int]) -> None:
        for number in numbers:
            results[number].append(container.send(actions[number]))

    # When each sends twenty messages at once, and what was deferred is tried again
    pending = list(actions)
    for _ in range(6):
        threads = [
            threading.Thread(target=work, args=(c, pending[i::2])) for i, c in enumerate(containers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        pending = [n for n in actions if results[n][-1] is not Result.SENT]
        if not pending:
            break
    # Then every message went out exactly once, none was refused for good, no container
    # ever refreshed with a spent token, and the secret holds X's current pair
    sent = [s["text"] for s in emulator.state.sent]
    assert sorted(sent) == sorted(a.text for a in actions.values())
    assert not any(Result.REFUSED in r for r in results.values())
    assert 400 not in _refreshes(emulator)
    assert secret.value["x_refresh_token"] == emulator.tokens["x_refresh_token"]


def test_a_lock_that_cannot_be_reached_leaves_the_message_to_retry(emulator, secret, alarms, clock):
    # Given a refresh lock DynamoDB cannot serve now
    class Unreachable:
        def acquire(self, holder: str, lease_seconds: float) -> bool:
            raise StorageUnavailable("ProvisionedThroughputExceededException")

        def release(self, holder: str) -> None:
            raise StorageUnavailable("ProvisionedThroughputExceededException")

    container = Container(emulator, secret, Unreachable(), alarms, clock)
    # When a message must refresh first
    result = container.send(_dm(1))
    # Then nothing went out and it waits for a retry (never a claim left "sending",
    # which a later attempt would take for a call of unknown fate), with no token alarm
    assert result is Result.DEFERRED
    assert emulator.state.sent == [] and _refreshes(emulator) == []
    assert alarms.raised == []
