"""Replies waiting for an approver, in the cases table.

  CASE#<id> / APPROVAL#<submitted, compact UTC>#<nonce>   the reply, why it waits, its fate
  APPROVALS_WAITING / <submitted at>#<approval id>        a copy while it waits

The waiting copies share one partition: the "needs approval" queue is one Query, the
oldest first. They are few (a reply waits minutes to hours; even a crisis's hundreds of
replies a day are a few hundred items of under 1 KB, one or two 1 MB pages) and written
twice per reply (submitted, decided), far under a partition's 1,000 WCU/s
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html).
Submitting and deciding are transactions with the case's `approval_pending` count and its
timeline event: all or nothing
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.items import about_case, case_pk, decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.approvals import APPROVAL_ID, ApprovalState, PendingApproval
from socialcare.domain.console_replies import ReplyDraft, Visibility

WAITING_PK = "APPROVALS_WAITING"


def _sk(approval_id: str) -> str:
    found = APPROVAL_ID.fullmatch(approval_id)
    if found is None:
        raise ValueError("not an approval id")
    return f"APPROVAL#{found[2]}#{found[3]}"


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


@dataclass(frozen=True)
class DynamoDBApprovals:
    table: CasesTable

    def submit(self, approval: PendingApproval, *, timeline: bool = True) -> None:
        t = self.table
        item = _item(approval)
        waiting = {
            **item,
            "PK": WAITING_PK,
            "SK": f"{approval.submitted_at}#{approval.id}",
            # It holds the reply's words: a person's erasure finds it by its case.
            **about_case(approval.case_id, "approval_waiting"),
        }
        event = t.event_put(
            approval.case_id,
            _at(approval.submitted_at),
            "reply_submitted_for_approval",
            None,
            suffix=approval.id.rsplit(".", 1)[1],
            by=approval.draft.author,
            approval=approval.id,
            reasons=list(approval.reasons),
            visibility=approval.draft.visibility.value,
        )
        written = t.transact(
            [
                {
                    "Put": {
                        "TableName": t.name,
                        "Item": encode_item(**item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {"Put": {"TableName": t.name, "Item": encode_item(**waiting)}},
                self._count(approval.case_id, 1),
                *([event] if timeline else []),
            ]
        )
        if not written:  # the case is gone, or this id was taken (a nonce's collision)
            raise LookupError(f"case {approval.case_id} cannot take the approval")

    def approval(self, approval_id: str) -> PendingApproval | None:
        case_id = approval_id.split(".", 1)[0]
        item = self.table.get(encode_item(PK=case_pk(case_id), SK=_sk(approval_id)))
        return _approval(item) if item else None

    def decide(self, decided: PendingApproval) -> bool:
        t = self.table
        kind = "reply_approved" if decided.state is ApprovalState.APPROVED else "reply_returned"
        sets = {
            "state": decided.state.value,
            "decided_by": decided.decided_by,
            "decided_at": decided.decided_at,
            "comment": decided.comment,
            "edited_text": decided.edited_text,
        }
        sets = {k: v for k, v in sets.items() if v is not None}
        names = {f"#s{i}": name for i, name in enumerate(sets)}
        values = {f":s{i}": value for i, value in enumerate(sets.values())}
        update = ", ".join(f"#s{i} = :s{i}" for i in range(len(sets)))
        return t.transact(
            [
                {
                    "Update": {
                        "TableName": t.name,
                        "Key": encode_item(PK=case_pk(decided.case_id), SK=_sk(decided.id)),
                        "UpdateExpression": f"SET {update}",
                        "ConditionExpression": "#s0 = :waiting",
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": encode_item(
                            **values, **{":waiting": ApprovalState.WAITING.value}
                        ),
                    }
                },
                {
                    "Delete": {
                        "TableName": t.name,
                        "Key": encode_item(
                            PK=WAITING_PK, SK=f"{decided.submitted_at}#{decided.id}"
                        ),
                    }
                },
                self._count(decided.case_id, -1),
                t.event_put(
                    decided.case_id,
                    _at(decided.decided_at or decided.submitted_at),
                    kind,
                    None,
                    suffix=decided.id.rsplit(".", 1)[1],
                    by=decided.decided_by,
                    approval=decided.id,
                    writer=decided.draft.author,
                    edited=decided.edited_text is not None
                    if decided.state is ApprovalState.APPROVED
                    else None,
                    comment=decided.comment,
                ),
            ]
        )

    def record_result(self, approval: PendingApproval, result: str) -> None:
        t = self.table
        t.write(
            t.client.update_item,
            "ConditionalCheckFailedException",
            TableName=t.name,
            Key=encode_item(PK=case_pk(approval.case_id), SK=_sk(approval.id)),
            UpdateExpression="SET #r = :r",
            ExpressionAttributeNames={"#r": "result"},
            ExpressionAttributeValues=encode_item(**{":r": result}),
        )

    def waiting(self, limit: int = 200) -> list[PendingApproval]:
        return [_approval(item) for item in self._query(WAITING_PK, None, limit)]

    def of_case(self, case_id: str) -> list[PendingApproval]:
        return [_approval(item) for item in self._query(case_pk(case_id), "APPROVAL#", 100)]

    def _query(self, pk: str, prefix: str | None, limit: int) -> list[dict[str, Any]]:
        condition = "PK = :pk" + (" AND begins_with(SK, :prefix)" if prefix else "")
        values = {":pk": pk, ":prefix": prefix}
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": encode_item(**values),
            "ConsistentRead": True,
        }
        while len(items) < limit:
            page = self.table.call(self.table.client.query, **kwargs)
            items.extend(decode_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return items[:limit]

    def _count(self, case_id: str, by: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table.name,
                "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
                "UpdateExpression": "ADD approval_pending :by",
                "ConditionExpression": "attribute_exists(PK)",
                "ExpressionAttributeValues": encode_item(**{":by": by}),
            }
        }


def _item(approval: PendingApproval) -> dict[str, Any]:
    draft = approval.draft
    return {
        "PK": case_pk(approval.case_id),
        "SK": _sk(approval.id),
        "entity": "approval",
        "approval_id": approval.id,
        "case_id": approval.case_id,
        "text": draft.text,
        "visibility": draft.visibility.value,
        "author": draft.author,
        "language": draft.language,
        "saved_reply_id": draft.saved_reply_id,
        "reasons": list(approval.reasons),
        "submitted_at": approval.submitted_at,
        "state": approval.state.value,
    }


def _approval(item: dict[str, Any]) -> PendingApproval:
    draft = ReplyDraft(
        case_id=str(item["case_id"]),
        text=str(item["text"]),
        visibility=Visibility(str(item["visibility"])),
        author=str(item["author"]),
        language=str(item.get("language") or "es"),
        saved_reply_id=item.get("saved_reply_id"),
    )
    return PendingApproval(
        id=str(item["approval_id"]),
        draft=draft,
        reasons=tuple(str(r) for r in item.get("reasons") or ()),
        submitted_at=str(item["submitted_at"]),
        state=ApprovalState(str(item["state"])),
        decided_by=item.get("decided_by"),
        decided_at=item.get("decided_at"),
        comment=item.get("comment"),
        edited_text=item.get("edited_text"),
        result=item.get("result"),
    )
