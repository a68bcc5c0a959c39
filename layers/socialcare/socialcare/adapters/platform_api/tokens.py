"""Where the platform adapters read the brand's tokens (PlatformTokensSecret, through
adapters/secrets.py PlatformTokensSource): this container's cached copy, or the secret as
it is now, when a platform refuses a token ops may have renewed since it was cached."""

from __future__ import annotations

from typing import Any, Protocol

from socialcare.domain.credentials import PlatformTokens


class TokenSource(Protocol):
    def __call__(self) -> PlatformTokens:
        """As this container's cache holds it."""

    def fresh(self) -> PlatformTokens:
        """As the secret holds it now (and cached again)."""


class TokenStore(TokenSource, Protocol):
    def save(self, updated: dict[str, Any], version: str) -> None:
        """Merged into the secret as version `version`; SecretsUnavailable on failure."""
