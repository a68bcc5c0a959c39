"""Emails paced to SES's rate, nothing lost: what the second has no room for is owed as
paced and the OwedEmails run sends it at the rate, the oldest first; alerts keep a share
of each second; a topic in crisis gives the social team one digest a minute."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from socialcare.app.crisis_alerts import CrisisFound, digest_crisis
from socialcare.app.email_pacing import PacedSender
from socialcare.app.owed_emails import Pacing, send_or_owe, send_owed_emails
from socialcare.app.team_mail import mail_team
from socialcare.domain.cases import TriageRecord
from socialcare.domain.clock import utc_iso
from socialcare.domain.email_delivery import MAX_DIGEST_EMAILS, EmailHold, OwedEmail
from socialcare.domain.email_pacing import second_cap
from socialcare.domain.emails import Email
from tests.conftest import NOW
from tests.email_pacing_fakes import MinuteDigests, SecondSlots, TimedOutbox
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.unit.test_case_triage import ROUTING
from tests.unit.test_case_triage import deps as triage_deps

DEPARTMENT = ["claims@example.com"]
TEAM = list(ROUTING.social_team.emails)
TOPIC = "claims_and_repairs"
DERIVATION = Email("Derivación", "Actuad desde el enlace", "<p>Actuad</p>")


def team_digest(owed) -> Email:
    return Email("Resumen del equipo", f"{len(owed)} avisos", "<p>resumen</p>")


class Clock:
    """The simulation's time: the OwedEmails run's wait moves it to the next second."""

    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now

    def next_second(self) -> None:
        self.now = self.now.replace(microsecond=0) + timedelta(seconds=1)


@pytest.mark.parametrize(("rate", "others", "alerts"), [(14, 11, 14), (1, 1, 1), (200, 160, 200)])
def test_alerts_keep_a_share_of_each_second(rate, others, alerts):
    assert (second_cap(rate, alert=False), second_cap(rate, alert=True)) == (others, alerts)


def test_a_rate_under_one_a_second_sends_that_many_over_the_seconds():
    # Given a rate of 0.07 emails a second (the crisis simulator's sampled share of 14)
    rate = 0.07
    # When 1,000 seconds' caps are added up
    alerts = sum(second_cap(rate, alert=True, second=s) for s in range(1000))
    others = sum(second_cap(rate, alert=False, second=s) for s in range(1000))
    # Then alerts may take 70 sends, the rest 80% of them, never two in one second
    assert (alerts, others) == (70, 56)
    assert max(second_cap(rate, alert=True, second=s) for s in range(1000)) == 1


def test_an_email_the_second_has_no_room_for_is_owed_as_paced_then_sent_at_the_rate():
    # Given a rate of 2 a second (1 for derivations) and three derivations in one second
    clock, slots = Clock(), SecondSlots(rate=2)
    outbox = TimedOutbox(clock)
    paced = PacedSender(outbox, slots, clock, alert=False)
    store = InMemoryWorkflowStore()
    for n in range(3):
        case = store.add(a_case(f"20261124-{n:016x}", current_action=f"action-{n}"))
        key = f"action-{n}"
        send_or_owe(
            paced, store, DERIVATION, DEPARTMENT, case_id=case.id, key=key, now=NOW, action_id=key
        )
    # Then one went, two are owed as paced (on the timeline, with why)
    assert len(outbox.sent) == 1
    assert {owed.hold for owed in store.owed.values()} == {EmailHold.PACED}
    assert [e["hold"] for *_, e in store.timeline if "hold" in e] == ["paced", "paced"]
    # When the OwedEmails run sends them, waiting for room
    run = send_owed_emails(
        paced, store, clock, team_digest, Pacing(NOW + timedelta(seconds=20), clock.next_second)
    )
    # Then both went, one a second, and nothing is owed
    assert (run.sent, run.left, store.owed) == (2, 0, {})
    assert max(outbox.per_second().values()) == 1


def test_an_urgent_alert_goes_while_the_derivations_fill_the_second():
    # Given a second whose derivations' share is taken
    clock, slots = Clock(), SecondSlots(rate=14)
    outbox = TimedOutbox(clock)
    derivations = PacedSender(outbox, slots, clock, alert=False)
    alerts = PacedSender(outbox, slots, clock, alert=True)
    for _ in range(second_cap(14, alert=False)):
        derivations.send(DEPARTMENT, "d", "t", "h")
    with pytest.raises(Exception, match="paced"):
        derivations.send(DEPARTMENT, "d", "t", "h")
    # When an urgent alert is sent in it
    alerts.send(TEAM, "URGENTE", "t", "h")
    # Then it went, within SES's rate
    assert outbox.sent[-1]["subject"] == "URGENTE"
    assert sum(outbox.per_second().values()) <= 14


def test_the_run_leaves_what_it_has_no_time_for_to_the_next_one_the_oldest_first():
    # Given emails owed over an hour, the newest first in the store
    clock, slots = Clock(), SecondSlots(rate=1)
    outbox, store = TimedOutbox(clock), InMemoryWorkflowStore()
    for n in reversed(range(5)):
        case = store.add(a_case(f"20261124-{n:016x}"))
        store.owe_email(owed(case.id, f"urgent-{n}", NOW - timedelta(minutes=60 - n)))
    # When a run may wait two seconds for room
    run = send_owed_emails(
        PacedSender(outbox, slots, clock, alert=False),
        store,
        clock,
        team_digest,
        Pacing(NOW + timedelta(seconds=2), clock.next_second),
    )
    # Then the three oldest went, one a second; the run read only one more, which is
    # how late the debt is
    assert [e["subject"] for e in outbox.sent] == ["urgent-0", "urgent-1", "urgent-2"]
    assert (run.sent, run.left, run.held) == (3, 1, ())
    assert run.oldest_left == NOW - timedelta(minutes=57)
    assert len(store.owed) == 2


def owed(case_id: str, key: str, at, hold=EmailHold.PACED) -> OwedEmail:
    return OwedEmail(case_id, key, tuple(TEAM), key, "text", "<p>html</p>", hold, at)


def test_a_team_digest_carries_at_most_its_share_the_oldest_first():
    # Given more emails waiting for the team's digest than one digest carries
    clock, store, outbox = Clock(), InMemoryWorkflowStore(), None
    outbox = TimedOutbox(clock)
    waiting = MAX_DIGEST_EMAILS + 50
    for n in range(waiting):
        case = store.add(a_case(f"20261124-{n:016x}"))
        store.owe_email(
            owed(case.id, "copy", NOW - timedelta(seconds=waiting - n), EmailHold.DIGEST)
        )
    # When two runs go
    first = send_owed_emails(outbox, store, clock, team_digest)
    second = send_owed_emails(outbox, store, clock, team_digest)
    # Then the first digest carried the oldest 200, the second the other 50
    assert [e["text"] for e in outbox.sent] == [f"{MAX_DIGEST_EMAILS} avisos", "50 avisos"]
    assert (first.left, second.left) == (50, 0)


def test_a_crisis_cases_team_copy_waits_for_the_digest():
    # Given a case counted in a crisis, the team not emailed about it this hour
    store, clock = InMemoryWorkflowStore(), Clock()
    outbox = TimedOutbox(clock)
    case = store.add(a_case(triage=TriageRecord(category="complaint", flags=("crisis",))))
    # When its derivation's copy is for the team
    held = mail_team(outbox, store, DERIVATION, TEAM, case=case, key="a#team", now=NOW)
    # Then it is not sent but kept for the team's digest
    assert held is None and outbox.sent == []
    assert [o.hold for o in store.owed.values()] == [EmailHold.DIGEST]


def crisis_case(n: int, at) -> object:
    return a_case(
        f"20261124-{n:016x}",
        created_at=utc_iso(at),
        current_action=f"action-{n}",
        triage=TriageRecord(category="complaint", flags=("crisis",)),
    )


def test_a_burst_of_10000_crisis_cases_in_10_minutes_stays_in_the_rate_and_loses_nothing():
    # Given SES's 14 a second, and 10,000 negative cases on one topic over 10 minutes
    rate, clock, store = 14, Clock(), InMemoryWorkflowStore()
    slots, digests = SecondSlots(rate=rate), MinuteDigests()
    outbox = TimedOutbox(clock)
    bulk = PacedSender(outbox, slots, clock, alert=False)
    alerts = PacedSender(outbox, slots, clock, alert=True)
    triage = triage_deps(store, outbox, alerts_sender=alerts, crisis_digests=digests, clock=clock)
    digests.claim_crisis_digest(TOPIC, NOW, timedelta(minutes=1))  # the alert went at NOW
    next_run = NOW + timedelta(minutes=1)

    def owed_emails_run() -> None:
        pacing = Pacing(clock() + timedelta(seconds=20), clock.next_second)
        send_owed_emails(bulk, store, clock, team_digest, pacing)

    for n in range(10_000):
        at = NOW + timedelta(milliseconds=60 * n)
        if at >= next_run:  # the OwedEmails schedule, every minute
            clock.now = next_run
            owed_emails_run()
            next_run += timedelta(minutes=1)
        clock.now = at
        case = store.add(crisis_case(n, at))
        store.negative_cases_seen.append((TOPIC, case.created_at, case.id))  # as counted
        # When each is triaged (the team's crisis digest) and derived (its two emails)
        digest_crisis(CrisisFound(TOPIC, n, alerts=False), case, at, triage)
        action = f"action-{n}"
        send_or_owe(
            bulk,
            store,
            DERIVATION,
            DEPARTMENT,
            case_id=case.id,
            key=action,
            now=at,
            action_id=action,
        )
        mail_team(
            bulk, store, DERIVATION, TEAM, case=case, key=f"{action}#team", now=at, action_id=action
        )
    runs = 0
    while store.owed and runs < 200:  # the schedule goes on after the burst
        clock.now = next_run
        owed_emails_run()
        next_run, runs = next_run + timedelta(minutes=1), runs + 1
    # Then the team got at most one crisis digest a minute, SES never more than its rate
    # a second, and every derivation went (owed, then sent), the team's copies in digests
    crisis_digests = [e for e in outbox.sent if "crisis" in e["subject"].lower()]
    assert 1 <= len(crisis_digests) <= 10
    assert max(outbox.per_second().values()) <= rate
    assert sum(1 for e in outbox.sent if e["to"] == DEPARTMENT) == 10_000
    assert store.owed == {}


def test_the_crisis_digest_says_how_many_cases_came_since_the_last_one():
    # Given a crisis whose alert went a minute and a half ago, 30 cases since
    store, clock, digests = InMemoryWorkflowStore(), Clock(), MinuteDigests()
    outbox = TimedOutbox(clock)
    window = timedelta(minutes=ROUTING.crisis.window_minutes)
    digests.claim_crisis_digest(TOPIC, NOW - timedelta(seconds=90), timedelta(minutes=1))
    for n in range(30):
        case = store.add(crisis_case(n, NOW - timedelta(seconds=n)))
        store.count_negative(TOPIC, case.id, case.created_at, window, NOW)
    triage = triage_deps(store, outbox, crisis_digests=digests, clock=clock)
    # When the next case of the topic is triaged
    digest_crisis(CrisisFound(TOPIC, 30, alerts=False), case, NOW, triage)
    # Then the team's digest counts them, and lists the newest with their links
    [digest] = outbox.sent
    assert digest["to"] == TEAM
    assert digest["subject"].startswith("Resumen de crisis: 30 casos negativos nuevos")
    assert case.id in digest["text"]
    # And a case a second later sends none
    later = replace(case, id="20261124-ffffffffffffffff")
    digest_crisis(CrisisFound(TOPIC, 31, alerts=False), later, NOW + timedelta(seconds=1), triage)
    assert len(outbox.sent) == 1


def test_triage_of_a_topic_in_crisis_sends_the_alert_then_one_team_digest_a_minute():
    # Given a topic past the crisis threshold
    from socialcare.app.case_triage import triage_case
    from tests.unit.test_case_triage import COMPLAINT

    store, clock, digests = InMemoryWorkflowStore(), Clock(), MinuteDigests()
    outbox = TimedOutbox(clock)
    for n in range(ROUTING.crisis.negative_cases):
        noted = (TOPIC, utc_iso(NOW - timedelta(minutes=n + 1)), f"earlier-{n}")
        store.negative_cases_seen.append(noted)
    triage = triage_deps(store, outbox, crisis_digests=digests, clock=clock)
    # When complaints on it are triaged now, 30 s later and 61 s later
    for n, seconds in enumerate((0, 30, 61)):
        clock.now = NOW + timedelta(seconds=seconds)
        store.add(a_case(f"20261124-{n:016x}", texts=(COMPLAINT,), created_at=utc_iso(clock())))
        triage_case(f"20261124-{n:016x}", triage)
    # Then the crisis contacts got the alert, the team one digest (not one a case)
    to_contacts = [e for e in outbox.sent if e["to"] == list(ROUTING.crisis.contacts)]
    digests_sent = [e for e in outbox.sent if e["subject"].startswith("Resumen de crisis")]
    assert len(to_contacts) == 1 and len(digests_sent) == 1
    assert digests_sent[0]["at"] == NOW + timedelta(seconds=61)


class CountingReads(InMemoryWorkflowStore):
    """The store, counting the owed emails a run pulls from it."""

    reads: int = 0

    def owed_emails(self):
        for owed_email in super().owed_emails():
            self.reads += 1
            yield owed_email


def test_a_run_reads_no_further_than_it_can_send_however_large_the_debt():
    # Given 2,000 emails owed, and a rate of 2 a second
    clock, store = Clock(), CountingReads()
    outbox = TimedOutbox(clock)
    for n in range(2_000):
        case = store.add(a_case(f"20261124-{n:016x}"))
        store.owe_email(owed(case.id, f"urgent-{n}", NOW - timedelta(hours=1, seconds=-n)))
    paced = PacedSender(outbox, SecondSlots(rate=2), clock, alert=False)
    # When a run may wait three seconds for room
    run = send_owed_emails(
        paced, store, clock, team_digest, Pacing(NOW + timedelta(seconds=3), clock.next_second)
    )
    # Then it sent one a second and read only those and the next
    assert run.sent == 4 and store.reads == run.sent + 1
