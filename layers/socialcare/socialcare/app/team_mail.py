"""The social team's mail, bounded: at most one email a case an hour (urgent cases
excepted); what else the team would have been sent about the case waits, kept as owed,
for the next digest, which the OwedEmails schedule sends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from socialcare.app.owed_emails import send_or_owe
from socialcare.domain.cases import Case
from socialcare.domain.email_delivery import (
    TEAM_MAIL_INTERVAL,
    EmailHold,
    OwedEmail,
    in_crisis,
    is_urgent,
)
from socialcare.domain.emails import Email

if TYPE_CHECKING:
    from socialcare.ports.email import EmailSender
    from socialcare.ports.owed_emails import OwedEmails


def mail_team(
    sender: EmailSender,
    store: OwedEmails,
    email: Email,
    to: Iterable[str],
    *,
    case: Case,
    key: str,
    now: datetime,
    action_id: str | None = None,
) -> EmailHold | None:
    """Sent now (owed when SES holds it: the hold returned) when it is the case's first
    email to the team within the hour, or the case is urgent; else kept for the digest,
    even once its derivation is over: the digest tells the team what happened since. A
    case counted in a crisis is always kept for the digest: the team hears of the crisis
    in its one crisis digest a minute, not in an email a case."""
    recipients = list(to)

    def send() -> EmailHold | None:
        return send_or_owe(
            sender,
            store,
            email,
            recipients,
            case_id=case.id,
            key=key,
            now=now,
            action_id=action_id,
        )

    if is_urgent(case):
        return send()
    if not in_crisis(case) and store.claim_team_email(case.id, now, TEAM_MAIL_INTERVAL):
        try:
            return send()
        except Exception:
            store.release_team_email(case.id, now)  # a retry sends it, not the digest
            raise
    store.owe_email(
        OwedEmail(
            case_id=case.id,
            key=key,
            to=tuple(recipients),
            subject=email.subject,
            text=email.text,
            html=email.html,
            hold=EmailHold.DIGEST,
            owed_at=now,
        )
    )
    return None
