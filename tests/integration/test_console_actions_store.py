"""The console's DynamoDB stores on the local stack (moto's DynamoDB, in this process): the
reply lease is one conditional update that names who holds it, corrections and other
actions land on the timeline with the username, a closed case reopens only when its
author has no other open case, and the audit keeps each person's last actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
from socialcare.adapters.dynamodb.console_audit import DynamoDBConsoleAudit
from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
from socialcare.adapters.dynamodb.items import author_pk, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.config.loaders import routing_config
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
    after = store.claim(case_id, "luis", NOW + timedelta(seconds=LEASE_SECONDS))
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
    assert stored["needs_review"] is False
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


def test_flags_are_corrected_in_the_map_and_beside_it(stack, table):
    case = derived_case(stack)
    store = DynamoDBConsoleCases(table)
    fix = Correction(CorrectedField.FLAGS, "", "urgent,crisis")
    assert store.correct(case["id"], fix, NOW, "ana")
    stored = stack.get_case(case["id"])
    assert stored["flags"] == ["urgent", "crisis"]
    assert stored["triage"]["urgent"] is True and stored["triage"]["low_confidence"] is False


def test_a_closed_case_reopens_as_its_authors_open_case(stack, table):
    # Given a derived case closed by the team
    case = derived_case(stack)
    states = DynamoDBCaseStates(table, routing_config().retention)
    assert states.close_case(case["id"], "resolved", NOW, actor="ana")
    store = DynamoDBConsoleCases(table)
    # When it is reopened
    assert store.reopen(case["id"], NOW + timedelta(minutes=1), "ana") is None
    # Then it is open (no closing time, no expiry) and its author's open case again
    stored = stack.get_case(case["id"])
    assert "closed_at" not in stored and "expires_at" not in stored
    assert stored["status"] == "triaged" and "reopened" in kinds(stored)
    assert stored["GSI3PK"].startswith("OPEN#")  # in the inbox's open cases again
    pointer = table.get(encode_item(PK=author_pk(stored["author_key"]), SK="OPEN_CASE"))
    assert pointer["case_id"] == case["id"]
    # And reopening it again is refused: it is open
    assert store.reopen(case["id"], NOW, "ana") == "not_closed"


def test_a_case_does_not_reopen_while_its_author_has_another_open_case(stack, table):
    case = derived_case(stack)
    states = DynamoDBCaseStates(table, routing_config().retention)
    assert states.close_case(case["id"], "resolved", NOW, actor="ana")
    other = encode_item(PK=author_pk(case["author_key"]), SK="OPEN_CASE", case_id="other")
    table.client.put_item(TableName=table.name, Item=other)
    store = DynamoDBConsoleCases(table)
    assert store.reopen(case["id"], NOW, "ana") == "author_has_open_case"
    assert stack.get_case(case["id"])["closed_at"]
