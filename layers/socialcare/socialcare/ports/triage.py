"""What triage writes on a case (the alerts it claims: alerts.py; closing: workflow.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.case_details import CaseDetails
    from socialcare.domain.derivation import WaitPlan


class TriageRecords(Protocol):
    def begin_triage(
        self,
        case_id: str,
        triage: dict[str, Any],
        now: datetime,
        *,
        plan: WaitPlan | None,
        details: CaseDetails | None = None,
        **fields: Any,
    ) -> bool:
        """NEW -> TRIAGED with the assessment (and a derived case's first wait), once:
        False when the case was not NEW any more (triaged by an earlier delivery).
        `details`: what was read from the platform, kept on the case in the same write."""

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None: ...
