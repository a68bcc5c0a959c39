"""The secret that holds the brand's tokens, shared by every container, and each
container's cached view of it (as PlatformTokensSource reads it through Powertools'
cache): in memory, keeping Secrets Manager's promises (a write with a version id already
used is ignored when its value is the same)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from socialcare.domain.credentials import PlatformTokens
from socialcare.domain.failures import SecretsUnavailable


class SharedSecret:
    def __init__(self, value: dict[str, Any]) -> None:
        self.value = dict(value)
        self.versions: dict[str, dict[str, Any]] = {}
        self.failing_puts = 0  # the next N writes fail (Secrets Manager unavailable)
        self.puts = 0
        self._guard = threading.Lock()

    def put(self, value: dict[str, Any], version: str | None) -> None:
        with self._guard:
            self._put(value, version)

    def _put(self, value: dict[str, Any], version: str | None) -> None:
        if self.failing_puts:
            self.failing_puts -= 1
            raise SecretsUnavailable("InternalServiceError")
        self.puts += 1
        if version is not None and version in self.versions:
            if self.versions[version] != value:
                raise SecretsUnavailable("ResourceExistsException")
            return  # the same version again: ignored
        if version is not None:
            self.versions[version] = dict(value)
        self.value = dict(value)


class ContainerTokens:
    """One container's PlatformTokensSource: its cache is read again only when asked."""

    def __init__(self, secret: SharedSecret) -> None:
        self._secret = secret
        self._cached: dict[str, Any] | None = None

    def __call__(self) -> PlatformTokens:
        if self._cached is None:
            self._cached = dict(self._secret.value)
        return PlatformTokens.from_document(self._cached)

    def fresh(self) -> PlatformTokens:
        self._cached = dict(self._secret.value)
        return PlatformTokens.from_document(self._cached)

    def save(self, updated: dict[str, Any], version: str | None = None) -> None:
        merged = {**self._secret.value, **updated}
        self._secret.put(merged, version)
        self._cached = merged


class InMemoryLock:
    """DynamoDBRefreshLock's promises: one holder at a time until its lease runs out;
    its holder may renew it; only its holder releases it."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._guard = threading.Lock()
        self.holder: str | None = None
        self.lease_until = 0.0
        self.taken = 0  # times it was acquired or renewed

    def acquire(self, holder: str, lease_seconds: float) -> bool:
        with self._guard:
            now = self._clock()
            if self.holder not in (None, holder) and self.lease_until >= now:
                return False
            self.holder, self.lease_until = holder, now + lease_seconds
            self.taken += 1
            return True

    def release(self, holder: str) -> None:
        with self._guard:
            if self.holder == holder:
                self.holder = None
