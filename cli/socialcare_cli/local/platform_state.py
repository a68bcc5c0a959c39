"""What the emulated platforms know and enforce: the customers' messages (learnt from the
deliveries the local stack receives, as the platform itself saw them), the brand's
replies, hidden comments, and the rules the real APIs apply (messaging windows, one
private reply per comment, 280 weighted characters an X post, duplicate posts refused)."""

from __future__ import annotations

import itertools
import json
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
PRIVATE_REPLY_WINDOW = timedelta(days=7)
X_MAX_WEIGHT = 280
# twitter-text v3 (https://docs.x.com/fundamentals/counting-characters; config/v3.json of
# https://github.com/twitter/twitter-text): these code points weigh 1, all others 2. The
# emulator leaves out URL detection (23 each) and emoji sequences (2 each): posts with
# them are refused here where X may accept them, never the other way round.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def x_weighted_length(text: str) -> int:
    return sum(
        1 if any(start <= ord(c) <= end for start, end in _X_LIGHT_RANGES) else 2
        for c in unicodedata.normalize("NFC", text)
    )


@dataclass
class Comment:
    id: str
    platform: str  # facebook or instagram
    account_id: str  # the page or Instagram account it was written on
    author_id: str
    at: datetime
    hidden: bool = False
    private_replied: bool = False
    is_post: bool = False  # a visitor's post on the page, not a comment
    parent_id: str | None = None  # Instagram: the top-level comment of a reply
    replies: list[dict[str, Any]] = field(default_factory=list)


class Refusal(Exception):
    """The platform refuses the call: (HTTP status, body as that platform writes it, and
    the headers it adds, such as X's rate windows)."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(json.dumps(body))
        self.status = status
        self.body = body
        self.headers = headers or {}


def graph_error(
    code: int,
    message: str,
    subcode: int | None = None,
    status: int = 400,
    kind: str = "OAuthException",
) -> Refusal:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "local"
    return Refusal(status, {"error": error})


class PlatformState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.comments: dict[str, Comment] = {}
        # (platform, conversation id) -> when the customer last wrote
        self.last_inbound: dict[tuple[str, str], datetime] = {}
        self.telegram_chats: set[str] = set()
        # Chats a business account's customers wrote in: chat id -> the connection's id.
        self.business_chats: dict[str, str] = {}
        self.tweets: dict[str, str] = {}  # the brand's posts: id -> text (duplicates refused)
        self.sent: list[dict[str, Any]] = []  # every message the platforms accepted
        self.instagram_accounts: set[str] = set()  # the brand's, as DMs reached them
        # (platform, conversation id) of customers who blocked the page or left
        self.unavailable: set[tuple[str, str]] = set()

    def reset(self) -> None:
        with self._lock:
            self.comments.clear()
            self.last_inbound.clear()
            self.telegram_chats.clear()
            self.business_chats.clear()
            self.tweets.clear()
            self.sent.clear()
            self.instagram_accounts.clear()
            self.unavailable.clear()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    # --- learning what customers wrote -----------------------------------------------------

    def learn(self, messages: list[Any]) -> None:
        """The customers' messages of a delivery (the product's normalised shape: the
        platform knows the same ids and times)."""
        with self._lock:
            for message in messages:
                self._learn(message)

    def _learn(self, message: Any) -> None:
        target, channel = message.reply_to, message.channel.value
        at = message.sent_at.astimezone(UTC)
        if channel in ("facebook_comment", "instagram_comment"):
            self.comments.setdefault(
                target.message_id,
                Comment(
                    target.message_id,
                    message.platform.value,
                    target.account_id,
                    message.author.id,
                    at,
                    is_post=target.thread_id == target.message_id and channel == "facebook_comment",
                    parent_id=target.parent_id,
                ),
            )
            return
        if message.platform.value == "instagram":
            self.instagram_accounts.add(target.account_id)
        conversation = target.conversation_id or message.author.id
        key = (message.platform.value, str(conversation))
        if key not in self.last_inbound or self.last_inbound[key] < at:
            self.last_inbound[key] = at
        if channel == "telegram":
            self.telegram_chats.add(str(conversation))
            if target.business_connection_id:
                self.business_chats[str(conversation)] = target.business_connection_id

    # --- Graph API ------------------------------------------------------------------------

    def is_post(self, item_id: str) -> bool:
        found = self.comments.get(item_id)
        return found is not None and found.is_post

    def comment(self, comment_id: str) -> Comment:
        found = self.comments.get(comment_id)
        if found is None:
            raise graph_error(
                100,
                f"Unsupported post request. Object with ID '{comment_id}' does not exist",
                33,
            )
        return found

    def reply_to_comment(self, comment_id: str, text: str, platform: str) -> str:
        with self._lock:
            comment = self.comment(comment_id)
            if platform == "instagram" and comment.hidden:
                # "You cannot reply to hidden comments" (https://developers.facebook.com/docs/
                # instagram-platform/instagram-graph-api/reference/ig-comment/replies); the
                # error code is not documented: 100 is the emulator's choice.
                raise graph_error(100, "(#100) You cannot reply to hidden comments")
            reply_id = self.new_id("reply_")
            reply = {"id": reply_id, "from": {"id": comment.account_id}}
            reply["text" if platform == "instagram" else "message"] = text
            # "replies to a reply will be added to the top-level comment" (same page)
            top = self.comments.get(comment.parent_id or "") if platform == "instagram" else None
            (top or comment).replies.append(reply)
            self._record(platform, "comment_reply", comment_id, text, reply_id)
            return reply_id

    def hide(self, comment_id: str, platform: str) -> None:
        with self._lock:
            comment = self.comment(comment_id)
            if not comment.hidden:
                comment.hidden = True
                self._record(platform, "hide", comment_id, None, comment_id)

    def private_reply(self, comment_id: str, text: str, platform: str, now: datetime) -> str:
        with self._lock:
            comment = self.comment(comment_id)
            if comment.private_replied:
                raise graph_error(10900, "Activity already replied to")
            if now - comment.at > PRIVATE_REPLY_WINDOW:
                raise graph_error(10903, "This activity can't be replied to")
            comment.private_replied = True
            message_id = self.new_id("m_")
            self._record(platform, "private_reply", comment_id, text, message_id)
            return message_id

    def page_message(
        self, platform: str, recipient: str, text: str, tagged: bool, now: datetime
    ) -> str:
        with self._lock:
            if (platform, recipient) in self.unavailable:
                # "This person isn't available right now" (Meta's Messenger error codes,
                # https://developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes;
                # the wording as integrators relay it): blocked the page, or left.
                raise graph_error(551, "This person isn't available right now.")
            last = self.last_inbound.get((platform, recipient))
            window = HUMAN_AGENT_WINDOW if tagged else WINDOW
            if last is None or now - last > window:
                raise graph_error(
                    10, "(#10) This message is sent outside of allowed window.", 2018278
                )
            message_id = self.new_id("m_")
            self._record(platform, "message", recipient, text, message_id)
            return message_id

    def whatsapp_message(self, to: str, kind: str, text: str | None, now: datetime) -> str:
        with self._lock:
            last = self.last_inbound.get(("whatsapp", to))
            # Outside the customer-service window only an approved template goes out.
            if kind != "template" and (last is None or now - last > WINDOW):
                raise Refusal(
                    400,
                    {
                        "error": {
                            "message": "(#131047) Re-engagement message",
                            "type": "OAuthException",
                            "code": 131047,
                            "error_data": {
                                "messaging_product": "whatsapp",
                                "details": "Message failed to send because more than 24 hours "
                                "have passed since the customer last replied to this number.",
                            },
                            "fbtrace_id": "local",
                        }
                    },
                )
            message_id = self.new_id("wamid.")
            self._record("whatsapp", kind, to, text, message_id)
            return message_id

    # --- X and Telegram -------------------------------------------------------------------

    def tweet(self, text: str, in_reply_to: str | None) -> str:
        with self._lock:
            # Problem JSON (https://docs.x.com/x-api/fundamentals/response-codes-and-errors);
            # the detail and message for a long post and the duplicate's 403 are X's as its
            # users record them (not documented).
            if x_weighted_length(text) > X_MAX_WEIGHT:
                raise Refusal(
                    400,
                    {
                        "title": "Invalid Request",
                        "detail": "One or more parameters to your request was invalid.",
                        "type": "https://api.x.com/2/problems/invalid-request",
                        "errors": [{"message": "Your Tweet text is too long."}],
                        "status": 400,
                    },
                )
            if text in self.tweets.values():
                raise Refusal(
                    403,
                    {
                        "title": "Forbidden",
                        "detail": "You are not allowed to create a Tweet with duplicate content.",
                        "type": "about:blank",
                        "status": 403,
                    },
                )
            tweet_id = str(1_900_000_000_000_000_000 + next(self._ids))
            self.tweets[tweet_id] = text
            self._record("x", "tweet_reply", in_reply_to or "-", text, tweet_id)
            return tweet_id

    def direct_message(self, participant: str, text: str) -> str:
        with self._lock:
            event_id = str(1_800_000_000_000_000_000 + next(self._ids))
            self._record("x", "direct_message", participant, text, event_id)
            return event_id

    def telegram_message(self, chat_id: str, text: str, business_connection: str = "") -> int:
        with self._lock:
            # A business account's chat is answered on behalf of its connection: an unknown
            # connection is "business connection not found" (Bot API server, Client.cpp);
            # without one the bot writes as itself, which a customer who never started the
            # bot refuses ("bot can't initiate conversation with a user", as Telegram
            # answers; the documentation names no error).
            expected = self.business_chats.get(chat_id)
            if business_connection and business_connection != expected:
                raise Refusal(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: business connection not found",
                    },
                )
            if expected and not business_connection:
                raise Refusal(
                    403,
                    {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot can't initiate conversation with a user",
                    },
                )
            if chat_id not in self.telegram_chats:
                raise Refusal(
                    400,
                    {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                )
            message_id = 10_000 + next(self._ids)
            self._record("telegram", "message", chat_id, text, str(message_id))
            return message_id

    def _record(self, platform: str, kind: str, target: str, text: str | None, made: str) -> None:
        self.sent.append(
            {"platform": platform, "kind": kind, "target": target, "text": text, "id": made}
        )
