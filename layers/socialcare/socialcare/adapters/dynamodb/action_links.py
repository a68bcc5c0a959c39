"""A derivation's link: opened with the workflow's task token, used once by the
department's answer, superseded when the wait times out, and a late answer through it
noted once (ports/workflow.ActionLinkRecords).

  ACTION#<opaque id> / ACTION          a derivation's link: task token, CSRF token, status
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.case_records import action_from_item
from socialcare.adapters.dynamodb.items import about_case, encode_item
from socialcare.adapters.dynamodb.table import CasesTable, raise_missing
from socialcare.domain.action_links import ActionLink, Answer, GoneReason
from socialcare.domain.cases import SuggestedReplies
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import WaitPlan

# Action links are kept well past their deadline so a late click still finds its case.
ACTION_RETENTION = timedelta(days=90)


class DynamoDBActionLinks:
    """Heat: one ACTION# key per derivation, and its case's partition."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def open_derivation(
        self,
        case_id: str,
        action_id: str,
        *,
        task_token: str,
        csrf_token: str,
        plan: WaitPlan,
        milestones: dict[str, Any],
        recipients: list[str],
        now: datetime,
        status: str,
        replies: SuggestedReplies | None = None,
    ) -> None:
        action = encode_item(
            PK=f"ACTION#{action_id}",
            SK="ACTION",
            entity="action",
            case_id=case_id,
            task_token=task_token,
            csrf_token=csrf_token,
            plan=plan.as_dict(),
            recipients=recipients,
            status="pending",
            created_at=utc_iso(now),
            expires_at=int((now + ACTION_RETENTION).timestamp()),
            **about_case(case_id, f"ACTION#{action_id}"),
        )
        sets = {
            "status": status,
            "department": plan.department,
            "escalation_level": plan.level,
            "hops": plan.hops,
            "deadline": plan.deadline,
            "current_action": action_id,
            "updated_at": utc_iso(now),
            **milestones,
        }
        # Each reply composed again; the note stays triage's (the kinds of personal data
        # it names are not kept).
        for name, text in (replies.as_dict() if replies else {}).items():
            if name != "note" and text is not None:
                sets[f"triage.suggested_replies.{name}"] = text
        # Who held the case since when: the report's time spent in each department.
        stop = {"department": plan.department, "level": plan.level, "at": utc_iso(now)}
        self._table.transact(
            [
                {
                    "Put": {
                        "TableName": self._table.name,
                        "Item": action,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                self._table.case_update(
                    case_id,
                    sets,
                    # An update creates a missing item: never a partial case of an erased one.
                    condition="attribute_exists(PK) AND attribute_not_exists(closed_at)",
                    appends={"route": stop},
                ),
                self._table.event(
                    case_id,
                    now,
                    plan.reason,
                    actor="workflow",
                    department=plan.department,
                    level=plan.level,
                    deadline=plan.deadline,
                    to=", ".join(recipients),
                ),
            ]
        ) or raise_missing(case_id)

    def action(self, action_id: str) -> ActionLink | None:
        item = self._table.get(encode_item(PK=f"ACTION#{action_id}", SK="ACTION"))
        return action_from_item(action_id, item) if item else None

    def use_action(
        self, action_id: str, choice: str, note: str, now: datetime, *, actor: str = ""
    ) -> bool:
        """Pending -> used, once: the single use of a link. False if it was not pending."""
        return self._move_action(
            action_id,
            "pending",
            "used",
            choice=choice,
            note=note,
            actor=actor or None,
            used_at=utc_iso(now),
        )

    def supersede_action(self, action_id: str, reason: str, now: datetime) -> bool:
        """The wait is over (timeout): later clicks are told the case moved on."""
        return self._move_action(action_id, "pending", reason, superseded_at=utc_iso(now))

    def release_action(self, action_id: str, status: str) -> bool:
        """Used -> `status`: the answer could not reach the workflow (pending: try again;
        escalated: the wait had already timed out)."""
        return self._move_action(action_id, "used", status)

    def _move_action(self, action_id: str, current: str, new: str, **fields: Any) -> bool:
        """The link's status from `current` to `new` (with `fields`), or False."""
        sets = {"status": new, **{k: v for k, v in fields.items() if v is not None}}
        names = {f"#f{i}": name for i, name in enumerate(sets)}
        values = {f":v{i}": value for i, value in enumerate(sets.values())}
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=f"ACTION#{action_id}", SK="ACTION"),
            UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(sets))),
            ConditionExpression="#f0 = :current",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=encode_item(**values, **{":current": current}),
        )

    def record_late_answer(
        self, link: ActionLink, answer: Answer, reason: GoneReason, now: datetime
    ) -> bool:
        """An answer through a link that no longer acts, noted on the case's timeline:
        once per link (the link keeps when). False when the link had one already."""
        return self._table.transact(
            [
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": encode_item(PK=f"ACTION#{link.id}", SK="ACTION"),
                        "UpdateExpression": "SET late_answer_at = :now",
                        "ConditionExpression": (
                            "attribute_exists(PK) AND attribute_not_exists(late_answer_at)"
                        ),
                        "ExpressionAttributeValues": encode_item(**{":now": utc_iso(now)}),
                    }
                },
                self._table.event(
                    link.case_id,
                    now,
                    "late_answer",
                    actor=answer.actor,
                    link=reason.value,
                    **answer.details(),
                ),
            ]
        )
