"""Graph API: Facebook Page comments and Messenger, Instagram comments and DMs, WhatsApp
Cloud API. Tokens go in the Authorization header, never in a URL; with the app's secret
configured, every call carries its appsecret_proof.

Instagram is reached with Facebook Login: graph.facebook.com, the Page access token of
the Page linked to the Instagram account, and DMs sent to `me/messages` (the Page), as
the Messenger Platform's Instagram messaging does
(https://developers.facebook.com/docs/messenger-platform/instagram/get-started; the
"Facebook Login" column of
https://developers.facebook.com/documentation/instagram-platform/webhooks/setup). An
Instagram account id is a messaging endpoint only on graph.instagram.com (Instagram
Login), which socialcare does not use."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from socialcare.adapters.platform_api.graph_errors import graph_result
from socialcare.adapters.platform_api.graph_usage import GraphUsage
from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient, json_object
from socialcare.adapters.platform_api.tokens import TokenSource
from socialcare.domain.credentials import PlatformTokens
from socialcare.domain.messages import Platform
from socialcare.domain.outbound import Delivery, DeliveryMode
from socialcare.domain.platform_errors import CannotTell, PlatformTokenInvalid, TokenProblem
from socialcare.platforms.ids import BSUID

# After a timeout, how many pages of a comment's replies are read looking for the brand's
# reply. Facebook lists them newest first (`order=reverse_chronological`, a reading
# modifier of https://developers.facebook.com/docs/graph-api/reference/comment/comments/),
# so a reply sent seconds ago is on the first page unless 100 more came since; Instagram's
# /{ig-comment-id}/replies documents no order, so pages are followed. 5 pages of 100: at
# most 5 reads of up to the read timeout each (10 s by default), well inside the 120 s
# lease of the call that asks. Past them, "cannot tell": uncertain, never sent again.
FIND_PAGES = 5
_PAGE_SIZE = "100"


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
        self._usage = GraphUsage(clock)

    # --- sending --------------------------------------------------------------------------

    def send(self, delivery: Delivery) -> str:
        self._usage.check(delivery.action.target.account_id)
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
        # Messenger: POST /PAGE-ID/messages; Instagram (Facebook Login): the Page of the
        # Page token, `me` (module docstring).
        sender = "me" if action.platform is Platform.INSTAGRAM else target.account_id
        answer = self._post(delivery, f"{sender}/messages", body)
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
        if instagram:
            # A reply to a reply lands under the top-level comment (ReplyTarget.parent_id).
            path = f"{target.parent_id or target.message_id}/replies"
            query = {"fields": "id,from,text", "limit": _PAGE_SIZE}
        else:
            path = f"{target.message_id}/comments"
            query = {
                "fields": "id,from,message",
                "order": "reverse_chronological",
                "limit": _PAGE_SIZE,
            }
        for reply in self._pages(delivery, path, query):
            author = (reply.get("from") or {}).get("id")
            said = reply.get("text") if instagram else reply.get("message")
            if str(author) == target.account_id and said == action.text:
                return str(reply["id"])
        return None

    def _pages(self, delivery: Delivery, path: str, query: dict[str, str]) -> Iterator[dict]:
        """The list's items, page after page while `paging.next` says there are more
        ("use the absence of next", https://developers.facebook.com/docs/graph-api/results),
        FIND_PAGES at most: CannotTell past them. The next page is asked of this base URL
        with the `after` cursor, so the token goes nowhere else."""
        after = ""
        for _ in range(FIND_PAGES):
            answer = self._get(delivery, path, {**query, "after": after} if after else query)
            yield from (item for item in answer.get("data") or [] if isinstance(item, dict))
            paging = json_object(answer.get("paging"))
            if not paging.get("next"):
                return
            after = _after_cursor(paging)
            if not after:
                raise CannotTell("a page of replies without its cursor")
        raise CannotTell(f"more than {FIND_PAGES} pages of replies")

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
        def call(token: str) -> HttpAnswer:
            url = self._url(path, {}, token)
            return self._http.request("POST", url, json_body=body, headers=_bearer(token))

        return self._authorised(delivery, "POST", call)

    def _get(self, delivery: Delivery, path: str, query: dict[str, str]) -> dict[str, Any]:
        def call(token: str) -> HttpAnswer:
            url = self._url(path, query, token)
            return self._http.request("GET", url, headers=_bearer(token))

        return self._authorised(delivery, "GET", call)

    def _url(self, path: str, query: dict[str, str], token: str) -> str:
        """With the app's secret configured, appsecret_proof: the hex HMAC-SHA256 of the
        access token keyed with the app secret, a parameter beside the token
        (https://developers.facebook.com/docs/graph-api/guides/secure-requests), which an
        app with "Require App Secret" on demands of every call."""
        secret = self._tokens().meta_app_secret
        if secret:
            proof = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            query = {**query, "appsecret_proof": proof}
        url = f"{self._base}/{path}"
        return f"{url}?{urlencode(query)}" if query else url

    def _authorised(
        self, delivery: Delivery, method: str, call: Callable[[str], HttpAnswer]
    ) -> dict[str, Any]:
        """The call with the page's token; a token Meta refuses (refused before anything
        was done) is read again past the cache, once, in case ops renewed it since."""
        token = self._token(delivery, self._tokens())
        try:
            return self._result(call(token), delivery, method)
        except PlatformTokenInvalid:
            renewed = self._token(delivery, self._tokens.fresh())
            if renewed == token:
                raise
            return self._result(call(renewed), delivery, method)

    def _result(self, answer: HttpAnswer, delivery: Delivery, method: str) -> dict[str, Any]:
        account, wait = delivery.action.target.account_id, 0.0
        if answer.status >= 400:
            wait = self._usage.wait(answer, account)  # noted there too
        else:
            self._usage.note(answer, account)
        return graph_result(answer, method=method, platform=delivery.action.platform, wait=wait)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _after_cursor(paging: dict[str, Any]) -> str:
    cursors = json_object(paging.get("cursors"))
    if cursors.get("after"):
        return str(cursors["after"])
    found = parse_qs(urlsplit(str(paging["next"])).query).get("after")
    return found[0] if found else ""
