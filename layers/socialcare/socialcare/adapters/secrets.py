"""Secrets Manager, cached per container: the platforms' secrets, and the keys the stack
generates for itself (the one that signs report links, the one that seals parked
deliveries), which nobody outside holds.

The cache is this module's own, not Powertools' parameters utility: importing that
utility cost every webhook cold start about 16 ms of CPU (docs/architecture.md, decision
log) for one `GetSecretValue` call and a clock."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from socialcare.domain.credentials import PlatformSecrets, PlatformTokens
from socialcare.domain.failures import SecretsUnavailable
from socialcare.domain.values import InvalidValue


class _CachedSecret:
    """One secret, read again once `max_age_seconds` have passed (0: every time); any
    failure to read it is SecretsUnavailable, naming the error's type, never the value."""

    def __init__(
        self,
        secret_id: str,
        *,
        client: Any,
        max_age_seconds: int = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._secret_id = secret_id
        self._max_age = max_age_seconds
        self._client = client
        self._clock = clock
        self._cached: tuple[float, str | bytes] | None = None
        # The local stack runs a function's containers as threads over one source.
        self._lock = threading.Lock()

    def _read(self, *, document: bool = False, fresh: bool = False) -> Any:
        """The secret's value (its SecretString, else its SecretBinary), parsed as JSON
        when `document`; `fresh` reads it from Secrets Manager whatever its age."""
        with self._lock:
            cached = self._cached
            if fresh or cached is None or self._clock() - cached[0] >= self._max_age:
                try:
                    answer = self._client.get_secret_value(SecretId=self._secret_id)
                except Exception as error:  # any SDK or connection failure
                    raise SecretsUnavailable(type(error).__name__) from error
                value = answer.get("SecretString", answer.get("SecretBinary"))
                cached = self._cached = (self._clock(), value)
        if not document:
            return cached[1]
        try:
            return json.loads(cached[1])
        except (TypeError, ValueError):
            raise SecretsUnavailable("the secret is not JSON") from None


class PlatformSecretsSource(_CachedSecret):
    def __call__(self) -> PlatformSecrets:
        value = self._read(document=True)
        try:
            return PlatformSecrets.from_document(value or {})
        except InvalidValue:
            raise SecretsUnavailable("the secret is not a JSON object of strings") from None


class StackKey(_CachedSecret):
    def __call__(self) -> str:
        value = self._read()
        if not isinstance(value, str) or len(value) < 32:
            raise SecretsUnavailable("the key is missing or too short")
        return value


class PlatformTokensSource(_CachedSecret):
    """The brand's access tokens for answering on the platforms."""

    def __call__(self) -> PlatformTokens:
        return self._tokens(self._read(document=True))

    def fresh(self) -> PlatformTokens:
        """The secret as it is now, bypassing (and refilling) this container's cache."""
        return self._tokens(self._read(document=True, fresh=True))

    def save(self, updated: dict[str, Any], version: str) -> None:
        """Write refreshed values (X's rotating token pair) back, over the current secret
        read afresh, so a value set by ops meanwhile is kept. `version` is the new
        version's ClientRequestToken: a retry of a write that did land is ignored by
        Secrets Manager instead of making the secret current again later, over a newer
        pair (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html)."""
        current = self._read(document=True, fresh=True) or {}
        merged = {**current, **updated}
        try:
            self._client.put_secret_value(
                SecretId=self._secret_id,
                SecretString=json.dumps(merged),
                ClientRequestToken=version,
            )
        except Exception as error:
            if _code(error) != "ResourceExistsException":  # that version is there already
                raise SecretsUnavailable(type(error).__name__) from error
        self._read(fresh=True)  # the cache holds the new pair

    @staticmethod
    def _tokens(value: Any) -> PlatformTokens:
        try:
            return PlatformTokens.from_document(value or {})
        except InvalidValue:
            raise SecretsUnavailable("the tokens secret is not shaped as expected") from None


def _code(error: Exception) -> str:
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
