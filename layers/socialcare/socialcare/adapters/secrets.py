"""Secrets Manager, cached per container by Powertools: the platforms' secrets, and the
keys the stack generates for itself (the one that signs report links, the one that seals
parked deliveries), which nobody outside holds."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.parameters import SecretsProvider

from socialcare.domain.credentials import PlatformSecrets, PlatformTokens
from socialcare.domain.failures import SecretsUnavailable
from socialcare.domain.values import InvalidValue


class _CachedSecret:
    """One secret, read through Powertools' cache; any failure is SecretsUnavailable."""

    def __init__(self, secret_id: str, *, client: Any = None, max_age_seconds: int = 300) -> None:
        self._secret_id = secret_id
        self._max_age = max_age_seconds
        self._client = client
        self._provider = SecretsProvider(boto3_client=client) if client else SecretsProvider()

    def _read(self, **options: Any) -> Any:
        try:
            return self._provider.get(self._secret_id, max_age=self._max_age, **options)
        except Exception as error:  # Powertools wraps every SDK and transform failure
            raise SecretsUnavailable(type(error).__name__) from error


class PlatformSecretsSource(_CachedSecret):
    def __call__(self) -> PlatformSecrets:
        value = self._read(transform="json")
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
        return self._tokens(self._read(transform="json"))

    def fresh(self) -> PlatformTokens:
        """The secret as it is now, bypassing (and refilling) this container's cache."""
        return self._tokens(self._read(transform="json", force_fetch=True))

    def save(self, updated: dict[str, Any], version: str) -> None:
        """Write refreshed values (X's rotating token pair) back, over the current secret
        read afresh, so a value set by ops meanwhile is kept. `version` is the new
        version's ClientRequestToken: a retry of a write that did land is ignored by
        Secrets Manager instead of making the secret current again later, over a newer
        pair (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html)."""
        current = self._read(transform="json", force_fetch=True) or {}
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
        self._read(transform="json", force_fetch=True)  # the cache holds the new pair

    @staticmethod
    def _tokens(value: Any) -> PlatformTokens:
        try:
            return PlatformTokens.from_document(value or {})
        except InvalidValue:
            raise SecretsUnavailable("the tokens secret is not shaped as expected") from None


def _code(error: Exception) -> str:
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
