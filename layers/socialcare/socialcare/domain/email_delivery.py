"""An email SES will not send now is owed, never a stopped case: what holds it, and
whether an owed email is still worth sending when its turn comes again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from socialcare.domain.cases import Case
from socialcare.domain.failures import Unavailable


class EmailHold(StrEnum):
    # SES's sending rate or daily quota: "wait for an interval of up to 10 minutes, and
    # then retry" (https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html).
    THROTTLED = "throttled"
    # The sandbox, an unverified identity, sending paused or the account suspended: only a
    # person fixes it (https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html),
    # so it is alarmed (EmailsUndelivered).
    BLOCKED = "blocked"
    # Not SES: our own pacing (app/email_pacing.py) found this second's share of SES's
    # maximum send rate taken; the OwedEmails schedule sends it at the rate.
    PACED = "paced"
    # Not SES: the social team heard of the case within the hour (TEAM_MAIL_INTERVAL), so
    # this waits for the next digest (the OwedEmails schedule sends it).
    DIGEST = "digest"


# The social team gets at most one email a case in this long (urgent cases excepted).
TEAM_MAIL_INTERVAL = timedelta(hours=1)
# At most this many owed emails in one digest (the oldest first; the rest wait for the
# next run), so a crisis's thousands of cases make several digests, each a few hundred KB
# against SES v2's 40 MB a message (https://docs.aws.amazon.com/ses/latest/dg/quotas.html).
MAX_DIGEST_EMAILS = 200


class EmailHeld(Unavailable):
    """SES will not send this email now, for a reason that is not a defect."""

    def __init__(self, hold: EmailHold, detail: str) -> None:
        super().__init__(f"{hold.value}: {detail}")
        self.hold = hold


def alarmed(hold: EmailHold) -> bool:
    """Throttling passes by itself, a digest goes by itself; a block waits for a person."""
    return hold is EmailHold.BLOCKED


def is_urgent(case: Case) -> bool:
    """The social team hears of an urgent case at once, however often."""
    return case.triage is not None and "urgent" in case.triage.flags


def in_crisis(case: Case) -> bool:
    """Counted in a topic's crisis when triaged: the social team hears of it through the
    crisis digest (one a minute) and the team digest, never in an email of its own."""
    return case.triage is not None and "crisis" in case.triage.flags


@dataclass(frozen=True)
class OwedEmail:
    """An email kept, as composed, in its case's partition (erased with the case) until it
    goes. `key` names it within the case (one owed email per key); `action_id`: the
    derivation it asks a department to act on."""

    case_id: str
    key: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    hold: EmailHold
    owed_at: datetime
    action_id: str | None = None


def still_owed(owed: OwedEmail, case: Case | None) -> bool:
    """Gone with its case; a department's email is moot once its derivation is no longer
    the case's current one (answered, escalated, closed): its links lead nowhere."""
    if case is None:
        return False
    if owed.action_id is None:
        return True
    return not case.closed and case.current_action == owed.action_id
