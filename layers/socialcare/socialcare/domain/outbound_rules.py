"""When a platform lets the brand write, and what config lets go out by itself.

The platforms' own rules (messaging windows, one private reply per comment, X's 280
weighted characters a post) are kept here so nothing is sent that the platform would refuse or that
would cost what config does not allow (a link in an X post costs about 13 times a plain
one)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from socialcare.domain.calendar import BusinessCalendar
from socialcare.domain.messages import Channel, Platform
from socialcare.domain.outbound import (
    Delivery,
    DeliveryMode,
    OutboundAction,
    OutboundKind,
)
from socialcare.domain.outbound_config import AutomaticStep, OutboundConfig
from socialcare.domain.triage import Category
from socialcare.domain.x_text_length import (
    MAX_DIRECT_MESSAGE_CHARACTERS,
    MAX_POST_WEIGHT,
    fits_an_x_post,
)

MESSAGING_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
PRIVATE_REPLY_WINDOW = timedelta(days=7)
# What each platform accepts in one text (Messenger 2,000). An X post is counted as X
# counts it (domain/x_text_length.py); an X direct message takes 10,000 characters.
MAX_TEXT = {
    Platform.X: MAX_DIRECT_MESSAGE_CHARACTERS,
    Platform.FACEBOOK: 2000,
    Platform.INSTAGRAM: 1000,
    Platform.WHATSAPP: 4096,
    Platform.TELEGRAM: 4096,
}
# A name before a known top-level domain, tried only where its run of [\w-] begins and
# taken whole: linear (retried at every word boundary, "b-b-b-…" was quadratic).
_LINK = re.compile(
    r"https?://|www\.|(?<![\w-])-*+\w[\w-]*+\.(?:com|es|net|org|io|ly|co|me|info|eu)\b", re.I
)
_COMMENTS = frozenset({Channel.FACEBOOK_COMMENT, Channel.INSTAGRAM_COMMENT})
# Nothing goes from socialcare on these: no public reply and no private one, so none is
# suggested. An Instagram mention could be answered with POST /{ig-user-id}/mentions
# (media_id, comment_id, message), not implemented yet: https://developers.facebook.com/
# documentation/instagram-platform/instagram-graph-api/reference/ig-user/mentions
UNANSWERABLE = frozenset({Channel.INSTAGRAM_MENTION})


# Blocked for what the person wrote (empty, too long, a link in an X post): a corrected
# text may go through the same link.
FIXED_BY_EDITING = frozenset({"empty", "too_long", "x_links"})


@dataclass(frozen=True)
class Blocked:
    """Not sent, and why: `reason` for the case's timeline, `code` for the pages' words."""

    reason: str
    code: str = "rule"


@dataclass(frozen=True)
class Conversation:
    """What the case knows of the customer's side: when they wrote."""

    category: str | None
    first_message_at: datetime  # the comment or message answered
    last_message_at: datetime  # the customer's latest message on the case
    languages: tuple[str, ...] = ()  # what they read, the surest first (domain/languages.py)


def plan_delivery(
    action: OutboundAction, conversation: Conversation, config: OutboundConfig, now: datetime
) -> Delivery | Blocked:
    """How the action may go out now, or why it may not."""
    kind, channel = action.kind, action.channel
    if kind is not OutboundKind.HIDE:
        if conversation.category == Category.TROLL.value:
            return Blocked("troll: do not feed, no reply", "troll")
        if not (action.text or "").strip():
            return Blocked("empty text", "empty")
        limit = MAX_TEXT[action.platform]
        if len(action.text or "") > limit:
            return Blocked(f"text longer than {limit} characters", "too_long")
    if kind is OutboundKind.HIDE:
        if channel not in _COMMENTS:
            return Blocked(
                f"{channel.value}: only comments on the brand's page can be hidden", "not_hideable"
            )
        return Delivery(action, DeliveryMode.HIDE)
    if kind is OutboundKind.PUBLIC_REPLY:
        return _public_reply(action, config)
    if kind is OutboundKind.PRIVATE_REPLY:
        return _private_reply(action, conversation, now)
    return _message(action, conversation, config, now)


def _public_reply(action: OutboundAction, config: OutboundConfig) -> Delivery | Blocked:
    channel = action.channel
    if channel in _COMMENTS:
        return Delivery(action, DeliveryMode.COMMENT_REPLY)
    if channel is Channel.X_MENTION:
        if not config.x_links_allowed and _LINK.search(action.text or ""):
            return Blocked("links are not allowed in X posts (config: x_links_allowed)", "x_links")
        if not fits_an_x_post(action.text or ""):
            return Blocked(
                f"longer than X's {MAX_POST_WEIGHT} characters a post, as X counts them",
                "too_long",
            )
        return Delivery(action, DeliveryMode.TWEET_REPLY)
    return Blocked(f"{channel.value}: no public reply on this channel", "no_public_reply")


def _private_reply(
    action: OutboundAction, conversation: Conversation, now: datetime
) -> Delivery | Blocked:
    channel = action.channel
    if channel in _COMMENTS:
        if now - conversation.first_message_at > PRIVATE_REPLY_WINDOW:
            return Blocked(
                "a comment can be answered privately only within 7 days", "private_reply_7d"
            )
        return Delivery(action, DeliveryMode.PRIVATE_REPLY)
    if channel is Channel.X_MENTION and action.target.author_id:
        return Delivery(action, DeliveryMode.DIRECT_MESSAGE)
    return Blocked(f"{channel.value}: no private reply to this kind of message", "no_private_reply")


def _message(
    action: OutboundAction, conversation: Conversation, config: OutboundConfig, now: datetime
) -> Delivery | Blocked:
    channel = action.channel
    since_last = now - conversation.last_message_at
    if channel in (Channel.MESSENGER, Channel.INSTAGRAM_DM):
        return _meta_message(action, config, since_last)
    if channel is Channel.WHATSAPP:
        return _whatsapp_message(action, conversation, config, since_last)
    if channel is Channel.X_DM:
        return Delivery(action, DeliveryMode.DIRECT_MESSAGE)
    if channel is Channel.TELEGRAM:
        return Delivery(action, DeliveryMode.CHAT_MESSAGE)
    return Blocked(
        f"{channel.value}: no private conversation; answer it privately instead", "no_conversation"
    )


def _meta_message(
    action: OutboundAction, config: OutboundConfig, since_last: timedelta
) -> Delivery | Blocked:
    """Messenger and Instagram: 24 h after the customer's last message, 7 days with the
    human_agent tag."""
    if since_last <= MESSAGING_WINDOW:
        return Delivery(action, DeliveryMode.RESPONSE)
    if config.human_agent_tag and since_last <= HUMAN_AGENT_WINDOW:
        return Delivery(action, DeliveryMode.HUMAN_AGENT)
    if config.human_agent_tag:
        return Blocked("more than 7 days since the customer's last message", "window_7d")
    return Blocked(
        "more than 24 h since the customer's last message (no human_agent tag)", "window_24h"
    )


def _whatsapp_message(
    action: OutboundAction,
    conversation: Conversation,
    config: OutboundConfig,
    since_last: timedelta,
) -> Delivery | Blocked:
    """WhatsApp: free text for 24 h after the customer's last message, then an approved
    template."""
    if since_last <= MESSAGING_WINDOW:
        return Delivery(action, DeliveryMode.TEXT)
    template = config.whatsapp_template
    if action.choices:  # a template cannot carry the survey's list
        return Blocked("WhatsApp window closed (24 h): no survey", "window_24h")
    if template is None:
        return Blocked(
            "WhatsApp window closed (24 h) and no approved template configured", "no_template"
        )
    # One template until the customer answers it: whoever asks next is told it went.
    once = f"template|{conversation.last_message_at.isoformat()}"
    return Delivery(
        replace(action, once=once),
        DeliveryMode.TEMPLATE,
        template.for_reader(conversation.languages),
    )


# X usernames: letters, digits, underscores, at most 15
# (https://help.x.com/en/managing-your-account/x-username-rules); twitter-text reads a
# mention after "@" or the full-width U+FF20 (github.com/twitter/twitter-text, atSigns).
_X_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")
_AT_SIGNS = ("@", "\uff20")


def x_reply_text(text: str, handle: str | None) -> str:
    """X refuses a post identical to an earlier one: a reply names whom it answers, first.
    `handle` is the username X sent in the delivery (never the display name, which its
    owner chooses); a text that starts with anyone else's mention still gets it first."""
    if not handle or not _X_USERNAME.fullmatch(handle):
        return text
    lead = text.lstrip()
    named = lead[1 : len(handle) + 1]
    after = lead[len(handle) + 1 : len(handle) + 2]
    if lead[:1] in _AT_SIGNS and named.lower() == handle.lower() and not _X_USERNAME.match(after):
        return text  # X's usernames ignore case
    return f"@{handle} {text}"


def automatic_steps(
    config: OutboundConfig,
    *,
    flags: tuple[str, ...],
    category: str | None,
    channel: Channel,
    now: datetime,
    calendar: BusinessCalendar,
) -> tuple[AutomaticStep, ...]:
    """What goes out by itself for a triaged case, in order (hide, the private follow-up,
    then the notice that may mention it);
    none of it for spam but hiding, nothing but hiding for a troll."""
    steps: list[AutomaticStep] = []
    for rule in config.automatic:
        if not rule.applies(flags=flags, category=category, channel=channel):
            continue
        if rule.hours == "business_hours" and not calendar.is_working_time(now):
            continue
        steps.extend(step for step in rule.steps if step not in steps)
    silent = category in (Category.TROLL.value, Category.SPAM.value)
    if silent:
        steps = [step for step in steps if step == "hide"]
    if channel is Channel.INSTAGRAM_COMMENT and "hide" in steps and "public_notice" in steps:
        # "You cannot reply to hidden comments" (https://developers.facebook.com/docs/
        # instagram-platform/instagram-graph-api/reference/ig-comment/replies): a comment
        # hidden on Instagram gets no public notice; the private follow-up still goes.
        steps.remove("public_notice")
    # The notice says "we are writing to you privately": it goes after the private reply,
    # in the words that reply's fate allows (domain/truthful_replies.py).
    order = ("hide", "private_followup", "public_notice")
    return tuple(sorted(steps, key=order.index))
