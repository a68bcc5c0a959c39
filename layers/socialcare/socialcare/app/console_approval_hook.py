"""The approvals area as the console's replies ask it (ports/console_actions.ReplyApprovals
and SavedReplies): approvals.yaml's reasons for a draft, the queue a reply waits in, and a
saved reply's words filled for the case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialcare.app.approvals import (
    ApprovalDependencies,
    Submitted,
    submit_for_approval,
)
from socialcare.app.saved_replies import SavedReplyDependencies, for_case
from socialcare.domain.approvals import approval_reasons
from socialcare.domain.saved_replies import Filled

if TYPE_CHECKING:
    from socialcare.domain.cases import Case
    from socialcare.domain.console_replies import ReplyDraft


@dataclass
class ApprovalQueue:
    deps: ApprovalDependencies

    def reasons(self, case: Case, draft: ReplyDraft) -> tuple[str, ...]:
        return approval_reasons(case, draft, self.deps.rules)

    def submit(self, draft: ReplyDraft) -> str | None:
        submitted = submit_for_approval(draft, self.deps)
        return submitted.approval.id if isinstance(submitted, Submitted) else None


@dataclass
class SavedReplyTexts:
    deps: SavedReplyDependencies

    def text_for(self, reply_id: str, case_id: str, language: str) -> str | None:
        found = for_case(reply_id, case_id, language, self.deps)
        return found.text if isinstance(found, Filled) else None
