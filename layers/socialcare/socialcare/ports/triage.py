"""What triage writes on a case (the alerts it claims: alerts.py; closing: workflow.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.triage_decision import TriageDecision


class TriageRecords(Protocol):
    def begin_triage(self, case_id: str, decision: TriageDecision, now: datetime) -> bool:
        """NEW -> TRIAGED with the decision (the assessment, its replies, a derived case's
        first wait, the links, what was read from the platform), once: False when the case
        was not NEW any more (triaged by an earlier delivery)."""

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None: ...
