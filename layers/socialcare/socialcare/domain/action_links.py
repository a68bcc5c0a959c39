"""The department's action link: what it is, when it no longer acts, and the answer it
carries back to the workflow."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from socialcare.domain.cases import Case, FinalStatus
from socialcare.domain.derivation import WaitPlan

# Action links carry secrets.token_urlsafe(24): 32 URL-safe characters. Nothing else is
# looked up (a 3,000-character id would be a key DynamoDB refuses).
ACTION_ID = re.compile(r"[A-Za-z0-9_-]{32}")
MAX_NOTE = 2000


def is_action_id(value: str) -> bool:
    return ACTION_ID.fullmatch(value) is not None


class ActionChoice(StrEnum):
    CONTACTED = "contacted"
    RESOLVED = "resolved"
    NOT_OURS = "not_ours"
    MORE_TIME = "more_time"


CLOSING_CHOICES = {
    ActionChoice.CONTACTED: FinalStatus.CONTACTED,
    ActionChoice.RESOLVED: FinalStatus.RESOLVED,
}
# After a link stopped acting, only these can still be noted on the case.
LATE_CHOICES = (ActionChoice.CONTACTED, ActionChoice.RESOLVED)


class LinkStatus(StrEnum):
    PENDING = "pending"  # the workflow waits for it
    USED = "used"  # answered once
    ESCALATED = "escalated"  # the wait timed out: the case moved on


class GoneReason(StrEnum):
    """Why a link no longer acts (the values name the page's wording)."""

    USED = "gone_used"
    ESCALATED = "gone_escalated"
    BREACHED = "gone_breached"  # escalated, and closed unanswered at the last level
    CLOSED = "gone_closed"
    EXPIRED = "gone_expired"


@dataclass(frozen=True)
class Answer:
    """A department's answer, as the workflow records it on the case."""

    choice: ActionChoice
    note: str
    department: str  # the department that answered
    actor: str
    at: str  # UTC ISO
    to: str | None = None  # "not ours": the department it belongs to instead
    action_id: str | None = None  # the link it came through (its item keeps note and actor)

    @property
    def closing_status(self) -> FinalStatus | None:
        return CLOSING_CHOICES.get(self.choice)

    def milestones(self) -> dict[str, str]:
        """The case times this answer sets besides the first department action."""
        if self.choice is ActionChoice.RESOLVED:
            return {"resolved_at": self.at}
        if self.choice is ActionChoice.CONTACTED:
            return {"contacted_at": self.at}
        return {}

    def details(self) -> dict[str, str]:
        """What the case's timeline keeps of it."""
        kept = {"action": self.choice.value, "note": self.note, "department": self.department}
        return {**kept, "to": self.to} if self.to is not None else kept

    def as_state(self) -> dict[str, str]:
        """The state machine's JSON (SendTaskSuccess output -> the answer step): codes and
        ids only. Step Functions keeps an execution's history for 90 days, beyond any
        erasure, so the note (free text) and who answered stay on the link's item."""
        state = {"action": self.choice.value, "department": self.department, "at": self.at}
        if self.action_id:
            state["action_id"] = self.action_id
        return {**state, "to": self.to} if self.to is not None else state

    @classmethod
    def from_state(cls, data: dict[str, Any], link: ActionLink | None = None) -> Answer:
        """With the link the answer came through, for what the state does not carry
        (executions started before it carried ids only still hold note and actor)."""
        return cls(
            choice=ActionChoice(data["action"]),
            note=link.note if link and link.note is not None else str(data.get("note", "")),
            department=str(data["department"]),
            actor=link.actor if link and link.actor else str(data.get("actor", "")),
            at=str(data["at"]),
            to=str(data["to"]) if data.get("to") is not None else None,
            action_id=data.get("action_id"),
        )


@dataclass(frozen=True)
class ActionLink:
    """One derivation's link: it resumes the workflow's wait once."""

    id: str
    case_id: str
    plan: WaitPlan
    csrf_token: str
    task_token: str
    status: LinkStatus
    expires_at: int  # Unix seconds
    choice: str | None = None
    used_at: str | None = None
    late_answer_at: str | None = None
    note: str | None = None  # the department's answer, once used
    actor: str | None = None

    def csrf_matches(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.csrf_token.encode())

    def gone_reason(self, case: Case | None, now: datetime) -> GoneReason | None:
        """None while the link still acts."""
        if self.status is LinkStatus.USED:
            return GoneReason.USED
        if self.status is LinkStatus.ESCALATED:
            breached = case is not None and case.status == FinalStatus.BREACHED.value
            return GoneReason.BREACHED if breached else GoneReason.ESCALATED
        if case is not None and case.closed:
            return GoneReason.CLOSED
        # DynamoDB deletes expired items within days, not at once: expiry is checked here.
        if self.expires_at <= now.timestamp():
            return GoneReason.EXPIRED
        return None
