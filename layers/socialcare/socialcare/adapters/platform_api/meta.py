"""Graph API: Facebook Page comments and Messenger, Instagram comments and DMs, WhatsApp
Cloud API. Tokens go in the Authorization header, never in a URL."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.tokens import TokenSource
from socialcare.domain.messages import Platform
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.outbound_ports import (
    CannotTell,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
    PlatformTokens,
    TokenProblem,
)
from socialcare.platforms.ids import BSUID

# Graph error codes that mean "slow down" (app, user, page and business use-case limits).
_THROTTLED = {4, 17, 32, 613} | set(range(80001, 80015))
# WhatsApp's throttling: 130429 throughput, 131056 (business, consumer) pair rate, 131048
# spam rate ("wait and retry", Meta gives no duration; ours is the default wait), and
# 131049, held back "to maintain healthy ecosystem engagement": wait 24 hours.
# https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
_WHATSAPP_THROTTLED = {130429, 131056, 131048}
_WHATSAPP_WAIT_A_DAY = {131049: 24 * 3600.0}
_TRANSIENT = {1, 2}  # unknown error, service temporarily unavailable
# The token is expired, revoked or otherwise invalid: 190 (OAuthException, "get a new
# access token") and 102 (API session); their subcodes only say why.
# https://developers.facebook.com/docs/graph-api/guides/error-handling/
_TOKEN_INVALID = {102, 190}
_DEFAULT_WAIT = 60.0


class GraphApi:
    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        tokens: TokenSource,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens
        self._clock = clock
        self._blocked_until = 0.0  # Meta's usage headers said to wait (per container)

    # --- sending --------------------------------------------------------------------------

    def send(self, delivery: Delivery) -> str:
        self._respect_usage()
        action, mode = delivery.action, delivery.mode
        target, text = action.target, action.text or ""
        if action.platform is Platform.WHATSAPP:
            return self._whatsapp(delivery)
        if mode is DeliveryMode.COMMENT_REPLY:
            path = "replies" if action.platform is Platform.INSTAGRAM else "comments"
            answer = self._post(delivery, f"{target.message_id}/{path}", {"message": text})
            return str(answer["id"])
        if mode is DeliveryMode.HIDE:
            field = "hide" if action.platform is Platform.INSTAGRAM else "is_hidden"
            self._post(delivery, target.message_id, {field: True})
            return target.message_id
        recipient: dict[str, str]
        if mode is DeliveryMode.PRIVATE_REPLY:
            # "the recipient parameter with post_id or comment_id set to the ID for the post
            # or comment" (https://developers.facebook.com/docs/messenger-platform/discovery/private-replies);
            # Instagram's private replies take comment_id only.
            on_a_post = action.platform is Platform.FACEBOOK and target.is_a_post
            recipient = {"post_id" if on_a_post else "comment_id": target.message_id}
        else:
            recipient = {"id": str(target.conversation_id or target.author_id)}
        message: dict[str, Any] = {"text": text}
        if action.choices and mode is not DeliveryMode.PRIVATE_REPLY:
            # A tap comes back as a message whose quick_reply.payload is the choice's.
            message["quick_replies"] = [
                {"content_type": "text", "title": c.label, "payload": c.payload}
                for c in action.choices
            ]
        body: dict[str, Any] = {"recipient": recipient, "message": message}
        if mode is DeliveryMode.RESPONSE:
            body["messaging_type"] = "RESPONSE"
        elif mode is DeliveryMode.HUMAN_AGENT:
            body.update(messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
        answer = self._post(delivery, f"{target.account_id}/messages", body)
        return str(answer.get("message_id") or answer.get("recipient_id"))

    def _whatsapp(self, delivery: Delivery) -> str:
        action = delivery.action
        sender = action.target.account_id or self._tokens().whatsapp_phone_number_id
        destination = str(action.target.conversation_id or action.target.author_id)
        # A phone number goes in `to`, a business-scoped user id in `recipient` ("If both
        # to and recipient are present, to takes precedence"): Meta's
        # https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
        # as pywa's resolve_recipient (pywa/_helpers.py) sends them.
        field = "recipient" if BSUID.fullmatch(destination) else "to"
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            field: destination,
        }
        if delivery.mode is DeliveryMode.TEMPLATE and delivery.template:
            body["type"] = "template"
            body["template"] = {
                "name": delivery.template.name,
                "language": {"code": delivery.template.language},
            }
        elif action.choices:  # an interactive list: a tap comes back as a list_reply
            body["type"] = "interactive"
            body["interactive"] = {
                "type": "list",
                "body": {"text": action.text or ""},
                "action": {
                    "button": action.choices_button or "·",
                    "sections": [
                        {
                            "title": action.choices_button or "·",
                            "rows": [{"id": c.payload, "title": c.label} for c in action.choices],
                        }
                    ],
                },
            }
        else:
            body["type"] = "text"
            body["text"] = {"body": action.text or "", "preview_url": False}
            body["context"] = {"message_id": action.target.message_id}
        answer = self._post(delivery, f"{sender}/messages", body)
        return str(answer["messages"][0]["id"])

    # --- after a timeout ------------------------------------------------------------------

    def find_sent(self, delivery: Delivery) -> str | None:
        """Comments can tell: the brand's replies under the comment, or whether it is
        hidden. Messages cannot (no API lists what a page sent to one person)."""
        action, mode = delivery.action, delivery.mode
        target = action.target
        instagram = action.platform is Platform.INSTAGRAM
        if mode is DeliveryMode.HIDE:
            field = "hidden" if instagram else "is_hidden"
            answer = self._get(delivery, target.message_id, {"fields": field})
            return target.message_id if answer.get(field) else None
        if mode is not DeliveryMode.COMMENT_REPLY:
            raise CannotTell(mode.value)
        path = "replies" if instagram else "comments"
        fields = "id,from,text" if instagram else "id,from,message"
        answer = self._get(
            delivery, f"{target.message_id}/{path}", {"fields": fields, "limit": "100"}
        )
        for reply in answer.get("data") or []:
            author = (reply.get("from") or {}).get("id")
            said = reply.get("text") if instagram else reply.get("message")
            if str(author) == target.account_id and said == action.text:
                return str(reply["id"])
        return None

    # --- plumbing -------------------------------------------------------------------------

    def _token(self, delivery: Delivery, tokens: PlatformTokens) -> str:
        platform, account = delivery.action.platform, delivery.action.target.account_id
        if platform is Platform.WHATSAPP:
            token = tokens.whatsapp_token
        else:
            table = (
                tokens.instagram_tokens
                if platform is Platform.INSTAGRAM
                else tokens.facebook_page_tokens
            )
            token = table.get(account) or table.get("*", "")
        if not token:
            raise PlatformTokenInvalid(platform.value, TokenProblem.MISSING)
        return token

    def _post(self, delivery: Delivery, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._base}/{path}"
        return self._authorised(
            delivery,
            lambda headers: self._http.request("POST", url, json_body=body, headers=headers),
        )

    def _get(self, delivery: Delivery, path: str, query: dict[str, str]) -> dict[str, Any]:
        url = f"{self._base}/{path}?{urlencode(query)}"
        return self._authorised(
            delivery, lambda headers: self._http.request("GET", url, headers=headers)
        )

    def _authorised(
        self, delivery: Delivery, call: Callable[[dict[str, str]], HttpAnswer]
    ) -> dict[str, Any]:
        """The call with the page's token; a token Meta refuses (refused before anything
        was done) is read again past the cache, once, in case ops renewed it since."""
        platform = delivery.action.platform
        token = self._token(delivery, self._tokens())
        try:
            return self._result(call({"Authorization": f"Bearer {token}"}), platform)
        except PlatformTokenInvalid:
            renewed = self._token(delivery, self._tokens.fresh())
            if renewed == token:
                raise
            return self._result(call({"Authorization": f"Bearer {renewed}"}), platform)

    def _result(self, answer: HttpAnswer, platform: Platform) -> dict[str, Any]:
        self._note_usage(answer)
        body = answer.body if isinstance(answer.body, dict) else {}
        if 200 <= answer.status < 300:
            return body
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code = _int(error.get("code"))
        if answer.status == 429 or code in _THROTTLED or code in _WHATSAPP_THROTTLED:
            raise PlatformBusy(self._wait_seconds(answer))
        if code in _WHATSAPP_WAIT_A_DAY:
            raise PlatformBusy(_WHATSAPP_WAIT_A_DAY[code])
        if answer.status >= 500 or code in _TRANSIENT:
            raise PlatformFailed(f"Graph API {answer.status}")
        if code in _TOKEN_INVALID:
            raise PlatformTokenInvalid(platform.value, TokenProblem.REJECTED)
        subcode = error.get("error_subcode")
        label = f"{code}" + (f"/{subcode}" if subcode else "")
        raise PlatformRefused(label, str(error.get("message") or answer.status)[:300])

    def _respect_usage(self) -> None:
        left = self._blocked_until - self._clock()
        if left > 0:
            raise PlatformBusy(left)

    def _note_usage(self, answer: HttpAnswer) -> None:
        """X-Business-Use-Case-Usage (per page), X-App-Usage, X-Page-Usage: when Meta says
        access comes back only after some minutes, no call is made until then."""
        regain_minutes = 0.0
        for name in ("x-business-use-case-usage", "x-app-usage", "x-page-usage"):
            raw = answer.header(name)
            if not raw:
                continue
            try:
                usage = json.loads(raw)
            except ValueError:
                continue
            for entry in _usage_entries(usage):
                regain = _float(entry.get("estimated_time_to_regain_access"))
                regain_minutes = max(regain_minutes, regain)
        if regain_minutes > 0:
            until = self._clock() + regain_minutes * 60
            self._blocked_until = max(self._blocked_until, until)

    def _wait_seconds(self, answer: HttpAnswer) -> float:
        self._note_usage(answer)
        wait = max(_float(answer.header("retry-after")), self._blocked_until - self._clock())
        return wait if wait > 0 else _DEFAULT_WAIT


def _usage_entries(usage: Any) -> list[dict[str, Any]]:
    if isinstance(usage, dict) and any(isinstance(v, list) for v in usage.values()):
        return [e for v in usage.values() if isinstance(v, list) for e in v if isinstance(e, dict)]
    return [usage] if isinstance(usage, dict) else []


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number and number >= 0 else 0.0  # NaN and negatives: 0
