"""Cognito's managed login, as the console's public app client (no secret; PKCE) calls
it: https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html
(authorize, token, revoke, logout). The local stack serves the same paths."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from socialcare.ports.console_access import LoginRefused, SessionTokens

_TIMEOUT_SECONDS = 5
SCOPES = "openid email profile"


class HttpManagedLogin:
    def __init__(self, base_url: str, client_id: str) -> None:
        self._base = base_url.rstrip("/")
        self._client_id = client_id

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        """https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html"""
        query = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "code_challenge": code_challenge,
        }
        return f"{self._base}/oauth2/authorize?{urlencode(query)}"

    def tokens_for_code(self, code: str, code_verifier: str, redirect_uri: str) -> SessionTokens:
        """https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html"""
        answer = self._post(
            "/oauth2/token",
            grant_type="authorization_code",
            client_id=self._client_id,
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=code_verifier,
        )
        return _tokens(answer)

    def refreshed(self, refresh_token: str) -> SessionTokens:
        answer = self._post(
            "/oauth2/token",
            grant_type="refresh_token",
            client_id=self._client_id,
            refresh_token=refresh_token,
        )
        return _tokens(answer)

    def revoke(self, refresh_token: str) -> None:
        """https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html"""
        self._post("/oauth2/revoke", token=refresh_token, client_id=self._client_id)

    def logout_url(self, signed_out_uri: str) -> str:
        """https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html"""
        query = urlencode({"client_id": self._client_id, "logout_uri": signed_out_uri})
        return f"{self._base}/logout?{query}"

    def _post(self, path: str, **fields: str) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 (the managed login's https URL, from settings)
            self._base + path,
            data=urlencode(fields).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as answer:  # noqa: S310
                body = answer.read()
        except urllib.error.HTTPError as refused:
            raise LoginRefused(f"{path}: {refused.code} {_error_code(refused)}") from None
        except (OSError, ValueError) as error:
            raise LoginRefused(f"{path}: {type(error).__name__}") from None
        return json.loads(body) if body.strip() else {}


def _error_code(refused: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(refused.read()).get("error", ""))
    except (ValueError, AttributeError):
        return ""


def _tokens(answer: dict[str, Any]) -> SessionTokens:
    if not isinstance(answer.get("access_token"), str):
        raise LoginRefused("no access token in the answer")
    return SessionTokens(
        access_token=answer["access_token"],
        refresh_token=str(answer.get("refresh_token", "")),
        expires_in=int(answer.get("expires_in", 3600)),
    )
