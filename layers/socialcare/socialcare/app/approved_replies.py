"""An approved reply sent as the console sends any reply: the actions' `send_reply` (the
reply claim, the outbound use case: exactly once, its rules, dry run; `console_reply` on
the timeline), its outcome in the approvals' words (SentReply)."""

from __future__ import annotations

from dataclasses import dataclass

from socialcare.app.approvals import HELD, SentReply
from socialcare.app.console_replies import (
    ReplyDependencies,
    ReplyHeld,
    ReplyRefused,
    ReplySent,
    send_reply,
)
from socialcare.app.outbound import Result
from socialcare.domain.console_replies import ReplyDraft


@dataclass
class ConsoleSending:
    replies: ReplyDependencies

    def __call__(self, draft: ReplyDraft) -> SentReply:
        outcome = send_reply(draft, self.replies)
        if isinstance(outcome, ReplySent):
            return SentReply(outcome.outcome.result.value, outcome.outcome.reason)
        if isinstance(outcome, ReplyHeld):
            return SentReply(HELD, outcome.holder)
        if isinstance(outcome, ReplyRefused):  # closed, nowhere to answer: a rule kept it
            return SentReply(Result.BLOCKED.value, outcome.reason.value)
        return SentReply(Result.BLOCKED.value, "it was put to an approver again")
