"""X API v2 with the brand's user-context OAuth 2.0 token: replies to mentions and DMs.
The access token lasts two hours; it is refreshed with the refresh token (which X
replaces at each refresh, so the new pair is written back to Secrets Manager)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.outbound_ports import (
    CannotTell,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokens,
)

_DEFAULT_WAIT = 60.0
_REFRESH_MARGIN = 120  # seconds before expiry a token is refreshed


class XApi:
    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        tokens: Callable[[], PlatformTokens],
        save_tokens: Callable[[dict[str, Any]], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens
        self._save_tokens = save_tokens
        self._clock = clock
        self._fresh: PlatformTokens | None = None  # refreshed by this container

    def send(self, delivery: Delivery) -> str:
        action = delivery.action
        if delivery.mode is DeliveryMode.TWEET_REPLY:
            body = {
                "text": action.text,
                "reply": {"in_reply_to_tweet_id": action.target.message_id},
            }
            return str(self._post("2/tweets", body)["data"]["id"])
        if delivery.mode is DeliveryMode.DIRECT_MESSAGE:
            participant = action.target.conversation_id or action.target.author_id
            path = f"2/dm_conversations/with/{participant}/messages"
            return str(self._post(path, {"text": action.text})["data"]["dm_event_id"])
        raise PlatformRefused("unsupported", f"X cannot {delivery.mode.value}")

    def find_sent(self, delivery: Delivery) -> str | None:
        # Searching the brand's recent posts costs a read per post and lags behind: not
        # a reliable answer, so an unknown fate stays uncertain.
        raise CannotTell("X")

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self._call(path, body, self._access_token())
        if answer.status == 401:  # revoked or expired early: refresh once
            answer = self._call(path, body, self._refresh())
        return self._result(answer)

    def _call(self, path: str, body: dict[str, Any], token: str) -> HttpAnswer:
        headers = {"Authorization": f"Bearer {token}"}
        return self._http.request("POST", f"{self._base}/{path}", json_body=body, headers=headers)

    def _current(self) -> PlatformTokens:
        stored = self._tokens()
        fresh = self._fresh
        if fresh and fresh.x_token_expires_at > stored.x_token_expires_at:
            return fresh
        return stored

    def _access_token(self) -> str:
        tokens = self._current()
        if not tokens.x_access_token:
            raise PlatformRefused("no_token", "no X access token")
        expiring = (
            tokens.x_token_expires_at
            and tokens.x_token_expires_at - _REFRESH_MARGIN < self._clock()
        )
        if expiring and tokens.x_refresh_token:
            return self._refresh()
        return tokens.x_access_token

    def _refresh(self) -> str:
        tokens = self._current()
        if not tokens.x_refresh_token or not tokens.x_client_id:
            raise PlatformRefused("no_token", "the X token cannot be refreshed")
        form = {
            "grant_type": "refresh_token",
            "refresh_token": tokens.x_refresh_token,
            "client_id": tokens.x_client_id,
        }
        headers = {}
        if tokens.x_client_secret:  # a confidential client authenticates itself
            pair = f"{tokens.x_client_id}:{tokens.x_client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        answer = self._http.request(
            "POST", f"{self._base}/2/oauth2/token", form=form, headers=headers
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status != 200 or not body.get("access_token"):
            if answer.status >= 500:
                raise PlatformFailed(f"X token refresh {answer.status}")
            raise PlatformRefused("token_refresh", f"X refused the refresh ({answer.status})")
        updated = {
            "x_access_token": str(body["access_token"]),
            "x_refresh_token": str(body.get("refresh_token") or tokens.x_refresh_token),
            "x_token_expires_at": self._clock() + float(body.get("expires_in") or 7200),
        }
        self._fresh = tokens.model_copy(update=updated)
        self._save_tokens(updated)
        return updated["x_access_token"]

    def _result(self, answer: HttpAnswer) -> dict[str, Any]:
        body = answer.body if isinstance(answer.body, dict) else {}
        if 200 <= answer.status < 300 and isinstance(body.get("data"), dict):
            return body
        if answer.status == 429:
            reset = _float(answer.header("x-rate-limit-reset"))
            wait = reset - self._clock() if reset else _float(answer.header("retry-after"))
            raise PlatformBusy(wait if wait > 0 else _DEFAULT_WAIT)
        if answer.status >= 500:
            raise PlatformFailed(f"X API {answer.status}")
        detail = body.get("detail") or body.get("title") or answer.status
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            detail = errors[0].get("message") or detail
        raise PlatformRefused(str(answer.status), str(detail)[:300])


def _float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0
