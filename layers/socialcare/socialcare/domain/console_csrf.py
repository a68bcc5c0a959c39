"""CSRF tokens of the console's forms: an HMAC of the person's session (their sign-in's
`origin_jti`) under the stack's console key. A page cannot be posted to from another
site: the other site can make the browser send the session cookie, but cannot read the
token the form carries (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#signed-double-submit-cookie-recommended)."""

from __future__ import annotations

import base64
import hashlib
import hmac

_PURPOSE = b"socialcare console csrf\x00"  # the key signs nothing else with the same bytes


def csrf_token(session: str, secret: bytes) -> str:
    """The token every form of this session carries in its hidden `csrf` field."""
    digest = hmac.new(secret, _PURPOSE + session.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def csrf_valid(session: str, token: str, secret: bytes) -> bool:
    """Whether `token` is this session's (compared in constant time); no session, no token."""
    if not session or not token:
        return False
    return hmac.compare_digest(csrf_token(session, secret), token)
