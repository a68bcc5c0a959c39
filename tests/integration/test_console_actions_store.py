"""The console's DynamoDB stores on the local stack (moto's DynamoDB, in this process): the
reply lease is one conditional update that names who holds it, corrections and other
actions land on the timeline with the username, a closed case reopens only when its
author has no other open case, and the audit keeps each person's last actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialcare.adapters.dynamodb.console_audit import DynamoDBConsoleAudit
from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.console_actions import LEASE_SECONDS, CorrectedField, Correction, Lease
from socialcare.domain.console_audit import AuditEntry
from tests.conftest import NOW
from tests.integration.workflow_helpers import derived_case, kinds


@pytest.fixture
def table(stack):
    return CasesTable(stack.client("dynamodb"), stack.cases_table)


def test_a_second_person_cannot_claim_a_case_claimed_by_another_until_it_expires(stack, table):
    # Given a derived case claimed by ana
    case_id = derived_case(stack)["id"]
    store = DynamoDBConsoleCases(table)
    assert store.claim(case_id, "ana", NOW) is None
    # When luis claims it within the ten minutes, and after them
    during = store.claim(case_id, "luis", NOW + timedelta(seconds=LEASE_SECONDS - 1))
    after = store.claim(case_id, "luis", NOW + timedelta(seconds=LEASE_SECONDS + 1))
    # Then he is refused, told ana holds it; once expired the claim is his
    assert during == Lease("ana", int(NOW.timestamp()) + LEASE_SECONDS)
    assert after is None
    assert store.lease(case_id).holder == "luis"
    # And only the holder releases it
    assert not store.release(case_id, "ana")
    assert store.release(case_id, "luis")
    assert store.lease(case_id) is None


def test_claiming_a_case_that_is_not_there_is_a_lookup_error(stack, table):
    with pytest.raises(LookupError):
        DynamoDBConsoleCases(table).claim("20990101-0000000000000000", "ana", NOW)


def test_a_correction_changes_triage_and_is_on_the_timeline_with_who_from_and_to(stack, table):
    # Given a derived case triaged as something
    case = derived_case(stack)
    before = case["triage"]["priority"]
    after = "P1" if before != "P1" else "P4"
    store = DynamoDBConsoleCases(table)
    # When ana corrects its priority
    fix = Correction(CorrectedField.PRIORITY, before, after)
    assert store.correct(case["id"], fix, NOW, "ana")
    # Then the case says the new priority, the timeline who changed it from what to what,
    # and the case is listed for the triage corpus
    stored = stack.get_case(case["id"])
    assert stored["triage"]["priority"] == after and stored["priority"] == after
    [event] = [e for e in stored["timeline"] if e["kind"] == "triage_correction"]
    assert event["data"] == {"by": "ana", "field": "priority", "from": before, "to": after}
    assert store.corrected_cases() == [case["id"]]


def test_assigning_marking_a_crisis_and_reopening_are_on_the_timeline(stack, table):
    case_id = derived_case(stack)["id"]
    store = DynamoDBConsoleCases(table)
    assert store.assign(case_id, "luis", NOW, "ana")
    assert store.mark_crisis(case_id, "outage", NOW, "ana")
    assert stack.get_case(case_id)["assignee"] == "luis"
    assert store.reopen(case_id, NOW, "ana") == "not_closed"
    assert store.assign(case_id, None, NOW + timedelta(seconds=1), "ana")
    stored = stack.get_case(case_id)
    assert "assignee" not in stored and stored["crisis_topic"] == "outage"
    assert kinds(stored).count("assigned") == 2 and "crisis_marked" in kinds(stored)


def test_the_audit_lists_a_persons_last_actions_newest_first(stack, table):
    audit = DynamoDBConsoleAudit(table)
    for minute in range(7):
        at = (NOW + timedelta(minutes=minute)).isoformat().replace("+00:00", "Z")
        audit.record(AuditEntry("ana", "reply", at, "20260101-abc", f"public {minute}"))
    audit.record(AuditEntry("luis", "close", "2026-01-01T00:00:00.000Z", "20260101-abc"))
    last = audit.last_actions("ana", limit=5)
    assert [e.detail for e in last] == [f"public {m}" for m in (6, 5, 4, 3, 2)]
    assert [e.action for e in audit.last_actions("luis")] == ["close"]
