"""The local stack's Cognito managed login: the OAuth 2.0 endpoints of
https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html over
moto's user pool, on its own port (its own origin, as Cognito's domain is). The sign-in
itself is moto's (InitiateAuth and RespondToAuthChallenge: NEW_PASSWORD_REQUIRED,
MFA_SETUP, SOFTWARE_TOKEN_MFA, with moto checking the TOTP codes); the rules of the
endpoints are here, each with the page that states it:
- authorize: response_type=code only (the console's), a client of the pool, a redirect_uri
  among its CallbackURLs, PKCE with S256, the only method Cognito supports
  (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html,
  https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html);
- token: a code works once (RFC 6749 4.1.2), within 5 minutes, for the client and
  redirect_uri it was issued to, with the code_verifier whose S256 is its challenge;
  refresh_token grants
  (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html);
- revoke: the refresh token stops working; the access tokens issued from it are refused
  by Cognito's APIs, but a JWT check still accepts them until they expire (hence the
  console's own revoked sessions) (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html);
- logout: a logout_uri among the client's LogoutURLs (https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html).
moto issues no authorization codes and revokes nothing per token, so those are kept here."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from socialcare.domain.console_tokens import pkce_challenge

# RFC 6749 4.1.2: codes short-lived, "a maximum authorization code lifetime of 10 minutes
# is RECOMMENDED"; 5 here (Cognito's own lifetime is not stated on its endpoint pages).
CODE_SECONDS = 300


class LoginError(Exception):
    """An OAuth error: `error` as the endpoint would answer it, `status` its HTTP status."""

    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status = status


@dataclass
class Authorization:
    """One visit to /oauth2/authorize, until its sign-in ends with a code."""

    client_id: str
    redirect_uri: str
    state: str
    challenge: str
    scope: str
    username: str = ""
    session: str = ""  # moto's, between challenges
    totp_secret: str = ""  # MFA_SETUP: shown once to be added to an authenticator


@dataclass
class IssuedCode:
    client_id: str
    redirect_uri: str
    challenge: str
    tokens: dict[str, Any]
    issued_at: float


@dataclass
class ManagedLogin:
    """The endpoints' state and rules; the HTTP server (managed_login_server.py) calls in."""

    cognito: Any  # moto's cognito-idp client
    user_pool_id: str
    flows: dict[str, Authorization] = field(default_factory=dict)
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)  # refresh tokens
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def authorize(self, query: dict[str, str]) -> str:
        """A new flow's id, for the sign-in form; LoginError when the request is refused."""
        client = self._client(query.get("client_id", ""))
        if query.get("response_type") != "code":
            raise LoginError("unsupported_response_type")
        if query.get("redirect_uri") not in client.get("CallbackURLs", []):
            raise LoginError("redirect_mismatch")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            raise LoginError("invalid_request")  # the console always uses PKCE with S256
        flow_id = secrets.token_urlsafe(24)
        with self._lock:
            self.flows[flow_id] = Authorization(
                client["ClientId"],
                query["redirect_uri"],
                query.get("state", ""),
                query["code_challenge"],
                query.get("scope", "openid"),
            )
        return flow_id

    def flow(self, flow_id: str) -> Authorization:
        with self._lock:
            found = self.flows.get(flow_id)
        if found is None:
            raise LoginError("invalid_request")
        return found

    def answer(self, flow: Authorization, result: dict[str, Any]) -> str | None:
        """After moto's InitiateAuth or RespondToAuthChallenge: the next challenge's name,
        or None when signed in (then `redirect` gives the callback URL)."""
        if "AuthenticationResult" in result:
            code = secrets.token_urlsafe(32)
            with self._lock:
                self.codes[code] = IssuedCode(
                    flow.client_id,
                    flow.redirect_uri,
                    flow.challenge,
                    result["AuthenticationResult"],
                    time.time(),
                )
            flow.session = code  # the redirect's code
            return None
        flow.session = result.get("Session", "")
        return str(result.get("ChallengeName", ""))

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._code_grant(form)
        if grant == "refresh_token":
            return self._refresh_grant(form)
        raise LoginError("unsupported_grant_type")

    def revoke(self, form: dict[str, str]) -> None:
        self._client(form.get("client_id", ""))
        token = form.get("token", "")
        if not token:
            raise LoginError("invalid_request")
        with self._lock:
            self.revoked.add(token)

    def logout(self, query: dict[str, str]) -> str:
        client = self._client(query.get("client_id", ""))
        uri = query.get("logout_uri", "")
        if uri not in client.get("LogoutURLs", []):
            raise LoginError("invalid_request")
        return uri

    def _code_grant(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            issued = self.codes.pop(form.get("code", ""), None)  # once only
        if issued is None or time.time() - issued.issued_at > CODE_SECONDS:
            raise LoginError("invalid_grant")
        if form.get("client_id") != issued.client_id:
            raise LoginError("invalid_client", 401)
        if form.get("redirect_uri") != issued.redirect_uri:
            raise LoginError("invalid_grant")
        if pkce_challenge(form.get("code_verifier", "")) != issued.challenge:
            raise LoginError("invalid_grant")
        tokens = issued.tokens
        return {
            "access_token": tokens["AccessToken"],
            "id_token": tokens["IdToken"],
            "refresh_token": tokens["RefreshToken"],
            "token_type": "Bearer",
            "expires_in": tokens["ExpiresIn"],
        }

    def _refresh_grant(self, form: dict[str, str]) -> dict[str, Any]:
        client = self._client(form.get("client_id", ""))
        refresh = form.get("refresh_token", "")
        with self._lock:
            if not refresh or refresh in self.revoked:
                raise LoginError("invalid_grant")
        try:
            result = self.cognito.initiate_auth(
                ClientId=client["ClientId"],
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh},
            )
        except Exception:  # moto's NotAuthorized or ResourceNotFound: a token it never issued
            raise LoginError("invalid_grant") from None
        tokens = result["AuthenticationResult"]
        return {
            "access_token": tokens["AccessToken"],
            "id_token": tokens["IdToken"],
            "token_type": "Bearer",
            "expires_in": tokens["ExpiresIn"],
        }

    def _client(self, client_id: str) -> dict[str, Any]:
        if not client_id:
            raise LoginError("invalid_client", 401)
        try:
            found = self.cognito.describe_user_pool_client(
                UserPoolId=self.user_pool_id, ClientId=client_id
            )
        except Exception:  # moto's ResourceNotFoundException
            raise LoginError("invalid_client", 401) from None
        return dict(found["UserPoolClient"])
