"""The Graph API's calls, emulated: Facebook Page comments and Messenger, Instagram, and
the WhatsApp Cloud API share one host and one path shape, told apart by the object a call
names and by its body. The rules each enforces: platform_graph_rules.py,
platform_limits.py, platform_state.py."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from socialcare_cli.local.platform_graph_content import GraphContent
from socialcare_cli.local.platform_graph_rules import (
    check_appsecret_proof,
    check_instagram_messages,
    paged,
)
from socialcare_cli.local.platform_limits import check_quick_replies, whatsapp_interactive
from socialcare_cli.local.platform_media import PlatformMedia
from socialcare_cli.local.platform_state import PlatformState, graph_error

# A business-scoped user id: a country code, a period, up to 128 letters and digits
# (".ENT." for a parent id), as Meta's business-scoped user ids page describes it.
_BSUID = re.compile(r"[A-Z]{2}(?:\.ENT)?\.[A-Za-z0-9]{1,128}")

Answer = tuple[str, int, dict[str, Any], dict[str, str]]


class GraphEndpoint:
    def __init__(
        self,
        state: PlatformState,
        content: GraphContent,
        media: PlatformMedia,
        tokens: dict[str, Any],
    ) -> None:
        self.state, self.content, self.media, self.tokens = state, content, media, tokens

    def answer(
        self,
        method: str,
        rest: str,
        query: dict[str, str],
        body: Any,
        token: str,
        now: datetime,
        link: str,
    ) -> Answer:
        """(platform, status, JSON body, headers) of a call to /{version}/{rest}."""
        platform = self._platform_called(method, rest, query, body)
        if token not in self._valid_tokens(platform):
            error = graph_error(
                190, "Invalid OAuth access token - Cannot parse access token", status=401
            )
            return platform, error.status, error.body, {}
        check_appsecret_proof(query, token, str(self.tokens.get("meta_app_secret") or ""))
        if method == "GET":
            return platform, 200, self._read(platform, rest, query, link), {}
        status, answer = self._write(platform, rest, body, now)
        return platform, status, answer, {}

    def platform(self, rest: str, body: Any) -> str:
        """Facebook or Instagram, by the object a call names (a WhatsApp call says so)."""
        first = rest.split("/")[0]
        # A read of the Instagram account (its mentions) or of an Instagram-scoped person.
        instagram = first in self.state.instagram_accounts or self.content.is_instagram(first)
        if body is None and instagram:
            return "instagram"
        comment = self.state.comments.get(first)
        if comment is None and isinstance(body, dict):
            recipient = body.get("recipient") or {}
            replied = recipient.get("comment_id") or recipient.get("post_id") or ""
            comment = self.state.comments.get(str(replied))
            if (
                comment is None
                and ("instagram", str(recipient.get("id", ""))) in self.state.last_inbound
            ):
                return "instagram"
        return comment.platform if comment is not None else "facebook"

    def _platform_called(self, method: str, rest: str, query: dict[str, str], body: Any) -> str:
        platform = "whatsapp" if _is_whatsapp(body) else self.platform(rest, body)
        if method == "GET" and query.get("fields", "").startswith("mentioned_"):
            platform = "instagram"  # an Instagram account's mentions, whichever account
        if method == "GET" and self.media.holds(rest, "whatsapp"):
            platform = "whatsapp"  # GET /{media-id}: where a customer's media is
        return platform

    def _valid_tokens(self, platform: str) -> list[str]:
        return {
            "whatsapp": [self.tokens["whatsapp_token"]],
            "instagram": list(self.tokens["instagram_tokens"].values()),
            "facebook": list(self.tokens["facebook_page_tokens"].values()),
        }[platform]

    def _read(self, platform: str, rest: str, query: dict[str, str], link: str) -> dict[str, Any]:
        parts = rest.split("/")
        if platform == "whatsapp":
            return self.media.whatsapp_url(rest, link.rsplit("/", 2)[0])
        if len(parts) == 1 and (read := self.content.read(parts[0], query)) is not None:
            return read
        if len(parts) == 1:
            comment = self.state.comment(parts[0])
            field = "hidden" if platform == "instagram" else "is_hidden"
            return {"id": comment.id, field: comment.hidden}
        replies = list(self.state.comment(parts[0]).replies)
        return paged(replies, query, link, ordered=platform == "facebook")

    def _write(
        self, platform: str, rest: str, body: Any, now: datetime
    ) -> tuple[int, dict[str, Any]]:
        fields = body if isinstance(body, dict) else {}
        parts = rest.split("/")
        if len(parts) == 1:
            self.state.hide(parts[0], platform)
            return 200, {"success": True}
        target, edge = parts[0], parts[1]
        if edge in ("comments", "replies"):
            reply_id = self.state.reply_to_comment(target, str(fields.get("message", "")), platform)
            return 200, {"id": reply_id}
        if edge != "messages":
            return 400, graph_error(100, f"Unknown edge {edge}").body
        if _is_whatsapp(body):
            return self._whatsapp_message(fields, now)
        if platform == "instagram":
            check_instagram_messages(target, self.state.instagram_accounts)
        return self._page_message(platform, fields, now)

    def _whatsapp_message(
        self, fields: dict[str, Any], now: datetime
    ) -> tuple[int, dict[str, Any]]:
        kind = str(fields.get("type", "text"))
        text = (fields.get("text") or {}).get("body") if kind == "text" else None
        if kind == "interactive":
            text = whatsapp_interactive(fields.get("interactive"))
        # `to` takes a phone number, `recipient` a business-scoped user id; the answer
        # names a phone's wa_id or a BSUID's user_id (Meta's business-scoped user ids
        # page, https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/,
        # as integrators relay it). The error code for a BSUID in `to` is not
        # documented: 100 (invalid parameter) is the emulator's choice.
        phone, bsuid = str(fields.get("to") or ""), str(fields.get("recipient") or "")
        if phone and not phone.isdigit():
            return 400, graph_error(100, f"Invalid parameter: to={phone}").body
        if not phone and not _BSUID.fullmatch(bsuid):
            return 400, graph_error(100, "Invalid parameter: recipient").body
        made = self.state.whatsapp_message(phone or bsuid, kind, text, now)
        contact = {"input": phone, "wa_id": phone} if phone else {"input": bsuid, "user_id": bsuid}
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [contact],
            "messages": [{"id": made}],
        }

    def _page_message(
        self, platform: str, fields: dict[str, Any], now: datetime
    ) -> tuple[int, dict[str, Any]]:
        """Messenger's and Instagram's Send API: to a person, or a private reply."""
        recipient = fields.get("recipient") or {}
        text = str((fields.get("message") or {}).get("text", ""))
        check_quick_replies((fields.get("message") or {}).get("quick_replies"))
        if "comment_id" in recipient or "post_id" in recipient:
            # recipient.post_id for a post, comment_id for a comment
            # (https://developers.facebook.com/docs/messenger-platform/discovery/private-replies);
            # the code for the wrong one is not documented: 100 is the emulator's choice.
            field = "post_id" if "post_id" in recipient else "comment_id"
            replied = str(recipient[field])
            if self.state.is_post(replied) != (field == "post_id"):
                return 400, graph_error(100, f"Invalid parameter: {field}").body
            made = self.state.private_reply(replied, text, platform, now)
            return 200, {"recipient_id": "private", "message_id": made}
        tagged = (
            fields.get("messaging_type") == "MESSAGE_TAG" and fields.get("tag") == "HUMAN_AGENT"
        )
        made = self.state.page_message(platform, str(recipient.get("id", "")), text, tagged, now)
        return 200, {"recipient_id": recipient.get("id"), "message_id": made}


def _is_whatsapp(body: Any) -> bool:
    return isinstance(body, dict) and body.get("messaging_product") == "whatsapp"
