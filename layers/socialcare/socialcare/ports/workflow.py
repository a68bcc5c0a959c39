"""What the workflow's steps and the action links write: a derivation's link, the
department's answer, closing; starting a workflow and resuming it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.action_links import ActionLink, Answer, GoneReason
    from socialcare.domain.cases import SuggestedReplies
    from socialcare.domain.derivation import WaitPlan


class CaseClosing(Protocol):
    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool:
        """Final status, closing time, and the author may open a new case. False when the
        case was closed already (a retried step)."""

    def record_answer(self, case_id: str, answer: Answer) -> bool:
        """The department's answer on the timeline (closing the case when it says so)."""

    def resolve_late(self, case_id: str, answer: Answer, now: datetime) -> bool:
        """A case closed as breached, answered after all: closed as the answer says
        (resolved_at or contacted_at set), `sla_breached` kept. False when it was not
        closed as breached."""


class ActionLinkRecords(Protocol):
    """A derivation's link, holding the workflow's task token."""

    def open_derivation(
        self,
        case_id: str,
        action_id: str,
        *,
        task_token: str,
        csrf_token: str,
        plan: WaitPlan,
        milestones: dict[str, Any],
        recipients: list[str],
        now: datetime,
        status: str,
        replies: SuggestedReplies | None = None,
    ) -> None:
        """The link (with the task token) and the case's new holder, in one transaction;
        with `replies`, the case's suggested replies become them (its note stays)."""

    def action(self, action_id: str) -> ActionLink | None: ...

    def use_action(
        self, action_id: str, choice: str, note: str, now: datetime, *, actor: str = ""
    ) -> bool:
        """Pending -> used, once, keeping the answer's note and who gave it. False if it
        was not pending (lost a race)."""

    def supersede_action(self, action_id: str, reason: str, now: datetime) -> bool: ...

    def release_action(self, action_id: str, status: str) -> bool: ...

    def record_late_answer(
        self, link: ActionLink, answer: Answer, reason: GoneReason, now: datetime
    ) -> bool:
        """Noted once per link; False when the link had one already."""


class WorkflowStarter(Protocol):
    def start(self, case_id: str, plan: WaitPlan) -> str:
        """Start the derived case's workflow at its first wait (idempotent by execution
        name); returns its ARN."""


class TaskTokens(Protocol):
    def succeed(self, token: str, output: dict[str, Any]) -> None:
        """Resume the waiting workflow; TaskGone when it no longer waits."""
