"""The crisis detector, run by triage on each negative case: count it for its topic, and
when the topic crosses the configured line, tell the crisis contacts once per window what
they need to act (the window's cases, the trend, the answers approved ahead)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from socialcare.app.owed_emails import send_or_owe
from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import Case
from socialcare.domain.crisis import MAX_ALERT_CASES, CrisisFacts, crisis_topic
from socialcare.domain.email_delivery import EmailHold
from socialcare.domain.email_pacing import CRISIS_DIGEST_INTERVAL
from socialcare.domain.triage import Sentiment

if TYPE_CHECKING:  # annotations only
    from socialcare.app.triage import Triager
    from socialcare.ports.alerts import CaseAlerts
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.email import CaseEmails, CrisisDigests, EmailSender
    from socialcare.ports.owed_emails import OwedEmails


class CrisisWatch(Protocol):
    """What the detector reads and writes (triage's dependencies carry all of it)."""

    @property
    def triager(self) -> Triager: ...
    @property
    def alerts(self) -> CaseAlerts: ...
    @property
    def cases(self) -> CaseReader: ...
    @property
    def emails(self) -> CaseEmails: ...
    @property
    def email(self) -> EmailSender: ...
    @property
    def owed_emails(self) -> OwedEmails: ...
    @property
    def alert_email(self) -> EmailSender: ...
    @property
    def crisis_digests(self) -> CrisisDigests | None: ...


@dataclass(frozen=True)
class CrisisFound:
    topic: str
    count: int
    # This case claimed the window's one alert: its triage sends it once the case is
    # triaged (so the alert can give the case's own link).
    alerts: bool


def detect_crisis(
    assessment: Assessment, case: Case, now: datetime, deps: CrisisWatch
) -> CrisisFound | None:
    """More than N negative cases on one topic within the last M minutes (None: no
    crisis). Counting is keyed by the case, so a retried triage counts it once."""
    if assessment.triage.sentiment is not Sentiment.NEGATIVE:
        return None
    crisis = deps.triager.routing.crisis
    window = timedelta(minutes=crisis.window_minutes)
    topic = crisis_topic(assessment.topics)
    count = deps.alerts.count_negative(topic, case.id, case.created_at, window, now)
    if count <= crisis.negative_cases:
        return None
    return CrisisFound(topic, count, deps.alerts.claim_crisis_alert(topic, window, now))


def alert_crisis(
    found: CrisisFound, case: Case, now: datetime, deps: CrisisWatch
) -> EmailHold | None:
    """The crisis contacts' alert for `case`'s topic (held by SES: owed, and the
    schedule's retries count it, alarmed, until it goes)."""
    facts = crisis_facts(found, case, now, deps)
    alert = deps.emails.crisis(facts)
    contacts = deps.triager.routing.crisis.contacts
    key = f"crisis#{found.topic}"
    held = send_or_owe(
        deps.alert_email, deps.owed_emails, alert, contacts, case_id=case.id, key=key, now=now
    )
    deps.alerts.record_crisis_alert(case.id, found.topic, now)
    if deps.crisis_digests is not None:  # the first digest a minute after the alert
        deps.crisis_digests.claim_crisis_digest(found.topic, now, CRISIS_DIGEST_INTERVAL)
    return held


def digest_crisis(
    found: CrisisFound, case: Case, now: datetime, deps: CrisisWatch
) -> EmailHold | None:
    """The social team's crisis digest for `case`'s topic, when no digest (or the alert)
    went within the minute: how many cases the window has, how many arrived since the
    last one, the newest with their links. Every case of the crisis asks; one a minute
    sends (held by SES or the rate: owed, and the schedule sends it)."""
    if deps.crisis_digests is None:
        return None
    claim = deps.crisis_digests.claim_crisis_digest(found.topic, now, CRISIS_DIGEST_INTERVAL)
    if claim is None:
        return None
    facts = crisis_facts(found, case, now, deps)
    window_start = now - timedelta(minutes=facts.minutes)
    since = max(claim.previous_at, window_start) if claim.previous_at else window_start
    # `until` is exclusive, and times are kept to the millisecond: the next one takes in
    # the cases created at `now`.
    until = now + timedelta(milliseconds=1)
    since_last = deps.alerts.count_negative_between(found.topic, since, until)
    digest = deps.emails.crisis_digest(facts, since_last)
    team = deps.triager.routing.social_team.emails
    key = f"crisis-digest#{found.topic}"
    return send_or_owe(
        deps.alert_email, deps.owed_emails, digest, team, case_id=case.id, key=key, now=now
    )


def crisis_facts(found: CrisisFound, case: Case, now: datetime, deps: CrisisWatch) -> CrisisFacts:
    """The window's newest cases as the store has them (`case` as just triaged), and the
    count of the window before for the trend."""
    crisis = deps.triager.routing.crisis
    window = timedelta(minutes=crisis.window_minutes)
    ids = deps.alerts.negative_case_ids(found.topic, now - window, MAX_ALERT_CASES)
    if case.id not in ids:  # created before the window's start, triaged late
        ids = [case.id, *ids][:MAX_ALERT_CASES]
    cases = [case if i == case.id else deps.cases.case(i) for i in ids]
    previous = deps.alerts.count_negative_between(found.topic, now - 2 * window, now - window)
    listed = tuple(c for c in cases if c is not None)  # erased meanwhile: left out
    return CrisisFacts(
        topic=found.topic,
        # Other containers may have triaged more of the wave since this case counted: the
        # alert never says fewer cases than it lists.
        count=max(found.count, len(ids)),
        previous_count=previous,
        minutes=crisis.window_minutes,
        cases=listed,
        answers=dict(crisis.answers.get(found.topic, {})),
    )
