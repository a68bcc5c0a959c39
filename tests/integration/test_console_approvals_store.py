"""The approvals' store against the local stack's DynamoDB: submitting counts the reply on
its case and puts it on the timeline, one decision only, the waiting queue empties."""

from __future__ import annotations

import pytest

from socialcare.adapters.dynamodb.approvals import DynamoDBApprovals
from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.approvals import ApprovalState, PendingApproval, approval_id_for
from tests.unit.console.approval_fakes import CASE_ID, a_draft

AT = "2026-12-07T22:00:00.000Z"


@pytest.fixture
def table(stack):
    table = CasesTable(stack.client("dynamodb"), stack.cases_table)
    table.client.put_item(
        TableName=table.name,
        Item=encode_item(PK=f"CASE#{CASE_ID}", SK="CASE", id=CASE_ID, status="triaged"),
    )
    return table


def _case(table: CasesTable) -> dict:
    return table.case_item(CASE_ID)


def _timeline(table: CasesTable) -> list[tuple[str, dict]]:
    items = table.client.query(
        TableName=table.name,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :ev)",
        ExpressionAttributeValues=encode_item(**{":pk": f"CASE#{CASE_ID}", ":ev": "EVENT#"}),
    )["Items"]
    return [(e["kind"], e.get("data") or {}) for e in map(decode_item, items)]


def test_a_reply_waits_once_decided_once_and_counted_on_its_case(table):
    # Given a reply submitted for approval
    store = DynamoDBApprovals(table)
    approval = PendingApproval(
        approval_id_for(CASE_ID, AT, "a1b2c3"), a_draft(), ("authority_mentioned",), AT
    )
    store.submit(approval)

    # Then it is waiting, found by its id and its case, counted on the case
    assert store.waiting() == [approval]
    assert store.approval(approval.id) == approval
    assert store.of_case(CASE_ID) == [approval]
    assert _case(table)["approval_pending"] == 1

    # When two approvers decide it
    first = store.decide(approval.approved("pablo", "2026-12-07T22:05:00.000Z", "Nuevo"))
    second = store.decide(approval.returned("marta", "2026-12-07T22:05:01.000Z", "no"))
    store.record_result(approval, "sent")

    # Then only the first decision holds, the queue is empty, the count is down
    assert (first, second) == (True, False)
    kept = store.approval(approval.id)
    assert kept is not None
    assert (kept.state, kept.decided_by, kept.edited_text, kept.result) == (
        ApprovalState.APPROVED,
        "pablo",
        "Nuevo",
        "sent",
    )
    assert store.waiting() == []
    assert _case(table)["approval_pending"] == 0
    events = _timeline(table)
    assert [kind for kind, _ in events] == ["reply_submitted_for_approval", "reply_approved"]
    assert events[0][1]["by"] == "ana"
    assert (events[1][1]["by"], events[1][1]["edited"]) == ("pablo", True)


def test_a_reply_on_a_case_not_stored_is_not_kept(table):
    # Given an approval of a case the table does not have
    store = DynamoDBApprovals(table)
    other = "20261207-fedcba9876543210"
    approval = PendingApproval(
        approval_id_for(other, AT, "a1b2c3"), a_draft(case_id=other), ("reach",), AT
    )

    # Then it is refused and nothing waits
    with pytest.raises(LookupError):
        store.submit(approval)
    assert store.waiting() == []
