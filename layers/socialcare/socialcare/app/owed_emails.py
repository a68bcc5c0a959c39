"""An email SES will not send now (throttled, or blocked until a person acts) is kept as
owed and the case goes on; the OwedEmails schedule sends each owed email once SES sends
again, unless its case is gone or its derivation is over."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from socialcare.domain.clock import Clock
from socialcare.domain.email_delivery import (
    MAX_DIGEST_EMAILS,
    TEAM_MAIL_INTERVAL,
    EmailHeld,
    EmailHold,
    OwedEmail,
    still_owed,
)
from socialcare.domain.emails import Email

if TYPE_CHECKING:
    from socialcare.ports.email import EmailSender
    from socialcare.ports.owed_emails import OwedEmails, OwedEmailStore

logger = Logger(service="workflow", child=True)


def send_or_owe(
    sender: EmailSender,
    store: OwedEmails,
    email: Email,
    to: Iterable[str],
    *,
    case_id: str,
    key: str,
    now: datetime,
    action_id: str | None = None,
) -> EmailHold | None:
    """None when sent; else why it is held, the email kept as owed. Any other failure
    (a defect, SES unreachable) is raised, as before."""
    recipients = list(to)
    try:
        sender.send(recipients, email.subject, email.text, email.html)
    except EmailHeld as held:
        owe(
            store,
            email,
            recipients,
            held.hold,
            case_id=case_id,
            key=key,
            now=now,
            action_id=action_id,
        )
        return held.hold
    return None


def owe(
    store: OwedEmails,
    email: Email,
    to: Iterable[str],
    hold: EmailHold,
    *,
    case_id: str,
    key: str,
    now: datetime,
    action_id: str | None = None,
) -> None:
    """Keep the email, as composed, for the OwedEmails schedule."""
    owed = OwedEmail(
        case_id=case_id,
        key=key,
        to=tuple(to),
        subject=email.subject,
        text=email.text,
        html=email.html,
        hold=hold,
        owed_at=now,
        action_id=action_id,
    )
    store.owe_email(owed)
    logger.warning("email owed", extra={"case_id": case_id, "key": key, "hold": hold.value})


@dataclass(frozen=True)
class OwedEmailsRun:
    sent: int
    dropped: int
    held: tuple[EmailHold, ...]  # why each email tried and not sent was held
    # The emails this run read and left owed (the rest, newer, it did not read), and
    # when the oldest of them was owed: how late the email debt is.
    left: int = 0
    oldest_left: datetime | None = None


@dataclass(frozen=True)
class Pacing:
    """The run waits for room in the rate (`wait`: until the next second) up to `until`,
    then leaves the rest to the next run."""

    until: datetime
    wait: Callable[[], None]


# At most this many owed emails read by one run (a crisis's backlog can be hundreds of
# thousands): what it sends in its 20 s at up to 250 a second, and a few MB in memory.
MAX_OWED_READ = 5_000


def send_owed_emails(
    sender: EmailSender,
    store: OwedEmailStore,
    clock: Clock,
    digest: Callable[[Sequence[OwedEmail]], Email],
    pacing: Pacing | None = None,
) -> OwedEmailsRun:
    """Each owed email once, the oldest first, derivations and alerts before digests:
    claimed before it is sent, so two runs at once send it once; released when SES still
    holds it or the rate has no room. Once SES throttles, the rate has no room or the
    run's time is over it reads no more (nor past MAX_OWED_READ): the next run goes on.
    What waits for the social team's digest goes in one email per recipient list (at
    most MAX_DIGEST_EMAILS), each case once its hour since the team's last email about
    it has passed."""
    sent, dropped = 0, 0
    held: list[EmailHold] = []
    left: list[OwedEmail] = []
    waiting: dict[tuple[str, ...], list[OwedEmail]] = {}
    for read, owed in enumerate(store.owed_emails(), 1):
        if _out_of_rate(held) or read > MAX_OWED_READ or _time_over(clock, pacing):
            left.append(owed)  # read, and left for the next run
            break
        if not still_owed(owed, store.case(owed.case_id)):
            store.drop_owed_email(owed)
            dropped += 1
        elif owed.hold is EmailHold.DIGEST:
            waiting.setdefault(owed.to, []).append(owed)
        elif _send_owed(sender, store, clock, owed, pacing, held):
            sent += 1
        else:
            left.append(owed)
    for to, owed_digest in waiting.items():
        outcome = (
            []
            if _out_of_rate(held)
            else _send_digest(sender, store, clock, digest, to, owed_digest, pacing)
        )
        if isinstance(outcome, EmailHold):
            held.append(outcome)
            outcome = []
        sent += len(outcome)
        carried = {(owed.case_id, owed.key) for owed in outcome}
        left += [owed for owed in owed_digest if (owed.case_id, owed.key) not in carried]
    oldest = min((owed.owed_at for owed in left), default=None)
    return OwedEmailsRun(sent, dropped, tuple(held), len(left), oldest)


def _send_owed(
    sender: EmailSender,
    store: OwedEmailStore,
    clock: Clock,
    owed: OwedEmail,
    pacing: Pacing | None,
    held: list[EmailHold],
) -> bool:
    """Sent (claimed first); False when another run has it or it is still held (the
    hold noted in `held`)."""
    if not store.claim_owed_email(owed, clock()):
        return False
    try:
        _send_paced(sender, list(owed.to), owed, clock, pacing)
    except EmailHeld as still:
        store.release_owed_email(owed)
        held.append(still.hold)
        return False
    except Exception:
        store.release_owed_email(owed)
        raise
    store.owed_email_sent(owed, clock())
    return True


def _time_over(clock: Clock, pacing: Pacing | None) -> bool:
    """Each owed email read costs a read of its case too: past the run's time it stops
    reading, so the digests it gathered still go within the function's timeout."""
    return pacing is not None and clock() >= pacing.until


def _out_of_rate(held: list[EmailHold]) -> bool:
    """SES throttles or the rate is taken: the rest of this run would be refused too."""
    return bool(held) and held[-1] in (EmailHold.THROTTLED, EmailHold.PACED)


def _send_paced(
    sender: EmailSender,
    to: list[str],
    email: Email | OwedEmail,
    clock: Clock,
    pacing: Pacing | None,
) -> None:
    """Sent, waiting for room in the rate while the run may; else EmailHeld."""
    while True:
        try:
            sender.send(to, email.subject, email.text, email.html)
            return
        except EmailHeld as held:
            if held.hold is not EmailHold.PACED or pacing is None or clock() >= pacing.until:
                raise
            pacing.wait()


def _send_digest(
    sender: EmailSender,
    store: OwedEmailStore,
    clock: Clock,
    digest: Callable[[Sequence[OwedEmail]], Email],
    to: tuple[str, ...],
    waiting: list[OwedEmail],
    pacing: Pacing | None,
) -> list[OwedEmail] | EmailHold:
    """The emails the digest carried (at most MAX_DIGEST_EMAILS, the oldest), or why SES
    held it (all released)."""
    now = clock()
    due = _claim_due(store, waiting, now)
    if not due:
        return []
    email = digest(due)
    try:
        _send_paced(sender, list(to), email, clock, pacing)
    except Exception as failed:
        for owed in due:  # all of it waits for the next run, the cases' hours too
            store.release_owed_email(owed)
        for case_id in {owed.case_id for owed in due}:
            store.release_team_email(case_id, now)
        if isinstance(failed, EmailHeld):
            return failed.hold
        raise
    for owed in due:
        store.owed_email_sent(owed, now)
    return due


def _claim_due(store: OwedEmailStore, waiting: list[OwedEmail], now: datetime) -> list[OwedEmail]:
    """The oldest first, at most MAX_DIGEST_EMAILS, each case once its hour is over."""
    due: list[OwedEmail] = []
    hour_over: dict[str, bool] = {}
    for owed in sorted(waiting, key=lambda o: o.owed_at):
        if len(due) == MAX_DIGEST_EMAILS:
            break
        if owed.case_id not in hour_over:  # the digest is the case's email of this hour
            hour_over[owed.case_id] = store.claim_team_email(owed.case_id, now, TEAM_MAIL_INTERVAL)
        if hour_over[owed.case_id] and store.claim_owed_email(owed, now):
            due.append(owed)
    return due
