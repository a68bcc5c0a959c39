"""What the case workflow and the action links write: triage, derivations, actions,
escalations, closing, crisis counters. Same table and plumbing as the case store.

  ACTION#<opaque id> / ACTION          a derivation's link: task token, CSRF token, status
  CRISIS#<topic> / CASE#<created_at>#<id>  a negative case on the topic (TTL)
  CRISIS#<topic> / ALERT                   when the last crisis alert went out
  CASE#<id> / EMAIL_OWED#<key>             an email SES would not send (owed_emails.py)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.alerts import CaseAlerts
from socialcare.adapters.dynamodb.case_records import (
    action_from_item,
    case_from_view,
    details_item,
)
from socialcare.adapters.dynamodb.cases import DynamoDBCaseStore
from socialcare.adapters.dynamodb.items import about_case, author_pk, case_pk, encode_item
from socialcare.adapters.dynamodb.outbound import OutboundActions
from socialcare.adapters.dynamodb.owed_emails import OwedEmailRecords
from socialcare.domain.action_links import ActionLink, Answer, GoneReason
from socialcare.domain.cases import Case, CaseStatus, FinalStatus, SuggestedReplies
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.routing import Retention
from socialcare.domain.triage_decision import TriageDecision

# Action links are kept well past their deadline so a late click still finds its case.
ACTION_RETENTION = timedelta(days=90)


class CaseWorkflowStore(CaseAlerts, OutboundActions, OwedEmailRecords, DynamoDBCaseStore):
    def __init__(self, client: Any, table_name: str, retention: Retention | None = None) -> None:
        super().__init__(client, table_name)
        self._retention = retention or Retention()

    # --- triage and closing ---------------------------------------------------------------

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
        }
        sets.update({k: v for k, v in fields.items() if v is not None})
        condition = "#f0 = :new AND attribute_not_exists(closed_at)"
        return self._transact(
            [
                self._case_update(
                    case_id, sets, condition=condition, values={":new": CaseStatus.NEW.value}
                ),
                self._event(case_id, now, "triaged", actor="triage", **_summary(triage)),
            ]
        )

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None:
        sets = {"workflow_started_at": utc_iso(now), "workflow_execution_arn": execution_arn}
        self._transact(
            [self._case_update(case_id, sets, condition="attribute_exists(PK)")]
        ) or self._raise_missing(case_id)

    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool:
        """Final status, closing time, and the author may open a new case. False when the
        case was closed already (a retried step)."""
        case = self._case_item(case_id)
        return self._transact(self._closing(case, status, now, actor=actor, **fields))

    def _closing(
        self, case: dict[str, Any], status: str, now: datetime, *, actor: str, **fields: Any
    ) -> list[dict[str, Any]]:
        """The writes that close `case` (its CASE item as read), in one transaction."""
        case_id = case["id"]
        sets = {"status": status, "closed_at": utc_iso(now), "updated_at": utc_iso(now)}
        sets.update({k: v for k, v in fields.items() if v is not None})
        # DynamoDB's TTL deletes the case then; its other items follow (app/retention.py).
        sets["expires_at"] = self._retention.closed_case_expiry(now)
        return [
            self._case_update(case_id, sets, condition="attribute_not_exists(closed_at)"),
            # A millisecond later: closing follows whatever else happened at `now`.
            self._event(
                case_id, now + timedelta(milliseconds=1), "closed", actor=actor, status=status
            ),
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": encode_item(PK=author_pk(case["author_key"]), SK="OPEN_CASE"),
                    "ConditionExpression": "attribute_not_exists(PK) OR case_id = :case",
                    "ExpressionAttributeValues": encode_item(**{":case": case_id}),
                }
            },
        ]

    def _case_item(self, case_id: str) -> dict[str, Any]:
        case = self._get(encode_item(PK=case_pk(case_id), SK="CASE"))
        if case is None:
            self._raise_missing(case_id)
        return case

    # --- derivations and actions ------------------------------------------------------------

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
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": action,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                self._case_update(
                    case_id,
                    sets,
                    # An update creates a missing item: never a partial case of an erased one.
                    condition="attribute_exists(PK) AND attribute_not_exists(closed_at)",
                    appends={"route": stop},
                ),
                self._event(
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
        ) or self._raise_missing(case_id)

    def case(self, case_id: str) -> Case | None:
        view = self.get_case(case_id)
        return case_from_view(view) if view else None

    def action(self, action_id: str) -> ActionLink | None:
        item = self._get(encode_item(PK=f"ACTION#{action_id}", SK="ACTION"))
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
        return self._write(
            self._client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table,
            Key=encode_item(PK=f"ACTION#{action_id}", SK="ACTION"),
            UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(sets))),
            ConditionExpression="#f0 = :current",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=encode_item(**values, **{":current": current}),
        )

    def record_answer(self, case_id: str, answer: Answer) -> bool:
        """A department's answer on the timeline, the first one's time for the KPIs, and
        the closing when it closes the case. Safe to retry: the event's key is its time."""
        at = datetime.fromisoformat(answer.at.replace("Z", "+00:00"))
        event = self._event(
            case_id, at, "department_action", actor=answer.actor, **answer.details()
        )
        case = self._case_item(case_id)
        first = {} if case.get("department_action_at") else {"department_action_at": answer.at}
        closing_status = answer.closing_status
        if closing_status:
            closing = self._closing(
                case, closing_status.value, at, actor=answer.actor, **first, **answer.milestones()
            )
            return self._transact([*closing, event])
        items = [event]
        if first:
            items.append(self._case_update(case_id, first, condition="attribute_exists(PK)"))
        return self._transact(items)

    def record_late_answer(
        self, link: ActionLink, answer: Answer, reason: GoneReason, now: datetime
    ) -> bool:
        """An answer through a link that no longer acts, noted on the case's timeline:
        once per link (the link keeps when). False when the link had one already."""
        return self._transact(
            [
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": encode_item(PK=f"ACTION#{link.id}", SK="ACTION"),
                        "UpdateExpression": "SET late_answer_at = :now",
                        "ConditionExpression": (
                            "attribute_exists(PK) AND attribute_not_exists(late_answer_at)"
                        ),
                        "ExpressionAttributeValues": encode_item(**{":now": utc_iso(now)}),
                    }
                },
                self._event(
                    link.case_id,
                    now,
                    "late_answer",
                    actor=answer.actor,
                    link=reason.value,
                    **answer.details(),
                ),
            ]
        )

    def resolve_late(self, case_id: str, answer: Answer, now: datetime) -> bool:
        status = answer.closing_status
        if status is None:
            return False
        sets = {"status": status.value, "resolved_late": True, "updated_at": utc_iso(now)}
        sets.update(answer.milestones())
        return self._transact(
            [
                self._case_update(
                    case_id,
                    sets,
                    condition="#status = :breached",
                    values={":breached": FinalStatus.BREACHED.value},
                    names={"#status": "status"},
                ),
                self._event(case_id, now, "resolved_late", actor=answer.actor, status=status.value),
            ]
        )

    # --- plumbing -------------------------------------------------------------------------

    def _case_update(
        self,
        case_id: str,
        sets: dict[str, Any],
        *,
        condition: str,
        appends: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        names: dict[str, str] | None = None,
    ) -> dict:
        """SET each of `sets`; append each value of `appends` to its list attribute;
        `values` and `names`: the condition's own placeholders."""
        names, paths = dict(names or {}), []
        for i, name in enumerate(sets):  # "a.b": a member of map a
            parts = {f"#f{i}p{j}" if j else f"#f{i}": p for j, p in enumerate(name.split("."))}
            names.update(parts)
            paths.append(".".join(parts))
        values = {**(values or {}), **{f":v{i}": value for i, value in enumerate(sets.values())}}
        clauses = [f"{path} = :v{i}" for i, path in enumerate(paths)]
        for i, (name, value) in enumerate((appends or {}).items()):
            names[f"#a{i}"] = name
            values[f":a{i}"] = [value]
            values[":empty"] = []
            clauses.append(f"#a{i} = list_append(if_not_exists(#a{i}, :empty), :a{i})")
        expression = ", ".join(clauses)
        return {
            "Update": {
                "TableName": self._table,
                "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
                "UpdateExpression": f"SET {expression}",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": encode_item(**values),
            }
        }

    def _event(self, case_id: str, now: datetime, kind: str, **data: Any) -> dict:
        return self._event_put(case_id, now, kind, None, **data)

    @staticmethod
    def _raise_missing(case_id: str) -> None:
        raise LookupError(f"case {case_id} does not exist or is closed")


def _summary(triage: dict[str, Any]) -> dict[str, Any]:
    keys = ("category", "priority", "department", "relation", "autonomous")
    return {k: triage.get(k) for k in keys}
