"""The stored cases of a period as a protocol rehearsal reads them: one Scan of the cases
table (its pages, read only), keeping each case's CASE item and its messages. Heat: an
operator's command, never traffic (a Scan spreads over every partition and reads every
item once: about 1 read unit per 8 KB, eventually consistent)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from socialcare.adapters.dynamodb.items import decode_item
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.messages import Channel
from socialcare.domain.rehearsal import PastCase, PastTriage

# Only a case's own item and its messages: the timeline and the rest stay on the server
# (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.FilterExpression:
# a filter saves transfer, not read units).
_FILTER = "begins_with(PK, :case) AND (SK = :item OR begins_with(SK, :message))"


class DynamoDBPastCases:
    """ports/rehearsal.PastCases."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def past_cases(self, first_day: date, last_day: date) -> Iterator[PastCase]:
        first, last = first_day.isoformat(), last_day.isoformat()
        cases: dict[str, dict[str, Any]] = {}
        messages: dict[str, list[dict[str, Any]]] = {}
        for item in self._items():
            plain = decode_item(item)
            if plain["SK"] == "CASE":
                cases[plain["PK"]] = plain
            else:
                messages.setdefault(plain["PK"], []).append(plain)
        chosen = [
            case
            for case in cases.values()
            if first <= str(case.get("created_at", ""))[:10] <= last and case.get("triage")
        ]
        chosen.sort(key=lambda case: (case["created_at"], case["id"]))
        for case in chosen:
            yield past_case(case, sorted(messages.get(case["PK"], []), key=lambda m: m["SK"]))

    def _items(self) -> Iterator[dict[str, Any]]:
        pages = self._client.get_paginator("scan").paginate(
            TableName=self._table,
            FilterExpression=_FILTER,
            ExpressionAttributeValues={
                ":case": {"S": "CASE#"},
                ":item": {"S": "CASE"},
                ":message": {"S": "MSG#"},
            },
        )
        for page in pages:
            yield from page["Items"]


def past_case(case: dict[str, Any], messages: list[dict[str, Any]]) -> PastCase:
    """The case as triage read it (the messages it had, the platform's text over the
    first) and what its item says happened since."""
    triage = case["triage"]
    triaged_at = str(case.get("triaged_at") or case["created_at"])
    plan = case.get("wait_plan")
    author = case.get("author") or {}
    followers = author.get("followers")
    replies = triage.get("suggested_replies") or {}
    return PastCase(
        id=str(case["id"]),
        created_at=str(case["created_at"]),
        triaged_at=_at(triaged_at),
        channel=Channel(str(case["channel"])),
        public=bool(case.get("public")),
        text=_text_at(case, messages, triaged_at),
        triage=PastTriage(
            category=triage.get("category"),
            priority=triage.get("priority"),
            department=None if triage.get("autonomous") else triage.get("department"),
            urgent=bool(triage.get("urgent")),
            authority=bool(triage.get("authority_mentioned")),
            needs_review=bool(triage.get("needs_review")),
            flags=_flags(triage),
            crisis=bool(triage.get("crisis")),
            public_reply=replies.get("public"),
            confidence=_number(triage.get("confidence")),
            sentiment=triage.get("sentiment"),
            language=triage.get("language"),
            relation=triage.get("relation"),
            safety=bool(triage.get("safety")),
            personal_data_exposed=bool(triage.get("personal_data_exposed")),
            review_reasons=tuple(str(r) for r in triage.get("review_reasons") or ()),
        ),
        followers=int(followers) if followers is not None else None,
        known_customer=bool(case.get("customer_reference")),
        language=case.get("language"),
        answerable=bool((case.get("reply_to") or {}).get("message_id")),
        crisis_topic=case.get("crisis_topic") or None,
        status=str(case.get("status", "new")),
        plan=WaitPlan.from_dict(plan) if plan else None,
        derived_at=_optional(case.get("derived_at")),
        answered_at=_optional(case.get("department_action_at")),
        last_seen_at=_optional(case.get("closed_at") or case.get("updated_at")),
    )


def _flags(triage: dict[str, Any]) -> tuple[str, ...]:
    from socialcare.domain.cases import TRIAGE_FLAGS

    return tuple(flag for flag in TRIAGE_FLAGS if triage.get(flag))


def _text_at(case: dict[str, Any], messages: list[dict[str, Any]], triaged_at: str) -> str:
    """The messages received by triage's moment (a returning customer's later ones were
    not read by it), the text read from the platform in place of the first."""
    texts = [
        str(m.get("text", "")) for m in messages if str(m.get("received_at", "")) <= triaged_at
    ]
    if not texts and messages:
        texts = [str(messages[0].get("text", ""))]
    details = case.get("details") or {}
    if details.get("text") is not None and texts:
        texts[0] = str(details["text"])
    return "\n".join(texts)


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None  # DynamoDB's Decimal


def _optional(value: Any) -> datetime | None:
    return _at(str(value)) if value else None


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))
