"""What a Graph API error means for the brand's action, as Meta documents the codes: slow
down (PlatformBusy), may have been done (FateUnknown), surely not done and worth another
try (PlatformFailed), a token or permission a person must fix (PlatformTokenInvalid), or
refused for good (PlatformRefused).

Error body: {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}
(https://developers.facebook.com/docs/graph-api/guides/error-handling/)."""

from __future__ import annotations

from typing import Any

from socialcare.adapters.platform_api.http import HttpAnswer, json_object
from socialcare.domain.messages import Platform
from socialcare.domain.platform_errors import (
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)

# "Wait and retry": 4 app, 17 user, 32 page (user token), 613 custom rate limits and the
# business use case limits 80001-80014
# (https://developers.facebook.com/docs/graph-api/overview/rate-limiting); 341
# "Application limit reached" and 368 "Temporarily blocked for policies violations" in
# the error-handling table above.
THROTTLED = {4, 17, 32, 341, 368, 613} | set(range(80001, 80015))
# WhatsApp's throttling: 130429 throughput, 131056 (business, consumer) pair rate, 131048
# spam rate ("wait and retry", Meta gives no duration; ours is the default wait), and
# 131049, held back "to maintain healthy ecosystem engagement": wait 24 hours.
# https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
WHATSAPP_THROTTLED = {130429, 131056, 131048}
WHATSAPP_WAIT_A_DAY = {131049: 24 * 3600.0}
# 1 "An unknown error", 2 "An unexpected error has occurred. Please retry your request
# later ... You might also receive this error if a customer has blocked your business"
# (https://developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes).
# Neither says the request did nothing.
UNEXPECTED = {1, 2}
# The token is expired, revoked or otherwise invalid: 190 (OAuthException, "get a new
# access token") and 102 (API session); their subcodes only say why.
TOKEN_INVALID = {102, 190}
# 10 "Permission denied ... not granted or removed" and 200-299 "API Permission" (the
# error-handling table): the app or page lost a permission; a person grants it again.
PERMISSION = {10} | set(range(200, 300))
# ... except (#10) with this subcode: "This message is sent outside of allowed window"
# (https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes),
# a messaging rule, refused for good.
OUTSIDE_WINDOW = 2018278
# 551 "This person isn't available right now": the customer blocked the page or
# deactivated the account (Meta's Messenger error table; the wording relayed by
# https://en.help.firstline.cc/feature/channels/facebook-messenger/troubleshooting).
UNAVAILABLE = 551


def graph_result(
    answer: HttpAnswer, *, method: str, platform: Platform, wait: float
) -> dict[str, Any]:
    """The answer's body when Meta did it, else the error that says what to do next.
    `wait`: how long the usage headers say to wait, for a rate limit."""
    body = answer.body if isinstance(answer.body, dict) else {}
    if 200 <= answer.status < 300:
        return body
    error = json_object(body.get("error"))
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    if answer.status == 429 or code in THROTTLED or code in WHATSAPP_THROTTLED:
        raise PlatformBusy(wait)
    if code in WHATSAPP_WAIT_A_DAY:
        raise PlatformBusy(WHATSAPP_WAIT_A_DAY[code])
    if answer.status >= 500 or code in UNEXPECTED:
        if method == "POST":
            # Meta may have acted before failing (the docs never say a 5xx write did
            # nothing): the caller asks whether it was done before sending again.
            raise FateUnknown(f"Graph API {answer.status} (code {code}) to a write")
        raise PlatformFailed(f"Graph API {answer.status}")
    if code in TOKEN_INVALID:
        raise PlatformTokenInvalid(platform.value, TokenProblem.REJECTED)
    if code in PERMISSION and not (code == 10 and subcode == OUTSIDE_WINDOW):
        raise PlatformTokenInvalid(platform.value, TokenProblem.PERMISSION)
    label = f"{code}" + (f"/{subcode}" if subcode else "")
    if code == UNAVAILABLE:
        raise PlatformRefused(
            label, "the customer is not available (blocked the page or left the platform)"
        )
    raise PlatformRefused(label, str(error.get("message") or answer.status)[:300])


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
