"""What changes a case's state after it was recorded: triage, the workflow started, a
department's answer, a late answer resolving a breached case, closing (the author may
then open a new case)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.case_records import (
    details_item,
)
from socialcare.adapters.dynamodb.items import author_pk, encode_item
from socialcare.adapters.dynamodb.open_case_index import OPEN_CASE_KEYS, inbox_fields
from socialcare.adapters.dynamodb.table import CasesTable, raise_missing
from socialcare.domain.action_links import Answer
from socialcare.domain.cases import CaseStatus, FinalStatus
from socialcare.domain.clock import utc_iso
from socialcare.domain.routing import Retention
from socialcare.domain.triage_decision import TriageDecision


class DynamoDBCaseStates:
    """A case's life after it was recorded: triaged, started, answered, closed
    (ports/triage.TriageRecords, ports/workflow.CaseClosing).

    Heat: one case's partition (and its author's AUTHOR# pointer) per call."""

    def __init__(self, table: CasesTable, retention: Retention) -> None:
        self._table = table
        # How long a closed case is kept (config/routing.yaml): the only store that needs
        # it, so the webhook's table never loads the routing file.
        self._retention = retention

    def begin_triage(self, case_id: str, decision: TriageDecision, now: datetime) -> bool:
        """NEW -> TRIAGED with the assessment, once (False when it was not NEW)."""
        triage = decision.triage_map()
        publish, media, details = decision.publish, decision.media_link, decision.details
        fields = {
            "priority": decision.assessment.priority,
            "department": decision.department,
            "publish_link": (
                {"key": publish.key, "csrf_token": publish.csrf_token} if publish else None
            ),
            "customer_reference": decision.customer_reference,
            "media_link": {"key": media.key, "expires_at": media.expires_at} if media else None,
            "details": details_item(details) if details is not None else None,
        }
        sets = {
            "status": CaseStatus.TRIAGED.value,
            "triage": triage,
            "triaged_at": utc_iso(now),
            "updated_at": utc_iso(now),
            **({"wait_plan": decision.plan.as_dict()} if decision.plan else {}),
            **inbox_fields(triage),
            **_review_fields(decision),  # triage's own needs_review (issue 34) wins
        }
        sets.update({k: v for k, v in fields.items() if v is not None})
        condition = "#f0 = :new AND attribute_not_exists(closed_at)"
        return self._table.transact(
            [
                self._table.case_update(
                    case_id, sets, condition=condition, values={":new": CaseStatus.NEW.value}
                ),
                self._table.event(case_id, now, "triaged", actor="triage", **_summary(triage)),
            ]
        )

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None:
        sets = {"workflow_started_at": utc_iso(now), "workflow_execution_arn": execution_arn}
        # One conditional UpdateItem: a transaction of one item bills twice the units.
        update = self._table.case_update(case_id, sets, condition="attribute_exists(PK)")
        self._table.write(
            self._table.client.update_item, "ConditionalCheckFailedException", **update["Update"]
        ) or raise_missing(case_id)

    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool:
        """Final status, closing time, and the author may open a new case. False when the
        case was closed already (a retried step)."""
        case = self._table.case_item(case_id)
        return self._table.transact(self._closing(case, status, now, actor=actor, **fields))

    def _closing(
        self, case: dict[str, Any], status: str, now: datetime, *, actor: str, **fields: Any
    ) -> list[dict[str, Any]]:
        """The writes that close `case` (its CASE item as read), in one transaction."""
        case_id = case["id"]
        sets: dict[str, Any] = {
            "status": status,
            "closed_at": utc_iso(now),
            "updated_at": utc_iso(now),
        }
        sets.update({k: v for k, v in fields.items() if v is not None})
        # DynamoDB's TTL deletes the case then; its other items follow (app/retention.py).
        sets["expires_at"] = self._retention.closed_case_expiry(now)
        return [
            # Out of the open cases' index (the console's inbox) with the closing itself.
            self._table.case_update(
                case_id, sets, condition="attribute_not_exists(closed_at)", removes=OPEN_CASE_KEYS
            ),
            # A millisecond later: closing follows whatever else happened at `now`.
            self._table.event(
                case_id, now + timedelta(milliseconds=1), "closed", actor=actor, status=status
            ),
            {
                "Delete": {
                    "TableName": self._table.name,
                    "Key": encode_item(PK=author_pk(case["author_key"]), SK="OPEN_CASE"),
                    "ConditionExpression": "attribute_not_exists(PK) OR case_id = :case",
                    "ExpressionAttributeValues": encode_item(**{":case": case_id}),
                }
            },
        ]

    def record_answer(self, case_id: str, answer: Answer) -> bool:
        """A department's answer on the timeline, the first one's time for the KPIs, and
        the closing when it closes the case. Safe to retry: the event's key is its time."""
        at = datetime.fromisoformat(answer.at.replace("Z", "+00:00"))
        event = self._table.event(
            case_id, at, "department_action", actor=answer.actor, **answer.details()
        )
        case = self._table.case_item(case_id)
        first = {} if case.get("department_action_at") else {"department_action_at": answer.at}
        closing_status = answer.closing_status
        if closing_status:
            closing = self._closing(
                case, closing_status.value, at, actor=answer.actor, **first, **answer.milestones()
            )
            return self._table.transact([*closing, event])
        items = [event]
        if first:
            items.append(self._table.case_update(case_id, first, condition="attribute_exists(PK)"))
        return self._table.transact(items)

    def resolve_late(self, case_id: str, answer: Answer, now: datetime) -> bool:
        status = answer.closing_status
        if status is None:
            return False
        sets = {"status": status.value, "resolved_late": True, "updated_at": utc_iso(now)}
        sets.update(answer.milestones())
        return self._table.transact(
            [
                self._table.case_update(
                    case_id,
                    sets,
                    condition="#status = :breached",
                    values={":breached": FinalStatus.BREACHED.value},
                    names={"#status": "status"},
                ),
                self._table.event(
                    case_id, now, "resolved_late", actor=answer.actor, status=status.value
                ),
            ]
        )


def _summary(triage: dict[str, Any]) -> dict[str, Any]:
    keys = ("category", "priority", "department", "relation", "autonomous", "needs_review")
    summary = {k: triage.get(k) for k in keys}
    if triage.get("review_reasons"):
        summary["review_reasons"] = triage["review_reasons"]
    return summary


def _review_fields(decision: TriageDecision) -> dict[str, Any]:
    """The case item's review state (the console's review queue reads `needs_review`;
    a person's confirmation or correction clears it) and the second opinion, if asked."""
    triage = decision.assessment.triage
    fields: dict[str, Any] = {"needs_review": triage.needs_review}
    if triage.review_reasons:
        fields["review_reasons"] = list(triage.review_reasons)
    if decision.second_opinion is not None:
        fields["second_opinion"] = decision.second_opinion.as_dict()
    return fields
