"""X's OAuth 2.0 token endpoint, emulated: POST /2/oauth2/token with
grant_type=refresh_token gives a new access token and a new refresh token, and the
refresh token sent is spent (it works once: the next refresh must use the new one). Access
tokens stop working when refreshed away or when `expire_access_token` says their two
hours are over.

The request (form fields, Basic authentication of a confidential client) and the answer
are X's documented ones: https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
(step 5; "Refresh tokens", .../authorization-code). X's docs do not list its error
answers; these are the ones X gives, as its client libraries' users recorded them:
- a spent or unknown refresh token: 400 {"error": "invalid_request", "error_description":
  "Value passed for the token was invalid."} (the same answer X gives a spent authorization
  code, https://github.com/PLhery/node-twitter-api-v2/issues/496);
- a confidential client without its Basic credentials: 401 {"error": "unauthorized_client",
  "error_description": "Missing valid authorization header"}
  (https://github.com/PLhery/node-twitter-api-v2/issues/319,
  https://github.com/xdevplatform/oauth2.0-bot/pull/2)."""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from typing import Any

ACCESS_LIFETIME = 7200  # seconds: "will only stay valid for two hours"
SPENT = {
    "error": "invalid_request",
    "error_description": "Value passed for the token was invalid.",
}
NO_CLIENT = {
    "error": "unauthorized_client",
    "error_description": "Missing valid authorization header",
}


class XTokenEndpoint:
    def __init__(self, tokens: dict[str, Any]) -> None:
        """`tokens`: the emulator's token table; the X pair in it is the one X holds."""
        self._tokens = tokens
        self._lock = threading.Lock()  # one refresh at a time, as X's own store would
        self.refreshed = 0

    def refresh(self, form: Any, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        fields = form if isinstance(form, dict) else {}
        if not self._client_authenticated(fields, headers):
            return 401, NO_CLIENT
        if fields.get("grant_type") != "refresh_token":
            return 400, SPENT
        with self._lock:
            if fields.get("refresh_token") != self._tokens["x_refresh_token"]:
                return 400, SPENT
            self.refreshed += 1
            self._tokens["x_access_token"] = f"local-x-access-{secrets.token_urlsafe(12)}"
            self._tokens["x_refresh_token"] = f"local-x-refresh-{secrets.token_urlsafe(12)}"
            return 200, {
                "token_type": "bearer",
                "expires_in": ACCESS_LIFETIME,
                "access_token": self._tokens["x_access_token"],
                "scope": "tweet.write dm.write offline.access",
                "refresh_token": self._tokens["x_refresh_token"],
            }

    def expire_access_token(self) -> None:
        """The current access token's two hours are over: calls with it answer 401."""
        with self._lock:
            self._tokens["x_access_token"] = f"expired-{secrets.token_urlsafe(12)}"

    def _client_authenticated(self, fields: dict[str, Any], headers: dict[str, str]) -> bool:
        """A confidential client (the app has a secret) sends Basic id:secret; a public
        client sends its client_id in the form."""
        client_id, secret = self._tokens["x_client_id"], self._tokens.get("x_client_secret")
        if not secret:
            return fields.get("client_id") == client_id
        value = headers.get("authorization", "")
        if not value.lower().startswith("basic "):
            return False
        try:
            given = base64.b64decode(value[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        return given == f"{client_id}:{secret}"
