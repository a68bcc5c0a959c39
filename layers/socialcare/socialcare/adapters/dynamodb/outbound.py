"""Outbound actions' items: claimed before the platform is called, their fate after.

OUTBOUND#<action id> / OUTBOUND            status, attempts, lease, platform message id
OUTBOUND#SENT#<digest of channel:platform id> / SENT   the action a WhatsApp status is about
OUTBOUND_UNCERTAIN   / <at>#<action id>    not yet in a social team email (deleted then):
                                           a send whose fate is unknown, or reported failed
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.items import about_case, case_pk, decode_item, encode_item
from socialcare.adapters.dynamodb.outbound_items import (
    UNCERTAIN_PK,
    notice_put,
    outbound_key,
    sent_pointer,
)
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso
from socialcare.domain.delivery_reports import REPORTED_CHANNELS
from socialcare.domain.outbound import (
    OutboundAction,
    OutboundKind,
    OutboundRecord,
    OutboundStatus,
)

# Outbound items outlive their case's answers: a retry days later still finds them.
OUTBOUND_RETENTION = timedelta(days=90)


def record_from_item(item: dict[str, Any]) -> OutboundRecord:
    return OutboundRecord(
        id=str(item["id"]),
        case_id=str(item["case_id"]),
        status=OutboundStatus(item["status"]),
        attempts=int(item.get("attempts", 0)),
        lease_until=float(item.get("lease_until", 0)),
        message_id=item.get("message_id"),
        reason=item.get("reason"),
        kind=item.get("kind"),
        channel=item.get("channel"),
        at=item.get("updated_at"),
        purpose=item.get("purpose"),
        error_code=int(item["error_code"]) if item.get("error_code") is not None else None,
        receipt=item.get("receipt"),
        retry_at=float(item.get("retry_at", 0)),
        text=(item.get("request") or {}).get("text"),
        template=(item.get("request") or {}).get("template"),
    )


class DynamoDBOutboundActions:
    """Each outbound action once (ports/outbound.OutboundStore, UncertainSends).

    Heat: one OUTBOUND# key per action; OUTBOUND_UNCERTAIN, one partition, only for sends
    whose fate is unknown or failed (2 units each: under 700 WCU/s below 350 a second)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def claim_outbound(
        self, action: OutboundAction, summary: dict[str, str], now: datetime, lease_seconds: float
    ) -> OutboundRecord | None:
        item = _item(
            action,
            summary,
            now,
            OutboundStatus.SENDING,
            attempts=1,
            lease_until=math.ceil(now.timestamp() + lease_seconds),
        )
        claimed, existing = self._table.put_or_existing(
            {
                "TableName": self._table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        )
        if claimed:
            return None
        existing = existing or self._table.get(outbound_key(action.id))
        if existing is None:  # deleted in between (expiry): claim afresh
            return self.claim_outbound(action, summary, now, lease_seconds)
        return record_from_item(existing)

    def retake_outbound(self, record: OutboundRecord, now: datetime, lease_seconds: float) -> bool:
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=outbound_key(record.id),
            UpdateExpression=(
                "SET #s = :sending, attempts = :next, lease_until = :lease, updated_at = :now"
            ),
            ConditionExpression="#s = :was AND attempts = :attempts",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=encode_item(
                **{
                    ":sending": OutboundStatus.SENDING.value,
                    ":next": record.attempts + 1,
                    ":lease": math.ceil(now.timestamp() + lease_seconds),
                    ":now": utc_iso(now),
                    ":was": record.status.value,
                    ":attempts": record.attempts,
                }
            ),
        )

    def finish_outbound(
        self,
        action: OutboundAction,
        status: OutboundStatus,
        now: datetime,
        *,
        attempts: int,
        message_id: str | None = None,
        reason: str | None = None,
        summary: dict[str, str] | None = None,
        retry_at: float = 0.0,
    ) -> None:
        sets: dict[str, Any] = {"status": status.value, "updated_at": utc_iso(now)}
        if status is OutboundStatus.RETRY:
            sets["retry_at"] = math.ceil(retry_at)
        if message_id:
            sets["message_id"] = message_id
        if reason:
            sets["reason"] = reason[:500]
        names = {f"#f{i}": name for i, name in enumerate(sets)}
        values = {f":v{i}": value for i, value in enumerate(sets.values())}
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": outbound_key(action.id),
                "UpdateExpression": "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(sets))),
                # Only the claim that made this attempt records its fate.
                "ConditionExpression": "#st = :sending AND attempts = :attempts",
                "ExpressionAttributeNames": {**names, "#st": "status"},
                "ExpressionAttributeValues": encode_item(
                    **values,
                    **{":sending": OutboundStatus.SENDING.value, ":attempts": attempts},
                ),
            }
        }
        if status in (OutboundStatus.RETRY, OutboundStatus.UNKNOWN):  # not final yet
            # One conditional UpdateItem: a transaction of one item bills twice the units.
            self._table.write(
                self._table.client.update_item,
                "ConditionalCheckFailedException",
                **update["Update"],
            )
            return
        items = [update, self._outbound_event(action, status, now, message_id, reason, summary)]
        case_sets = _case_sets(action, status, now)
        if case_sets:
            items.append(self._case_set_if_absent(action.case_id, case_sets, now))
        if status is OutboundStatus.UNCERTAIN:
            items.append(self._uncertain_marker(action, now, reason))
        if status is OutboundStatus.SENT and message_id and action.channel in REPORTED_CHANNELS:
            items.append(
                sent_pointer(self._table.name, action, message_id, now, OUTBOUND_RETENTION)
            )
        self._table.transact(items)

    def record_dry_run(
        self, action: OutboundAction, summary: dict[str, str], now: datetime
    ) -> bool:
        item = _item(action, summary, now, OutboundStatus.DRY_RUN, attempts=0)
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }
        event = self._outbound_event(action, OutboundStatus.DRY_RUN, now, None, None, summary)
        return self._table.transact([put, event])

    def record_blocked(self, action: OutboundAction, reason: str, now: datetime) -> None:
        self._table.transact([self._outbound_event(action, None, now, None, reason, None)])

    def unreported_uncertain(self, limit: int = 50) -> list[OutboundRecord]:
        page = self._table.call(
            self._table.client.query,
            TableName=self._table.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=encode_item(**{":pk": UNCERTAIN_PK}),
            Limit=limit,
            ConsistentRead=True,
        )
        items = (decode_item(item) for item in page.get("Items", []))
        return [record_from_item(item) for item in items if item.get("PK") == UNCERTAIN_PK]

    def mark_uncertain_reported(self, records: list[OutboundRecord]) -> None:
        for record in records:
            self._table.call(
                self._table.client.delete_item,
                TableName=self._table.name,
                Key=encode_item(PK=UNCERTAIN_PK, SK=f"{record.at}#{record.id}"),
            )

    # --- the social team's publish link (kept on the case) ---------------------------------

    # --- items ----------------------------------------------------------------------------

    def _outbound_event(
        self,
        action: OutboundAction,
        status: OutboundStatus | None,
        now: datetime,
        message_id: str | None,
        reason: str | None,
        summary: dict[str, str] | None,
    ) -> dict[str, Any]:
        kind = f"outbound_{status.value}" if status else "outbound_blocked"
        return self._table.event_put(
            action.case_id,
            now,
            kind,
            None,
            suffix=action.id[:12],
            actor=action.actor,
            action_id=action.id,
            outbound=action.kind.value,
            channel=action.channel.value,
            origin=action.origin.value,
            message_id=message_id,
            reason=reason,
            # What went out: the template's words when it replaced the written ones.
            text=(summary or {}).get("text", action.text)
            if action.kind is not OutboundKind.HIDE
            else None,
            mode=(summary or {}).get("mode"),
            template=(summary or {}).get("template"),
        )

    def _case_set_if_absent(
        self, case_id: str, sets: dict[str, str], now: datetime
    ) -> dict[str, Any]:
        names = {f"#f{i}": name for i, name in enumerate(sets)}
        values = {f":v{i}": value for i, value in enumerate(sets.values())}
        clauses = [f"#f{i} = if_not_exists(#f{i}, :v{i})" for i in range(len(sets))]
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
                "UpdateExpression": "SET " + ", ".join(clauses) + ", updated_at = :now",
                "ConditionExpression": "attribute_exists(PK)",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": encode_item(**values, **{":now": utc_iso(now)}),
            }
        }

    def _uncertain_marker(
        self, action: OutboundAction, now: datetime, reason: str | None
    ) -> dict[str, Any]:
        return notice_put(
            self._table.name,
            action_id=action.id,
            case_id=action.case_id,
            status=OutboundStatus.UNCERTAIN,
            kind=action.kind.value,
            channel=action.channel.value,
            reason=reason,
            now=now,
        )


def _item(
    action: OutboundAction,
    summary: dict[str, str],
    now: datetime,
    status: OutboundStatus,
    **fields: Any,
) -> dict[str, Any]:
    return encode_item(
        PK=f"OUTBOUND#{action.id}",
        SK="OUTBOUND",
        entity="outbound",
        id=action.id,
        case_id=action.case_id,
        kind=action.kind.value,
        channel=action.channel.value,
        origin=action.origin.value,
        purpose=action.purpose,
        actor=action.actor,
        request=summary,
        status=status.value,
        created_at=utc_iso(now),
        updated_at=utc_iso(now),
        expires_at=int((now + OUTBOUND_RETENTION).timestamp()),
        **about_case(action.case_id, f"OUTBOUND#{action.id}"),
        **fields,
    )


def _case_sets(action: OutboundAction, status: OutboundStatus, now: datetime) -> dict[str, str]:
    """What the case keeps of a sent action: our own public reply is its first public
    response (the platform's echo of it stays a fallback), a hidden comment when."""
    if status is not OutboundStatus.SENT:
        return {}
    if action.kind is OutboundKind.PUBLIC_REPLY:
        return {"first_public_response_at": utc_iso(now)}
    if action.kind is OutboundKind.HIDE:
        return {"comment_hidden_at": utc_iso(now)}
    if action.kind in (OutboundKind.PRIVATE_REPLY, OutboundKind.MESSAGE):
        return {"first_private_response_at": utc_iso(now)}
    return {}
