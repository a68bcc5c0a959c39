"""What triage reads and writes on a case."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from socialcare.ports.owed_emails import OwedEmails

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.case_details import CaseDetails
    from socialcare.domain.cases import Case, FollowUpLink
    from socialcare.domain.derivation import WaitPlan
    from socialcare.domain.outbound import OutboundRecord


class TriageStore(OwedEmails, Protocol):
    """What triage reads and writes on a case (the workflow store implements it)."""

    def case(self, case_id: str) -> Case | None: ...

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

    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool: ...

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None: ...

    def claim_urgent_alert(self, case_id: str, now: datetime) -> bool: ...

    def release_urgent_alert(self, case_id: str) -> None: ...

    def claim_low_score_alert(self, case_id: str, now: datetime) -> bool:
        """The social team's alert for a case's low satisfaction score, once."""

    def release_low_score_alert(self, case_id: str) -> None: ...

    def open_follow_up_link(self, case_id: str, key: str, csrf_token: str) -> FollowUpLink:
        """The case's follow-up link: this one, or the one it already had."""

    def count_negative(
        self, topic: str, case_id: str, created_at: str, window: timedelta, now: datetime
    ) -> int: ...

    def negative_case_ids(self, topic: str, since: datetime, limit: int) -> list[str]:
        """The topic's negative cases created since `since` (as count_negative noted
        them), the newest first, at most `limit`."""

    def count_negative_between(self, topic: str, since: datetime, until: datetime) -> int:
        """The topic's negative cases created from `since` up to (not at) `until`."""

    def claim_crisis_alert(self, topic: str, window: timedelta, now: datetime) -> bool: ...

    def record_crisis_alert(self, case_id: str, topic: str, now: datetime) -> None: ...

    def unreported_uncertain(self, limit: int = 50) -> list[OutboundRecord]:
        """Sends whose fate is unknown, not yet in a social team email."""

    def mark_uncertain_reported(self, records: list[OutboundRecord]) -> None: ...
