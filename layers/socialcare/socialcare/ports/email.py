"""Sending an email, and the workflow's emails composed apart from it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.cases import Case
    from socialcare.domain.crisis import CrisisDigestClaim, CrisisFacts
    from socialcare.domain.derivation import WaitPlan
    from socialcare.domain.email_delivery import OwedEmail
    from socialcare.domain.emails import Email
    from socialcare.domain.outbound import OutboundRecord


class EmailSender(Protocol):
    def send(self, to: list[str], subject: str, text: str, html: str) -> str: ...


class SendSlots(Protocol):
    """Places in each second's share of SES's maximum send rate, shared by every function
    (domain/email_pacing.py)."""

    def take(self, now: datetime, recipients: int, *, alert: bool) -> bool:
        """True when `now`'s second had room for `recipients` more (now taken)."""


class CrisisDigests(Protocol):
    """The social team's one crisis digest a topic a minute."""

    def claim_crisis_digest(
        self, topic: str, now: datetime, interval: timedelta
    ) -> CrisisDigestClaim | None:
        """The claim (with when the last digest or alert went) when none went within
        `interval`; None when one did."""


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

    def crisis_digest(self, facts: CrisisFacts, since_last: int) -> Email:
        """The social team's minute on a topic in crisis: `since_last` cases since the
        last digest (or the alert)."""

    def team_digest(self, owed: Sequence[OwedEmail]) -> Email:
        """What the social team would have been emailed about cases it heard of within
        the hour, in one email."""
