"""The Graph API's rules the emulator enforces beyond messaging windows: appsecret_proof,
lists paged as Graph pages them, the Instagram messaging endpoint of Facebook Login, and
Graph's own shapes for a rate limit and for a server error. Where Meta documents no code
for a refusal, the code here is the emulator's choice, and says so."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.platform_state import graph_error

# "limit: ... Some edges may also have a maximum on the limit value"
# (https://developers.facebook.com/docs/graph-api/results); 25 is Graph's usual default,
# 100 the maximum the emulator allows (the real maxima are per edge, undocumented).
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
# Reading modifiers of a comment's comments
# (https://developers.facebook.com/docs/graph-api/reference/comment/comments/); the
# default order is not documented: chronological here. Instagram's /replies documents
# no `order`: it is ignored there, and replies stay oldest first.
ORDERS = ("chronological", "reverse_chronological")

# Code 2 with 500: "An unexpected error has occurred. Please retry your request later."
# (https://developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes)
UNEXPECTED_ERROR = {
    "error": {
        "message": "An unexpected error has occurred. Please retry your request later.",
        "type": "OAuthException",
        "code": 2,
        "is_transient": True,
        "fbtrace_id": "local",
    }
}


def check_appsecret_proof(query: dict[str, str], token: str, app_secret: str) -> None:
    """With an app that requires it, every call carries appsecret_proof, the hex
    HMAC-SHA256 of its access token keyed with the app secret
    (https://developers.facebook.com/docs/graph-api/guides/secure-requests). Meta's
    answers, as SDK users report them: 400, GraphMethodException, code 100,
    "Invalid appsecret_proof provided in the API argument"
    (facebook/facebook-python-business-sdk#528), and "API calls from the server require
    an appsecret_proof argument" when it is missing (markbates/goth#96)."""
    if not app_secret:
        return
    sent = query.get("appsecret_proof")
    if not sent:
        raise graph_error(
            100,
            "API calls from the server require an appsecret_proof argument",
            kind="GraphMethodException",
        )
    expected = hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sent, expected):
        raise graph_error(
            100, "Invalid appsecret_proof provided in the API argument", kind="GraphMethodException"
        )


def paged(items: list[dict[str, Any]], query: dict[str, str], url: str, *, ordered: bool) -> dict:
    """One page of a list: `limit` items from the `after` cursor, `paging.cursors` and
    `paging.next` only when more follow ("use the absence of next", the results page)."""
    order = query.get("order", "chronological") if ordered else "chronological"
    if order not in ORDERS:
        raise graph_error(100, f"(#100) order must be one of {', '.join(ORDERS)}")
    try:
        limit = int(query.get("limit", DEFAULT_LIMIT))
    except ValueError:
        raise graph_error(100, "(#100) Param limit must be a number") from None
    limit = max(1, min(limit, MAX_LIMIT))
    listed = list(reversed(items)) if order == "reverse_chronological" else list(items)
    start = _position(query.get("after"))
    page = listed[start : start + limit]
    body: dict[str, Any] = {"data": page}
    if page:
        cursors = {"before": _cursor(start), "after": _cursor(start + len(page) - 1)}
        body["paging"] = {"cursors": cursors}
        if start + len(page) < len(listed):
            more = {k: v for k, v in query.items() if k != "appsecret_proof"}
            more.update(limit=str(limit), after=cursors["after"])
            body["paging"]["next"] = f"{url}?{urlencode(more)}"
    return body


def check_instagram_messages(sender: str, instagram_accounts: set[str]) -> None:
    """Facebook Login sends Instagram DMs as the Page (`me` or the Page id); an Instagram
    account id is a messaging endpoint only on graph.instagram.com (Instagram Login,
    https://developers.facebook.com/documentation/instagram-platform/webhooks/setup).
    The code for the wrong id is not documented: 100 is the emulator's choice."""
    if sender in instagram_accounts:
        raise graph_error(
            100,
            f"(#100) Unsupported post request. Object with ID '{sender}' does not support "
            "this operation on graph.facebook.com",
            33,
        )


def throttled(business_id: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    """A business use case rate limit: 80001 "There have been too many calls to this Page
    account", and X-Business-Use-Case-Usage keyed by the business object that must wait
    (https://developers.facebook.com/docs/graph-api/overview/rate-limiting)."""
    usage = {
        business_id: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 40,
                "total_time": 60,
                "estimated_time_to_regain_access": 0,
            }
        ]
    }
    error = {
        "message": "(#80001) There have been too many calls to this Page account. "
        "Wait a bit and try again.",
        "type": "OAuthException",
        "code": 80001,
        "fbtrace_id": "local",
    }
    # Meta documents no Retry-After for Graph; the emulator's 1 s keeps local retries quick.
    headers = {"x-business-use-case-usage": json.dumps(usage), "retry-after": "1"}
    return 429, {"error": error}, headers


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"local:{position}".encode()).decode()


def _position(cursor: str | None) -> int:
    """Where the page after `cursor` starts; a cursor the emulator never gave is refused
    as Graph refuses a malformed one (code 100; the message is the emulator's)."""
    if not cursor:
        return 0
    try:
        prefix, position = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if prefix != "local":
            raise ValueError(cursor)
        return int(position) + 1
    except (ValueError, UnicodeDecodeError):
        raise graph_error(100, "(#100) Invalid cursor") from None
