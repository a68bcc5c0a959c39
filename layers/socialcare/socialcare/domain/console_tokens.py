"""What a Cognito access token must say before the console trusts it, once its RS256
signature has been checked against the pool's keys (the adapter's part). The checks are
Cognito's own list (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
the issuer is the pool, `token_use` is "access" (an ID token is refused: it is meant for
the client, not for an API), `client_id` is the console's app client, and it has not
expired. PKCE (RFC 7636, S256) is here too: the sign-in's verifier and its challenge."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from socialcare.domain.console_users import ConsoleUser, roles_of_groups

# Clocks of Lambda and Cognito agree to well under this; RFC 7519 4.1.4 allows "a small
# leeway, usually no more than a few minutes". Kept small: a revoked session's access
# token must stop working at once, and an expired one soon after.
CLOCK_SKEW_SECONDS = 30


def issuer_of_pool(user_pool_id: str) -> str:
    """A pool's issuer: its id begins with its Region ("eu-west-1_AbC123")
    (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html#amazon-cognito-user-pools-using-tokens-step-2)."""
    region = user_pool_id.split("_", 1)[0]
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def claims_refusal(
    claims: Mapping[str, Any], issuer: str, client_id: str, now: float
) -> str | None:
    """Why these (signed) claims are not a console access token, or None when they are."""
    expires = claims.get("exp")
    checks = (
        (claims.get("iss") == issuer, "another issuer"),
        (claims.get("token_use") == "access", "not an access token"),
        (claims.get("client_id") == client_id, "another app client"),
        (isinstance(expires, (int, float)) and not isinstance(expires, bool), "no expiry"),
        (isinstance(claims.get("username"), str) and bool(claims.get("username")), "no user"),
    )
    for holds, reason in checks:
        if not holds:
            return reason
    if now > float(expires) + CLOCK_SKEW_SECONDS:  # type: ignore[arg-type]  # checked above
        return "expired"
    return None


def user_of_claims(claims: Mapping[str, Any]) -> ConsoleUser:
    """The person the (accepted) claims name; their session is the sign-in's `origin_jti`
    (the same for every token refreshed from that sign-in), else the token's own `jti`."""
    groups = claims.get("cognito:groups") or []
    if isinstance(groups, str):
        groups = [groups]
    return ConsoleUser(
        username=str(claims["username"]),
        roles=roles_of_groups(str(g) for g in groups),
        session=str(claims.get("origin_jti") or claims.get("jti") or ""),
    )


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 4.2's S256: BASE64URL(SHA256(verifier)), without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class TokenRejected(Exception):
    """A token whose signature, shape or key is not the pool's (the reason, no token)."""
