"""The social team's mail, bounded: at most one email a case an hour (urgent cases
excepted); the rest wait for one digest, sent by the OwedEmails schedule once each case's
hour has passed."""

from __future__ import annotations

from datetime import timedelta

from socialcare.app.case_triage import triage_case
from socialcare.app.owed_emails import send_owed_emails
from socialcare.app.workflow_steps import derive_step, escalate_step
from socialcare.domain.cases import TriageRecord
from socialcare.presentation.case_emails import CaseEmailComposer
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import Outbox
from tests.unit.test_case_triage import URGENT
from tests.unit.test_case_triage import deps as triage_deps
from tests.unit.test_workflow_steps import CASE_ID, ROUTING, a_plan, a_store, deps

TEAM = list(ROUTING.social_team.emails)
DIGEST = CaseEmailComposer(ROUTING, "https://api.example").team_digest


def to_team(outbox: Outbox) -> list[dict]:
    return [email for email in outbox.sent if email["to"] == TEAM]


def derived_then_escalated_twice(store, outbox) -> None:
    """A case derived, then escalated to level 1 and 2, within minutes (as with fast
    business time, or short SLAs)."""
    plan, tokens = a_plan(), iter(f"{n:032d}" for n in range(1, 100))
    for minutes in (0, 5, 10):
        at = NOW + timedelta(minutes=minutes)
        workflow = deps(store, outbox, clock=lambda at=at: at, token=lambda: next(tokens))
        derive_step(CASE_ID, plan, f"task-{minutes}", workflow)
        if minutes < 10:
            plan = escalate_step(CASE_ID, plan, workflow).plan


def test_a_case_escalated_twice_within_the_hour_reaches_the_team_once_then_in_a_digest():
    # Given a case derived and escalated twice within ten minutes
    store, outbox = a_store(), Outbox()
    derived_then_escalated_twice(store, outbox)
    # Then the team got one email about it (the first copy), the departments all of theirs
    team = to_team(outbox)
    assert len(team) == 1, [e["subject"] for e in team]
    assert len(outbox.sent) - len(team) == 3
    # When the schedule runs within the hour, nothing more goes to the team
    run = send_owed_emails(outbox, store, lambda: NOW + timedelta(minutes=30), DIGEST)
    assert (run.sent, len(to_team(outbox))) == (0, 1)
    # and after it, one digest tells both escalations
    run = send_owed_emails(outbox, store, lambda: NOW + timedelta(minutes=61), DIGEST)
    [_, digest] = to_team(outbox)
    assert run.sent == 2 and CASE_ID in digest["text"]
    assert digest["subject"] == "Para el equipo social: resumen de 2 avisos sobre 1 caso"
    assert "ESCALADO nivel 1" in digest["text"] and "ESCALADO nivel 2" in digest["text"]
    assert digest["html"].startswith("<!doctype html>")


def test_a_digest_is_sent_once_whatever_the_runs():
    # Given a case whose escalation copy waits for the digest
    store, outbox = a_store(), Outbox()
    derived_then_escalated_twice(store, outbox)
    later = lambda: NOW + timedelta(minutes=61)  # noqa: E731
    # When two runs go after the hour
    send_owed_emails(outbox, store, later, DIGEST)
    send_owed_emails(outbox, store, later, DIGEST)
    # Then one digest went
    assert len(to_team(outbox)) == 2 and store.owed_emails() == []


def test_an_urgent_case_reaches_the_team_at_once_every_time():
    # Given an urgent case: its alert at triage, then derived and escalated twice
    store, outbox = InMemoryWorkflowStore(), Outbox()
    store.add(a_case(texts=(URGENT,)))
    triage_case(CASE_ID, triage_deps(store, outbox))
    assert "urgent" in store.cases[CASE_ID].triage.flags
    derived_then_escalated_twice(store, outbox)
    # Then every one of the team's emails about it went at once: nothing waits
    assert len(to_team(outbox)) == 4 and store.owed_emails() == []


def test_another_case_is_not_held_back_by_the_first():
    # Given two cases derived a minute apart
    store, outbox = a_store(), Outbox()
    other = a_case("20261124-fedcba9876543210", triage=TriageRecord(category="complaint"))
    store.add(other)
    derive_step(CASE_ID, a_plan(), "t-1", deps(store, outbox))
    tokens = iter(f"{n:032d}" for n in range(50, 99))
    later = deps(
        store, outbox, clock=lambda: NOW + timedelta(minutes=1), token=lambda: next(tokens)
    )
    derive_step(other.id, a_plan(), "t-2", later)
    # Then the team got each case's copy
    assert len(to_team(outbox)) == 2
