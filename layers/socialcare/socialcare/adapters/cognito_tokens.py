"""The pool's signing keys and the RS256 check of a token against them (joserfc, on
`cryptography`; only the console function imports it). The keys are the pool's JWKS
(https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html#amazon-cognito-user-pools-using-tokens-step-2):
read once per container, and again when a token names a `kid` they lack (Cognito may
rotate), at most once a minute so that forged `kid`s cannot make every request fetch."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from socialcare.domain.console_tokens import TokenRejected

_REFETCH_AFTER_SECONDS = 60
_TIMEOUT_SECONDS = 3  # the console request fails fast; Lambda retries nothing here
_MAX_TOKEN_CHARS = 8192  # Cognito's tokens are 1-2 KB; a huge one is refused unread


def fetch_jwks(url: str) -> Mapping[str, Any]:
    with urllib.request.urlopen(url, timeout=_TIMEOUT_SECONDS) as answer:  # noqa: S310 (the pool's https URL, from settings)
        document: Mapping[str, Any] = json.loads(answer.read())
        return document


class JwksAccessTokens:
    def __init__(
        self,
        jwks_url: str,
        fetch: Callable[[str], Mapping[str, Any]] = fetch_jwks,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = jwks_url
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, RSAKey] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def claims(self, token: str) -> Mapping[str, Any]:
        if len(token) > _MAX_TOKEN_CHARS or token.count(".") != 2:
            raise TokenRejected("not a signed JWT")
        key = self._key(_header(token).get("kid"))
        try:
            # RS256 only: "none" and HS256-with-the-public-key tokens are refused.
            return dict(jwt.decode(token, key, algorithms=["RS256"]).claims)
        except (JoseError, ValueError) as error:
            raise TokenRejected(type(error).__name__) from None

    def _key(self, kid: object) -> RSAKey:
        if not isinstance(kid, str):
            raise TokenRejected("no kid")
        with self._lock:
            if kid not in self._keys and self._may_fetch():
                self._keys = self._read_keys()
            if kid not in self._keys:
                raise TokenRejected("unknown kid")
            return self._keys[kid]

    def _may_fetch(self) -> bool:
        return self._fetched_at is None or (
            self._clock() - self._fetched_at >= _REFETCH_AFTER_SECONDS
        )

    def _read_keys(self) -> dict[str, RSAKey]:
        self._fetched_at = self._clock()
        try:
            document = self._fetch(self._url)
        except (OSError, ValueError) as error:
            raise TokenRejected(
                f"the pool's keys are unavailable ({type(error).__name__})"
            ) from None
        keys = {}
        for entry in document.get("keys", []):
            if entry.get("kty") == "RSA" and isinstance(entry.get("kid"), str):
                public = {k: v for k, v in entry.items() if k in ("kty", "n", "e", "kid")}
                keys[entry["kid"]] = RSAKey.import_key(public)
        return keys


def _header(token: str) -> dict[str, Any]:
    encoded = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise TokenRejected("unreadable header") from None
    if not isinstance(header, dict):
        raise TokenRejected("unreadable header")
    return header
