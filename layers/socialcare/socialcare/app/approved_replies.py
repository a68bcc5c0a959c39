"""An approved reply sent through the outbound use case (exactly once, its rules, dry
run), in the writer's name. The console's own `send_reply` (app/console_replies.py, the
actions' slice: the reply claim, the `console_reply` timeline event) takes its place in
bootstrap once it is there; this one serves the publish links' approvals meanwhile."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialcare.app.answers import action_on, private_kind, send_on
from socialcare.app.approvals import SentReply
from socialcare.app.outbound import OutboundDependencies, Result
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.outbound import Origin, OutboundKind

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader


@dataclass
class ApprovedSending:
    cases: CaseReader
    outbound: OutboundDependencies

    def __call__(self, draft: ReplyDraft) -> SentReply:
        case = self.cases.case(draft.case_id)
        if case is None:
            return SentReply(Result.REFUSED.value, "the case is gone")
        public = draft.visibility is Visibility.PUBLIC
        if public and not case.public:
            return SentReply(Result.BLOCKED.value, "the case has no public post to answer")
        kind = OutboundKind.PUBLIC_REPLY if public else private_kind(case)
        # A message may go more than once on a case: the same approved words, once.
        digest = hashlib.sha256(draft.text.encode("utf-8")).hexdigest()[:16]
        action = action_on(
            case,
            kind,
            draft.text,
            origin=Origin.SOCIAL_TEAM,
            actor=draft.author,
            purpose=f"approved:{digest}",
        )
        outcome = send_on(case, action, self.outbound)
        if outcome is None:
            return SentReply(Result.BLOCKED.value, "the case keeps no address to answer to")
        return SentReply(outcome.result.value, outcome.reason)
