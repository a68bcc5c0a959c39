"""A reply written in the console, before it goes out: sent through the outbound use case
at once, or held for an approver when approvals.yaml says it needs one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Visibility(StrEnum):
    PUBLIC = "public"  # under the customer's post or comment
    PRIVATE = "private"  # a private message (DM, Messenger, WhatsApp, Telegram)


@dataclass(frozen=True)
class ReplyDraft:
    case_id: str
    text: str
    visibility: Visibility
    author: str  # the console username who wrote it
    language: str = "es"
    saved_reply_id: str | None = None  # the saved reply it started from, if any
