"""What the brand sends on the platforms: the actions (reply, hide, private reply,
message), their deterministic ids, and the statuses that make each one happen at most
once. No I/O: the rules of when a platform lets the brand write are in outbound_rules.py."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from socialcare.domain.messages import Channel, Platform
from socialcare.domain.survey_answers import SurveyChoice


class OutboundKind(StrEnum):
    PUBLIC_REPLY = "public_reply"  # under the customer's public comment or post
    HIDE = "hide"  # the customer's comment on the brand's own page or account
    PRIVATE_REPLY = "private_reply"  # the one private message to a public commenter
    MESSAGE = "message"  # in the customer's private conversation


# Once per customer comment whoever asks (the notice, the published reply and a
# department share them): a second public reply or private reply is never sent.
ONCE_PER_COMMENT = frozenset(
    {OutboundKind.PUBLIC_REPLY, OutboundKind.HIDE, OutboundKind.PRIVATE_REPLY}
)


class OutboundStatus(StrEnum):
    SENDING = "sending"  # claimed: a call may be under way (its lease says until when)
    RETRY = "retry"  # the last call surely did not go through: it may be sent again
    UNKNOWN = "unknown"  # the last call's fate is unknown: ask the platform before anything
    SENT = "sent"
    UNCERTAIN = "uncertain"  # it may have gone and the platform cannot tell: never resent
    REFUSED = "refused"  # the platform refused it for good
    # Sent, then the platform reported it could not deliver it (WhatsApp's statuses
    # webhook): the customer did not get it. Never resent by itself; the social team sees it.
    FAILED = "failed"
    DRY_RUN = "dry_run"  # recorded as it would have been sent; nothing sent


class Origin(StrEnum):
    AUTOMATIC = "automatic"  # config let it go out by itself
    SOCIAL_TEAM = "social_team"  # the publish link
    DEPARTMENT = "department"  # the action page's reply form


@dataclass(frozen=True)
class OutboundTarget:
    """Where an answer goes, from the customer's message (its ReplyTarget)."""

    account_id: str  # the brand's page, Instagram account, phone number id, X user, bot
    message_id: str  # comment id, mid, wamid, tweet id, Telegram message id
    conversation_id: str | None = None  # PSID, IGSID, wa_id, X user id, Telegram chat id
    thread_id: str | None = None
    author_id: str | None = None  # the customer (X: a DM to a mention's author)
    business_connection_id: str | None = None  # Telegram Business
    parent_id: str | None = None  # Instagram: the top-level comment of a reply's reply

    @property
    def is_a_post(self) -> bool:
        """A visitor's post on the brand's page (its id is its thread's), not a comment."""
        return self.thread_id is not None and self.thread_id == self.message_id


@dataclass(frozen=True)
class OutboundAction:
    case_id: str
    kind: OutboundKind
    channel: Channel
    target: OutboundTarget
    text: str | None
    origin: Origin
    actor: str
    # What asked for it, for kinds that may happen more than once on a case (messages):
    # "publish", "auto", "reply:<action link id>".
    purpose: str = ""
    # Buttons under a message (a satisfaction survey's choices), on channels that have them.
    choices: tuple[SurveyChoice, ...] = ()
    choices_button: str | None = None  # WhatsApp: the label that opens the list
    # Set by the rules for what goes once whoever asks (WhatsApp's template until the
    # customer writes again): it names the item instead of `purpose`.
    once: str = ""

    @property
    def platform(self) -> Platform:
        return self.channel.platform

    @property
    def id(self) -> str:
        """Deterministic: whatever retries, re-invocations or second clicks happen, the
        same action has the same id, and its item is claimed once."""
        what = self.once or (self.purpose if self.kind not in ONCE_PER_COMMENT else "")
        key = f"{self.case_id}|{self.kind.value}|{self.target.message_id}|{what}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class WhatsAppTemplate:
    name: str
    language: str
    body: str  # the approved text, word for word: what the customer receives


class DeliveryMode(StrEnum):
    """How the platform is asked (each its own endpoint or parameters)."""

    COMMENT_REPLY = "comment_reply"
    HIDE = "hide"
    PRIVATE_REPLY = "private_reply"  # Meta: recipient.comment_id
    RESPONSE = "response"  # Messenger/Instagram inside 24 h
    HUMAN_AGENT = "human_agent"  # Messenger/Instagram 24 h - 7 days, with the permission
    TEXT = "text"  # WhatsApp inside the customer-service window
    TEMPLATE = "template"  # WhatsApp outside it: an approved template
    TWEET_REPLY = "tweet_reply"
    DIRECT_MESSAGE = "direct_message"  # X DMs
    CHAT_MESSAGE = "chat_message"  # Telegram sendMessage


@dataclass(frozen=True)
class Delivery:
    """An action the rules let go out, and how."""

    action: OutboundAction
    mode: DeliveryMode
    template: WhatsAppTemplate | None = None

    @property
    def text(self) -> str | None:
        """What the customer receives: the template's words when a template goes instead
        of the written ones."""
        return self.template.body if self.template else self.action.text

    def summary(self) -> dict[str, str]:
        """What the case keeps of the request (never a token)."""
        summary = {"kind": self.action.kind.value, "mode": self.mode.value}
        if self.text is not None:
            summary["text"] = self.text
        if self.template:
            summary["template"] = self.template.name
        if self.action.choices:
            summary["choices"] = " | ".join(choice.label for choice in self.action.choices)
        return summary


@dataclass(frozen=True)
class OutboundRecord:
    """An action's item as the store keeps it."""

    id: str
    case_id: str
    status: OutboundStatus
    attempts: int = 0
    lease_until: float = 0.0  # Unix seconds: a SENDING claim older than this was abandoned
    message_id: str | None = None
    reason: str | None = None
    kind: str | None = None
    channel: str | None = None
    at: str | None = None
    purpose: str | None = None  # what asked for it ("auto", "publish", "reply:<link>")
    error_code: int | None = None  # FAILED: the platform's code (WhatsApp 131047, ...)
    receipt: str | None = None  # the latest the platform reported: delivered, read
    retry_at: float = 0.0  # RETRY: Unix seconds before which the platform said not to call
    # What the claim asked the platform for: the words (the template's when it went
    # instead) and the template's name.
    text: str | None = None
    template: str | None = None
