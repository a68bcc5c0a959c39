"""Where a report's cases come from: the cases table's day index (GSI1), which holds the
day's case items and the anonymised facts erased cases left there (domain/case_facts.py).
A case item is read as the row a report needs (domain/case_rows.py): past this module,
nothing knows the item's attribute names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socialcare.adapters.dynamodb.day_index import day_keys
from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.adapters.dynamodb.sharded_queries import query_keys
from socialcare.domain.case_facts import ERASED_CASE, ReportedCase, erased_facts
from socialcare.domain.case_rows import CaseRow
from socialcare.domain.cases import RouteStop


class DynamoDBCaseDays:
    """The case items (and erased cases' facts) of a UTC day: one Query on GSI1 per key the
    day's items may carry (day_index.py: every shard, and the unsharded key of items
    written before the shards), a few in flight at once, each page by page.

    Heat: read by the report schedule alone (a day's keys once per run), never by traffic."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def cases_created_on(
        self, day: str, since: str | None = None, until: str | None = None
    ) -> Iterator[ReportedCase]:
        """`since`/`until` (UTC ISO, until excluded) read only that part of the day: a
        local day spans two UTC days, and each is read for its own part only."""
        condition = "GSI1PK = :day"
        values: dict[str, Any] = {}
        if since and until:
            # GSI1SK is "<created_at>#<id>": "#" sorts before every digit of a time.
            condition += " AND GSI1SK BETWEEN :since AND :until"
            values.update({":since": since, ":until": until})

        def request(key: str) -> dict[str, Any]:
            return {
                "TableName": self._table,
                "IndexName": "GSI1",
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": encode_item(**{":day": key, **values}),
            }

        for item in query_keys(self._client, day_keys(day), request):
            yield reported_case(decode_item(item))


def reported_case(item: dict[str, Any]) -> ReportedCase:
    """A decoded item of the day index: an erased case's facts, or a case's row."""
    return erased_facts(item) if item.get("entity") == ERASED_CASE else case_row(item)


def case_row(item: dict[str, Any]) -> CaseRow:
    """What a report reads of a decoded case item."""
    triage = item.get("triage") or {}
    author = item.get("author") or {}
    return CaseRow(
        id=str(item["id"]),
        created_at=str(item.get("created_at", "")),
        channel=str(item["channel"]) if "channel" in item else None,
        status=str(item["status"]) if "status" in item else None,
        priority=_text(item.get("priority") or triage.get("priority")),
        department=_text(item.get("department")),
        category=_text(triage.get("category")),
        relation=_text(triage.get("relation")),
        authority_mentioned=bool(triage.get("authority_mentioned")),
        personal_data_exposed=bool(triage.get("personal_data_exposed")),
        topics=tuple(triage.get("topics") or ()),
        first_message_at=_text(item.get("first_message_at")),
        first_public_response_at=_text(item.get("first_public_response_at")),
        derived_at=_text(item.get("derived_at")),
        department_action_at=_text(item.get("department_action_at")),
        escalated_l1_at=_text(item.get("escalated_l1_at")),
        escalated_l2_at=_text(item.get("escalated_l2_at")),
        resolved_at=_text(item.get("resolved_at")),
        contacted_at=_text(item.get("contacted_at")),
        closed_at=_text(item.get("closed_at")),
        crisis_alert_at=_text(item.get("crisis_alert_at")),
        survey_sent_at=_text(item.get("survey_sent_at")),
        sla_breached=bool(item.get("sla_breached")),
        resolved_late=bool(item.get("resolved_late")),
        hops=int(item.get("hops") or 0),
        customer_returns=int(item.get("customer_returns") or 0),
        survey_score=_number(item.get("survey_score")),
        route=tuple(
            RouteStop(
                str(stop.get("department")), int(stop.get("level") or 0), str(stop.get("at") or "")
            )
            for stop in item.get("route") or ()
        ),
        author_name=str(author.get("display_name") or author.get("handle") or ""),
    )


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
