"""The pool's signing keys and the RS256 check of a token against them: RSASSA-PKCS1-v1_5
with SHA-256 (RFC 7518 3.3) by `cryptography` (pyca, the library the JOSE libraries use
underneath), over the JWS compact form (RFC 7515 7.1) read here. Not joserfc or PyJWT:
importing joserfc cost the console function's cold start about 48 ms more than
cryptography's RSA alone (7.6 ms; docs/console-identity.md), for the one algorithm the
console accepts. Only the console function imports this. The keys are the pool's JWKS
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

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

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
        self._keys: dict[str, rsa.RSAPublicKey] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def claims(self, token: str) -> Mapping[str, Any]:
        if len(token) > _MAX_TOKEN_CHARS or token.count(".") != 2:
            raise TokenRejected("not a signed JWT")
        header_part, payload_part, signature_part = token.split(".")
        header = _json_part(header_part)
        # RS256 only: "none", HS256 signed with the public key, and every other algorithm
        # are refused before any key is used (RFC 8725 3.1).
        if header.get("alg") != "RS256":
            raise TokenRejected("not RS256")
        key = self._key(header.get("kid"))
        try:
            key.verify(
                _bytes(signature_part),
                f"{header_part}.{payload_part}".encode("ascii"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except InvalidSignature:
            raise TokenRejected("BadSignatureError") from None
        return _json_part(payload_part)

    def _key(self, kid: object) -> rsa.RSAPublicKey:
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

    def _read_keys(self) -> dict[str, rsa.RSAPublicKey]:
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
                try:
                    numbers = rsa.RSAPublicNumbers(_integer(entry["e"]), _integer(entry["n"]))
                    keys[entry["kid"]] = numbers.public_key()
                except (KeyError, TypeError, ValueError, TokenRejected):
                    continue  # a key this check cannot use verifies nothing
        return keys


def _bytes(part: str) -> bytes:
    """base64url without padding (RFC 7515 2), strictly: any other character refuses."""
    if "=" in part:
        raise TokenRejected("padded base64url")
    try:
        return base64.b64decode(
            part.replace("-", "+").replace("_", "/") + "=" * (-len(part) % 4), validate=True
        )
    except ValueError:
        raise TokenRejected("not base64url") from None


def _json_part(part: str) -> dict[str, Any]:
    try:
        value = json.loads(_bytes(part))
    except (ValueError, UnicodeDecodeError):
        raise TokenRejected("unreadable JSON") from None
    if not isinstance(value, dict):
        raise TokenRejected("unreadable JSON")
    return value


def _integer(text: object) -> int:
    if not isinstance(text, str):
        raise TokenRejected("not a key")
    return int.from_bytes(_bytes(text), "big")
