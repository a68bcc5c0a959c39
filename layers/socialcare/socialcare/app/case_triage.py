"""Triage of a new case, as the table's stream brings it: assess once, close what the
social team answers (or spam), start the case workflow only for what a department must
answer. Safe under redelivery: the NEW -> TRIAGED transition is conditional, so a case is
assessed once; a retry only finishes what the first attempt began."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.answers import automatic_answers
from socialcare.app.case_details import read_details
from socialcare.app.crisis_alerts import alert_crisis, detect_crisis, digest_crisis
from socialcare.app.outbound import OutboundDependencies, Result
from socialcare.app.owed_emails import owe, send_or_owe
from socialcare.app.triage import Triager
from socialcare.domain.assessment import Assessment
from socialcare.domain.case_details import CaseDetails, with_details
from socialcare.domain.cases import Case, CaseStatus, FinalStatus, MediaLink, PublishLink
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.derivation import WaitPlan, plan_wait
from socialcare.domain.email_delivery import TEAM_MAIL_INTERVAL, EmailHeld, EmailHold
from socialcare.domain.emails import Email
from socialcare.domain.messages import Channel
from socialcare.domain.second_opinion import SecondOpinion, opinion_text
from socialcare.domain.triage import Category, triage_sample
from socialcare.domain.triage_decision import TriageDecision

if TYPE_CHECKING:
    from socialcare.ports.alerts import CaseAlerts
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.customers import CustomerDirectory
    from socialcare.ports.email import CaseEmails, CrisisDigests, EmailSender
    from socialcare.ports.links import FollowUpLinks
    from socialcare.ports.outbound import UncertainSends
    from socialcare.ports.owed_emails import OwedEmails
    from socialcare.ports.platform_reads import PlatformDetails
    from socialcare.ports.second_opinion import SecondOpinions
    from socialcare.ports.text import SuggestReplies, TextAnalysis
    from socialcare.ports.triage import TriageRecords
    from socialcare.ports.workflow import CaseClosing, WorkflowStarter


@dataclass
class TriageDependencies:
    cases: CaseReader
    triage: TriageRecords
    closing: CaseClosing
    alerts: CaseAlerts
    owed_emails: OwedEmails
    uncertain: UncertainSends
    follow_ups: FollowUpLinks  # the low score's link, in its alert
    customers: CustomerDirectory
    email: EmailSender
    emails: CaseEmails
    triager: Triager
    replies: SuggestReplies
    workflows: WorkflowStarter
    clock: Clock
    time_scale: float
    text_signals: TextAnalysis | None = None  # Amazon Comprehend, when switched on
    # What config sends on the platforms by itself (None: nothing, as in older tests).
    outbound: OutboundDependencies | None = None
    token: Callable[[], str] = field(default=lambda: secrets.token_urlsafe(24))
    # What the webhook could not carry, read from the platforms (None: nothing read).
    details: PlatformDetails | None = None
    # The urgent and crisis alerts' sender, paced within the share kept for alerts (None:
    # `email`); the crisis digest's claims (None: no digest, as in older tests).
    alerts_sender: EmailSender | None = None
    crisis_digests: CrisisDigests | None = None
    # A language model asked about the messages triage is unsure of (None: off, the default).
    second_opinion: SecondOpinions | None = None

    @property
    def alert_email(self) -> EmailSender:
        return self.alerts_sender or self.email


# How long the department's links to a customer's images and voice notes hold: the
# longest wait a case has (48 business hours, escalations after) with a margin; past it
# the department asks the customer to send it again.
MEDIA_LINK_DAYS = 14


class TriageOutcome(StrEnum):
    AUTONOMOUS = "autonomous"  # closed here: the social team answers
    SPAM = "spam"  # closed here: nobody answers
    DERIVED = "derived"  # its workflow started: a department answers
    # One the social team would close alone, that triage is unsure of: it waits open in
    # the console's review queue (no answer, no close) until a person confirms it.
    HELD_FOR_REVIEW = "held_for_review"
    ALREADY_DONE = "already_done"  # an earlier delivery of the record triaged it
    # The case is no longer there (erased, or expired, before triage read it): nothing
    # to do, and nothing a retry could change.
    GONE = "gone"


@dataclass(frozen=True)
class Triaged:
    case_id: str
    outcome: TriageOutcome
    urgent: bool = False
    crisis: bool = False
    # An autonomous case whose closing was left to `close_autonomous` (the batch's email).
    to_close: Case | None = None
    # An automatic answer could not go out now (rate limit, platform down): the record
    # must come back so it does, though the case itself is done.
    outbound_deferred: bool = False
    # Emails SES held (kept as owed; the OwedEmails schedule sends them).
    emails_held: tuple[EmailHold, ...] = ()


def triage_case(case_id: str, deps: TriageDependencies, *, batch: bool = False) -> Triaged:
    """Raises on anything transient (storage, email, workflow start): the stream delivers
    the record again and this finishes what was begun. `batch`: an autonomous case is
    left triaged for `close_autonomous`, which tells the social team of the batch's cases
    in one email. A case that is not there (the read is consistent: erased or expired)
    is GONE, not an error: retrying could only dead-letter the record."""
    case = deps.cases.case(case_id)
    if case is None:
        return Triaged(case_id, TriageOutcome.GONE)
    if case.status == CaseStatus.NEW.value and not case.closed:
        assessed = _assess(case, deps, batch)
        if assessed is not None:
            return assessed
        # Lost the race: finish what the winner began (unless the case went meanwhile).
        case = deps.cases.case(case_id)
        if case is None:
            return Triaged(case_id, TriageOutcome.GONE)
    unfinished = case.status == CaseStatus.TRIAGED.value and not case.closed
    if unfinished and not (case.wait_plan and case.workflow_started):
        return _finish(case, deps, batch)
    # A redelivery: what config sends by itself may still be owed (each action once).
    return Triaged(case_id, TriageOutcome.ALREADY_DONE, outbound_deferred=_automatic(case, deps))


def close_autonomous(cases: list[Case], deps: TriageDependencies) -> tuple[EmailHold, ...]:
    """One email to the social team for the cases, then each closed. When SES holds it,
    each case's own email is owed (kept in its partition, erased with it) and the cases
    are closed all the same; any other failure leaves them triaged: their records come
    back and they are in the next email. Returns what SES held."""
    if not cases:
        return ()
    uncertain = deps.uncertain.unreported_uncertain() if deps.outbound else []
    digest = deps.emails.autonomous_digest(cases, uncertain)
    team = deps.triager.routing.social_team.emails
    now = deps.clock()
    held: list[EmailHold] = []
    try:
        _send(deps, team, digest)
    except EmailHeld as digest_held:
        for case in cases:  # the uncertain sends stay for the next digest
            email = deps.emails.autonomous(case)
            owe(
                deps.owed_emails,
                email,
                team,
                digest_held.hold,
                case_id=case.id,
                key="autonomous",
                now=now,
            )
            held.append(digest_held.hold)
    else:
        if uncertain:
            deps.uncertain.mark_uncertain_reported(uncertain)
        for case in cases:  # the team's email of the hour for each (see team_mail.py)
            deps.owed_emails.claim_team_email(case.id, now, TEAM_MAIL_INTERVAL)
    for case in cases:
        deps.closing.close_case(case.id, FinalStatus.AUTONOMOUS.value, now, actor="social team")
    return tuple(held)


def _assess(case: Case, deps: TriageDependencies, batch: bool) -> Triaged | None:
    now = deps.clock()
    # Before classifying: a mention is triaged on its words, not on a placeholder.
    details = CaseDetails()
    if deps.details is not None:
        alarm = deps.outbound.alarm if deps.outbound else None
        details = read_details(case, deps.details, alarm)
        case = with_details(case, details)
    channel = Channel(case.channel)
    # A person may be known by more than one id (WhatsApp: business-scoped id and phone).
    references = [deps.customers.reference(case.platform, i) for i in case.author.ids]
    known = any(found is not None for found in references)
    reference = next((found for found in references if found), None)
    signals = deps.text_signals.signals(case.text) if deps.text_signals else None

    def assess(crisis: bool = False) -> Assessment:
        return deps.triager.assess(
            case.text,
            channel,
            public=case.public,
            followers=case.author.followers,
            known_customer=known,
            language_hint=case.language,
            crisis=crisis,
            signals=signals,
        )

    assessment = assess()
    crisis = detect_crisis(assessment, case, now, deps)
    if crisis:
        assessment = assess(crisis=True)
    plan = None if assessment.autonomous else _first_wait(assessment, now, deps)
    replies = deps.replies.suggest(
        assessment,
        case.text,
        channel,
        public=case.public,
        author_name=case.author.display_name,
        deadline=datetime.fromisoformat(plan.deadline) if plan else None,  # what they are told
        now=now,
    )
    silent = assessment.triage.category in (Category.TROLL, Category.SPAM)
    publish = None
    if not silent and (replies.public or replies.private):  # the social team's link
        publish = PublishLink(deps.token(), deps.token())
    # The links to what the customer sent (app/media_links.py), for as long as they hold.
    media = None
    if case.attachments:
        media = MediaLink(deps.token(), utc_iso(now + timedelta(days=MEDIA_LINK_DAYS)))
    decision = TriageDecision(
        assessment,
        replies,
        plan=plan,
        publish=publish,
        media_link=media,
        customer_reference=reference,
        details=None if details.empty else details,
        second_opinion=_second_opinion(assessment, case.text, deps),
    )
    if not deps.triage.begin_triage(case.id, decision, now):
        return None
    triaged = replace(
        case,
        triage=decision.record(),
        status=CaseStatus.TRIAGED.value,
        wait_plan=plan,
        publish=publish,
        media_link=media,
        needs_review=assessment.needs_review,
    )
    alerted = None
    if crisis:  # the alert once a window, else the team's digest once a minute
        tell = alert_crisis if crisis.alerts else digest_crisis
        alerted = tell(crisis, triaged, now, deps)
    finished = _finish(triaged, deps, batch)
    held = (alerted,) if alerted else ()
    return replace(
        finished,
        urgent=assessment.urgent,
        crisis=crisis is not None,
        emails_held=held + finished.emails_held,
    )


def _second_opinion(
    assessment: Assessment, text: str, deps: TriageDependencies
) -> SecondOpinion | None:
    """Asked only when triage is unsure, and never waited on past its timeout."""
    if deps.second_opinion is None or not assessment.needs_review:
        return None
    return deps.second_opinion.opinion(opinion_text(triage_sample(text)))


def _first_wait(assessment: Assessment, now: datetime, deps: TriageDependencies) -> WaitPlan:
    return plan_wait(
        deps.triager.routing,
        department=str(assessment.department),
        priority=assessment.priority,
        level=0,
        now=now,
        time_scale=deps.time_scale,
        reason="derived",
    )


def _finish(case: Case, deps: TriageDependencies, batch: bool = False) -> Triaged:
    """What follows a triage: the urgent alert (claimed once); then, unless a person must
    review it first (app/case_review.py runs this once they confirm), close an autonomous
    case (a retry between the social team's email and the closing sends that internal
    email again, never anything to the customer), or start a derived case's workflow (its
    execution name makes a second start a no-op)."""
    now = deps.clock()
    urgent = None
    if case.triage is not None and "urgent" in case.triage.flags:
        urgent = _alert_urgent(case, now, deps)
    held: tuple[EmailHold, ...] = (urgent,) if urgent else ()
    if case.wait_plan is None and case.needs_review:  # a person confirms it first
        return Triaged(case.id, TriageOutcome.HELD_FOR_REVIEW, emails_held=held)
    # Before the case is closed or derived: a hidden comment is the first thing to do.
    deferred = _automatic(case, deps)
    if case.wait_plan is not None:
        if not case.workflow_started:
            arn = deps.workflows.start(case.id, case.wait_plan)
            deps.triage.mark_workflow_started(case.id, arn, now)
        return Triaged(case.id, TriageOutcome.DERIVED, outbound_deferred=deferred, emails_held=held)
    spam = case.triage is not None and case.triage.category == Category.SPAM.value
    if spam:  # spam needs no answer
        deps.closing.close_case(case.id, FinalStatus.SPAM.value, now, actor="social team")
        return Triaged(case.id, TriageOutcome.SPAM, outbound_deferred=deferred, emails_held=held)
    if batch:
        return Triaged(
            case.id,
            TriageOutcome.AUTONOMOUS,
            to_close=case,
            outbound_deferred=deferred,
            emails_held=held,
        )
    held += close_autonomous([case], deps)
    return Triaged(case.id, TriageOutcome.AUTONOMOUS, outbound_deferred=deferred, emails_held=held)


def finish_reviewed(case: Case, deps: TriageDependencies) -> Triaged:
    """What triage would have done with the case, once a person confirmed its triage."""
    return _finish(replace(case, needs_review=False), deps)


def _automatic(case: Case, deps: TriageDependencies) -> bool:
    """What config sends by itself; True when some of it must be tried again later."""
    if deps.outbound is None or case.triage is None:
        return False
    calendar = deps.triager.routing.report_calendar()
    outcomes = automatic_answers(case, deps.outbound, calendar)
    return any(outcome.result is Result.DEFERRED for outcome in outcomes)


def _alert_urgent(case: Case, now: datetime, deps: TriageDependencies) -> EmailHold | None:
    """The social team hears of an urgent case at once, before any department acts; one
    alert per case, whatever the retries (owed when SES holds it)."""
    if not deps.alerts.claim_urgent_alert(case.id, now):
        return None
    team = deps.triager.routing.social_team.emails
    try:
        alert = deps.emails.urgent(case)
        return send_or_owe(
            deps.alert_email, deps.owed_emails, alert, team, case_id=case.id, key="urgent", now=now
        )
    except Exception:
        deps.alerts.release_urgent_alert(case.id)  # the retried record sends it
        raise


def _send(deps: TriageDependencies, to: Iterable[str], email: Email) -> None:
    deps.email.send(list(to), email.subject, email.text, email.html)
