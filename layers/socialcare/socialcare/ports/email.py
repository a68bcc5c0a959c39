"""Sending an email, and the workflow's emails composed apart from it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.cases import Case
    from socialcare.domain.crisis import CrisisFacts
    from socialcare.domain.derivation import WaitPlan
    from socialcare.domain.email_delivery import OwedEmail
    from socialcare.domain.emails import Email
    from socialcare.domain.outbound import OutboundRecord


class EmailSender(Protocol):
    def send(self, to: list[str], subject: str, text: str, html: str) -> str: ...


class CaseEmails(Protocol):
    """The workflow's emails, composed apart from it (presentation/case_emails.py)."""

    def derivation(
        self,
        case: Case,
        plan: WaitPlan,
        action_id: str,
        language: str,
    ) -> Email: ...

    def social_team_copy(self, case: Case, plan: WaitPlan, action_id: str) -> Email: ...

    def autonomous(self, case: Case) -> Email: ...

    def autonomous_digest(
        self, cases: list[Case], uncertain: Sequence[OutboundRecord] = ()
    ) -> Email: ...

    def urgent(self, case: Case) -> Email: ...

    def low_score(self, case: Case, score: int) -> Email: ...

    def crisis(self, facts: CrisisFacts) -> Email: ...

    def team_digest(self, owed: Sequence[OwedEmail]) -> Email:
        """What the social team would have been emailed about cases it heard of within
        the hour, in one email."""
