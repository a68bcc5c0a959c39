"""X API v2's answers to a POST that creates (a reply, a DM), read as the outbound port's
outcomes. X's error body is problem JSON, `{"title", "detail", "type", "status"}`, its
`type` a problem URI or `about:blank`
(https://docs.x.com/x-api/fundamentals/response-codes-and-errors); problem URIs are seen on
both api.x.com and api.twitter.com, so only their last segment is read."""

from __future__ import annotations

import re
from typing import Any, NoReturn

from socialcare.adapters.platform_api.http import HttpAnswer
from socialcare.domain.platform_errors import (
    FateUnknown,
    PlatformBusy,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)

DEFAULT_WAIT = 60.0
# A reset must be a Unix time in whole seconds (the docs: "Unix timestamp when window
# resets"), and within a day and a bit of now: anything else is not a reset X would give.
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
_LONGEST_WAIT = 25 * 3600.0
# X's windows: `x-rate-limit-*` is the endpoint's 15-minute window (documented,
# https://docs.x.com/x-api/fundamentals/rate-limits); `x-user-limit-24hour-*` and
# `x-app-limit-24hour-*` are the user's and the app's 24-hour caps, which X sends but does
# not document (its rate-limits page lists the 24-hour limits, e.g. POST /2/tweets 10,000
# per app; the header names as client libraries read them, e.g.
# https://docs.rs/crate/twapi-v2/latest/source/maker/header/header.yaml).
_WINDOWS = ("x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour")
_DUPLICATE = "duplicate content"
# A reply to a post that is deleted or that the brand may not see (a protected account):
# 403 "You attempted to reply to a Tweet that is deleted or not visible to you." (as X
# answers; not on docs.x.com), `not-authorized-for-resource` ("No access to
# private/protected content") or `resource-not-found` (the documented types).
_GONE_TYPES = ("not-authorized-for-resource", "resource-not-found")
_GONE_DETAIL = "deleted or not visible"


def rate_limit_wait(answer: HttpAnswer, now: float) -> float:
    """Seconds until the limit that binds resets: the latest reset of the windows a 429
    spent (remaining 0), so a 24-hour cap is waited out, not retried every 15 minutes.
    With none spent, the 15-minute window's reset; unreadable headers: a minute."""
    spent, any_reset = [], []
    for window in _WINDOWS:
        reset = _seconds(answer.header(f"{window}-reset"))
        if reset is None:
            continue
        any_reset.append(reset)
        remaining = answer.header(f"{window}-remaining")
        if (remaining is None and window == "x-rate-limit") or _seconds(remaining) == 0:
            spent.append(reset)
    resets = spent or any_reset[:1]
    wait = max(resets) - now if resets else 0.0
    return wait if 0 < wait <= _LONGEST_WAIT else DEFAULT_WAIT


def raise_for(answer: HttpAnswer, now: float) -> NoReturn:
    """The outcome of an answer that is not a success (401 is the caller's: it renews)."""
    body = answer.body if isinstance(answer.body, dict) else {}
    problem = str(body.get("type") or "").rstrip("/").rsplit("/", 1)[-1]
    detail = _detail(body, answer.status)
    if answer.status >= 500:
        # "Wait and retry", the docs say, without saying the post was not made: a POST
        # answered 5xx may have been done (RFC 9110 9.2.2: a non-idempotent request is
        # not retried without knowing it was not applied). Never resent: uncertain.
        raise FateUnknown(f"X API {answer.status}")
    if problem == "client-forbidden" or body.get("reason") == "client-not-enrolled":
        # "App not enrolled or lacks required access": the app is not attached to a
        # project, or its tier lacks the endpoint. Ops must fix it; the reply waits.
        raise PlatformTokenInvalid("x", TokenProblem.NOT_ENROLLED)
    if problem == "usage-capped":
        # "Usage cap exceeded": the project's cap (or credits) for the period is spent.
        raise PlatformTokenInvalid("x", TokenProblem.USAGE_CAPPED)
    if answer.status == 429:
        raise PlatformBusy(rate_limit_wait(answer, now))
    if answer.status == 403 and _DUPLICATE in detail:
        # X refuses a post identical to one on the brand's timeline: this reply, made by an
        # earlier call whose answer was lost, or the same words posted before. It cannot
        # tell which: may be on X already, so neither refused nor sent again.
        raise FateUnknown("X refused it as a duplicate of a post already on the timeline")
    if problem in _GONE_TYPES or _GONE_DETAIL in detail:
        raise PlatformRefused("post_unavailable", detail)
    raise PlatformRefused(str(answer.status), f"{problem}: {detail}" if problem else detail)


def _detail(body: dict[str, Any], status: int) -> str:
    detail = body.get("detail") or body.get("title") or status
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        detail = errors[0].get("message") or detail
    return str(detail)[:300]


def _seconds(value: str | None) -> int | None:
    if value is None or not _UNIX_SECONDS.fullmatch(value.strip()):
        return None
    return int(value)
