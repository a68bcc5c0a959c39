"""A user pool in miniature for the identity slice's tests: its own RSA key, its JWKS, and
access tokens as Cognito writes them (claims from moto's and Cognito's docs)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from socialcare.adapters.cognito_tokens import JwksAccessTokens
from socialcare.app.console_access import AccessDependencies
from socialcare.domain.console_tokens import issuer_of_pool

POOL_ID = "eu-west-1_TestPool1"
CLIENT_ID = "console-client"
ISSUER = issuer_of_pool(POOL_ID)
CSRF_SECRET = b"k" * 48


@cache
def pool_key(kid: str = "pool-key-1") -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid}, private=True)


def jwks(*keys: RSAKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) for key in keys or (pool_key(),)]}


def access_token(key: RSAKey | None = None, **overrides: Any) -> str:
    key = key or pool_key()
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "1b2c3d4e",
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "openid email profile",
        "auth_time": now,
        "iat": now,
        "exp": now + 900,
        "jti": "jti-1",
        "origin_jti": "session-1",
        "username": "ana",
        "cognito:groups": ["community_managers"],
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    header = {"alg": "RS256", "kid": key.kid}
    return jwt.encode(header, claims, key)


@dataclass
class FakeRevokedSessions:
    until: dict[str, int] = field(default_factory=dict)

    def revoke(self, session: str, until: int) -> None:
        self.until[session] = until

    def is_revoked(self, session: str) -> bool:
        return session in self.until


def access_dependencies(
    revoked: FakeRevokedSessions | None = None, keys: dict[str, Any] | None = None
) -> AccessDependencies:
    document = keys or jwks()
    return AccessDependencies(
        tokens=JwksAccessTokens("https://pool.test/jwks.json", fetch=lambda _url: document),
        revoked=revoked or FakeRevokedSessions(),
        issuer=ISSUER,
        client_id=CLIENT_ID,
        csrf_secret=lambda: CSRF_SECRET,
        now=time.time,
    )
