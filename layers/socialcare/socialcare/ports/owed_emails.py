"""Emails SES would not send, kept until they go, and the social team's one email an hour."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from socialcare.ports.cases import CaseReader

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.email_delivery import OwedEmail


class OwedEmails(Protocol):
    """What a use case that emails needs: keep an email SES would not send, and claim
    the social team's one email an hour about a case (domain/email_delivery.py)."""

    def owe_email(self, owed: OwedEmail) -> bool:
        """Kept once per case and key, "email_owed" on the timeline; False if already."""

    def claim_team_email(self, case_id: str, now: datetime, interval: timedelta) -> bool:
        """True when the social team had no email about the case within `interval` (and
        now has one: the claim is kept); False when the case is gone."""

    def release_team_email(self, case_id: str, claimed_at: datetime) -> None:
        """The email claimed at `claimed_at` did not go: the next one may."""


class OwedEmailStore(OwedEmails, CaseReader, Protocol):
    """What the schedule's run needs: the emails owed, each sent once, dropped when its
    case is gone."""

    def owed_emails(self) -> Iterable[OwedEmail]:
        """The oldest first (by owed_at), read as iterated: a run that can send no more
        stops reading, so a crisis's backlog is never read whole at once."""

    def claim_owed_email(self, owed: OwedEmail, now: datetime) -> bool:
        """True for the one caller that sends it now."""

    def release_owed_email(self, owed: OwedEmail) -> None: ...

    def owed_email_sent(self, owed: OwedEmail, now: datetime) -> None:
        """Gone from the owed, "owed_email_sent" on the timeline."""

    def drop_owed_email(self, owed: OwedEmail) -> None: ...
