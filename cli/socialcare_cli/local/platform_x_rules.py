"""X API v2's rules on the brand's POSTs, emulated: problem JSON errors, the 15-minute
windows and 24-hour caps with their headers, an app X does not let use v2, and posts
that are gone.

- Errors are problem JSON, `{"title", "detail", "type", "status"}`, `type` a problem URI or
  `about:blank` (https://docs.x.com/x-api/fundamentals/response-codes-and-errors).
- Windows (https://docs.x.com/x-api/fundamentals/rate-limits): POST /2/tweets 100 per user
  per 15 minutes and 10,000 per app per 24 hours; DMs 15 per user per 15 minutes, 1,440 per
  user and per app per 24 hours. Every answer carries `x-rate-limit-{limit,remaining,reset}`
  (the 15-minute window, documented) and `x-app-limit-24hour-*` / `x-user-limit-24hour-*`
  (the 24-hour caps: sent by X, not documented; names as client libraries read them, e.g.
  https://docs.rs/crate/twapi-v2/latest/source/maker/header/header.yaml). X also caps a
  user's posts per 24 hours by an undocumented number (field report:
  https://nabbilkhan.com/nabster/posts/the-x-api-rate-limit-that-doesnt-exist-in-the-docs):
  `user_cap_24h` sets it. A 429's body is `{"title": "Too Many Requests", "detail": "Too
  Many Requests", "type": "about:blank", "status": 429}` (as X answers,
  https://github.com/blorm-network/ZerePy/issues/73).
- The local stack's load runs send far more than one brand's 15 DMs per 15 minutes: the
  windows are counted and reported always, and enforced when `enforce_windows` is on; a
  24-hour cap set in `user_cap_24h` is always enforced."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from socialcare_cli.local.platform_state import Refusal

PROBLEMS = "https://api.x.com/2/problems/"
WINDOW = 15 * 60
DAY = 24 * 3600


@dataclass(frozen=True)
class _Limits:
    window: int  # per user per 15 minutes
    app_day: int  # per app per 24 hours
    user_day: int | None  # per user per 24 hours (documented for DMs only)


LIMITS = {
    "tweets": _Limits(window=100, app_day=10_000, user_day=None),
    "dm": _Limits(window=15, app_day=1_440, user_day=1_440),
}


def x_problem(
    status: int,
    title: str,
    detail: str,
    kind: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Refusal:
    """X's problem JSON; `kind` a problem type's last segment (about:blank without one)."""
    body = {"title": title, "detail": detail, "type": PROBLEMS + kind if kind else "about:blank"}
    return Refusal(status, {**body, **extra, "status": status}, headers)


# An app not attached to a project (or without the tier): X's answer, as its users record
# it (api.twitter.com in the type URI, as observed).
_CLIENT_FORBIDDEN = {
    "client_id": "local-x-client",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
    "and tokens from a Twitter developer App that is attached to a Project. You can create a "
    "project via the developer portal.",
    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
    "title": "Client Forbidden",
    "required_enrollment": "Appropriate Level of API Access",
    "reason": "client-not-enrolled",
    "type": "https://api.twitter.com/2/problems/client-forbidden",
}


class XRules:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.enforce_windows = False
        self.user_cap_24h: int | None = None
        self.client_forbidden = False
        self.deleted: set[str] = set()  # posts deleted or made protected since they came
        self._calls: dict[str, deque[float]] = {name: deque() for name in LIMITS}

    def reset(self) -> None:
        with self._lock:
            self.enforce_windows = False
            self.user_cap_24h = None
            self.client_forbidden = False
            self.deleted.clear()
            for calls in self._calls.values():
                calls.clear()

    def admit(self, family: str, now: float, reply_to: str | None = None) -> dict[str, str]:
        """Count one POST of `family` ("tweets", "dm"): its rate headers, or a Refusal
        carrying them when X would refuse the call."""
        if self.client_forbidden:
            raise Refusal(403, _CLIENT_FORBIDDEN)
        limits = LIMITS[family]
        user_day = self.user_cap_24h if family == "tweets" else limits.user_day
        with self._lock:
            calls = self._calls[family]
            while calls and calls[0] <= now - DAY:
                calls.popleft()
            in_window = sum(1 for at in calls if at > now - WINDOW)
            spent = (
                (self.enforce_windows and in_window >= limits.window)
                or len(calls) >= limits.app_day
                or (user_day is not None and len(calls) >= user_day)
            )
            if not spent:  # a refused call is not counted
                calls.append(now)
                in_window += 1
            headers = _headers(limits, user_day, calls, in_window, now)
        if spent:
            raise x_problem(429, "Too Many Requests", "Too Many Requests", headers=headers)
        if reply_to is not None and reply_to in self.deleted:
            # As X answers (not on docs.x.com; e.g.
            # https://github.com/PLhery/node-twitter-api-v2/issues/366)
            raise x_problem(
                403,
                "Forbidden",
                "You attempted to reply to a Tweet that is deleted or not visible to you.",
            )
        return headers


def _headers(
    limits: _Limits, user_day: int | None, calls: deque[float], in_window: int, now: float
) -> dict[str, str]:
    window_start = next((at for at in calls if at > now - WINDOW), now)
    day_reset = str(int((calls[0] if calls else now) + DAY))
    headers = {
        "x-rate-limit-limit": str(limits.window),
        "x-rate-limit-remaining": str(max(0, limits.window - in_window)),
        "x-rate-limit-reset": str(int(window_start + WINDOW)),
        "x-app-limit-24hour-limit": str(limits.app_day),
        "x-app-limit-24hour-remaining": str(max(0, limits.app_day - len(calls))),
        "x-app-limit-24hour-reset": day_reset,
    }
    if user_day is not None:
        headers["x-user-limit-24hour-limit"] = str(user_day)
        headers["x-user-limit-24hour-remaining"] = str(max(0, user_day - len(calls)))
        headers["x-user-limit-24hour-reset"] = day_reset
    return headers
