"""Where replies waiting for an approver are kept (adapters/dynamodb/approvals.py)."""

from __future__ import annotations

from typing import Protocol

from socialcare.domain.approvals import PendingApproval


class ApprovalStore(Protocol):
    def submit(self, approval: PendingApproval, *, timeline: bool = True) -> None:
        """Keep it waiting, count it on the case (`approval_pending`) and put
        `reply_submitted_for_approval` on the timeline (unless the caller records it):
        together or not at all."""

    def approval(self, approval_id: str) -> PendingApproval | None: ...

    def decide(self, decided: PendingApproval) -> bool:
        """Waiting -> approved or returned, once: the case's count down and the timeline's
        `reply_approved` or `reply_returned` with it. False: it was no longer waiting."""

    def record_result(self, approval: PendingApproval, result: str) -> None:
        """What the send of an approved reply gave (outbound's Result, or `held`)."""

    def waiting(self, limit: int = 200) -> list[PendingApproval]:
        """Every reply waiting for an approver, the oldest first."""

    def of_case(self, case_id: str) -> list[PendingApproval]:
        """The case's replies put to an approver, waiting or decided, the oldest first."""
