"""X API v2 with the brand's user-context OAuth 2.0 token: replies to mentions and DMs.
The token pair and its rotation across containers: x_tokens.py; what X's answers mean:
x_answers.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.x_answers import raise_for
from socialcare.adapters.platform_api.x_tokens import XTokens
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.platform_errors import (
    CannotTell,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)


class XApi:
    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        tokens: XTokens,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens
        self._clock = clock

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
        token = self._tokens.access_token()
        answer = self._call(path, body, token)
        if answer.status == 401:  # expired early, revoked, or rotated by another container
            answer = self._call(path, body, self._tokens.renew(token))
            if answer.status == 401:
                raise PlatformTokenInvalid("x", TokenProblem.REJECTED)
        return self._result(answer)

    def _call(self, path: str, body: dict[str, Any], token: str) -> HttpAnswer:
        headers = {"Authorization": f"Bearer {token}"}
        return self._http.request("POST", f"{self._base}/{path}", json_body=body, headers=headers)

    def _result(self, answer: HttpAnswer) -> dict[str, Any]:
        body = answer.body if isinstance(answer.body, dict) else {}
        if 200 <= answer.status < 300 and isinstance(body.get("data"), dict):
            return body
        raise_for(answer, self._clock())
