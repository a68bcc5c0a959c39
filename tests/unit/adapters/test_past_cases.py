"""The stored cases a rehearsal reads: the period's triaged cases, each with the words
triage read (not a returning customer's later messages), from Scan pages only."""

from __future__ import annotations

from datetime import date
from typing import Any

from socialcare.adapters.dynamodb.items import encode_item
from socialcare.adapters.dynamodb.past_cases import DynamoDBPastCases

TRIAGE = {
    "category": "complaint",
    "priority": "P3",
    "department": "claims",
    "autonomous": False,
    "urgent": False,
    "authority_mentioned": False,
    "needs_review": False,
    "suggested_replies": {"public": "Lo sentimos"},
}


class _Scans:
    """A DynamoDB client that answers Scan in pages and nothing else."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = [encode_item(**item) for item in items]
        self.calls: list[dict[str, Any]] = []

    def get_paginator(self, name: str) -> _Scans:
        assert name == "scan"
        return self

    def paginate(self, **kwargs: Any):
        self.calls.append(kwargs)
        yield {"Items": self.items[:3]}
        yield {"Items": self.items[3:]}


def _case(case_id: str, created: str, **more: Any) -> dict[str, Any]:
    return {
        "PK": f"CASE#{case_id}",
        "SK": "CASE",
        "id": case_id,
        "channel": "messenger",
        "created_at": created,
        "triaged_at": created.replace(":00.000Z", ":05.000Z"),
        "status": "derived",
        "reply_to": {"message_id": "m1"},
        **more,
    }


def _message(case_id: str, at: str, text: str) -> dict[str, Any]:
    return {"PK": f"CASE#{case_id}", "SK": f"MSG#{at}#x", "text": text, "received_at": at}


def test_the_periods_triaged_cases_with_what_triage_read():
    # Given a case of the period with a later message and one read from the platform,
    # an untriaged case, and a case of another day
    client = _Scans(
        [
            _message("b", "2026-12-02T10:00:06.000Z", "y vuelvo a escribir"),
            _case("b", "2026-12-02T10:00:00.000Z", triage=TRIAGE, details={"text": "leído"}),
            _message("b", "2026-12-02T10:00:00.000Z", "un siniestro sin perito"),
            _case("a", "2026-12-02T09:00:00.000Z", triage=TRIAGE),
            _message("a", "2026-12-02T09:00:00.000Z", "me cobran dos veces"),
            _case("new", "2026-12-02T11:00:00.000Z"),
            _case("old", "2026-11-30T09:00:00.000Z", triage=TRIAGE),
        ]
    )
    # When the rehearsal reads the 1st to the 2nd of December
    cases = list(
        DynamoDBPastCases(client, "cases").past_cases(date(2026, 12, 1), date(2026, 12, 2))
    )
    # Then it has the triaged cases of those days, oldest first, with what triage read
    assert [case.id for case in cases] == ["a", "b"]
    assert cases[0].text == "me cobran dos veces"
    assert cases[1].text == "leído"  # the platform's text over the first, not the later one
    assert cases[1].triage.department == "claims" and cases[1].triage.public_reply == "Lo sentimos"
    # And it only scanned
    assert [sorted(call) for call in client.calls] == [
        ["ExpressionAttributeValues", "FilterExpression", "TableName"]
    ]
