"""What the platform reports later of a send (WhatsApp statuses), on its outbound item.
Cheap as the webhook must be: one read of the pointer the send left, then one conditional
update (delivered, read), or for a failure one transaction of the update, the case's
timeline entry and the social team's notice; a redelivered status fails the condition and
writes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.items import encode_item
from socialcare.adapters.dynamodb.outbound_items import notice_put, outbound_key, sent_key
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso
from socialcare.domain.delivery_reports import (
    RANK,
    DeliveryReport,
    ReceiptState,
    ReportRecorded,
)
from socialcare.domain.outbound import OutboundStatus


class DynamoDBDeliveryReports:
    """What became of what the brand sent (ports/intake.DeliveryReports).

    Heat: the reported send's OUTBOUND# keys; a failure also OUTBOUND_UNCERTAIN (outbound.py)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def record_delivery_report(self, report: DeliveryReport, now: datetime) -> ReportRecorded:
        pointer = self._table.get(sent_key(report.key))
        if pointer is None:
            return ReportRecorded.UNKNOWN
        if report.state is ReceiptState.FAILED:
            written = self._table.transact(self._failure(pointer, report, now))
        else:
            written = self._receipt(str(pointer["action_id"]), report, now)
        return ReportRecorded.RECORDED if written else ReportRecorded.UNCHANGED

    def _receipt(self, action_id: str, report: DeliveryReport, now: datetime) -> bool:
        """Latest only: never from read back to delivered (the order is not promised)."""
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=outbound_key(action_id),
            UpdateExpression="SET receipt = :state, receipt_rank = :rank, receipt_at = :at",
            ConditionExpression=(
                "#st IN (:sent, :failed) "
                "AND (attribute_not_exists(receipt_rank) OR receipt_rank < :rank)"
            ),
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues=encode_item(
                **{
                    ":state": report.state.value,
                    ":rank": RANK[report.state],
                    ":at": utc_iso(report.at),
                    ":sent": OutboundStatus.SENT.value,
                    ":failed": OutboundStatus.FAILED.value,
                }
            ),
        )

    def _failure(
        self, pointer: dict[str, Any], report: DeliveryReport, now: datetime
    ) -> list[dict[str, Any]]:
        action_id, case_id = str(pointer["action_id"]), str(pointer["case_id"])
        reason = report.reason()
        code = ", error_code = :code" if report.error_code is not None else ""
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": outbound_key(action_id),
                "UpdateExpression": f"SET #st = :failed, reason = :reason, updated_at = :now{code}",
                # Only over a send: once (a redelivery finds it failed), never over another fate.
                "ConditionExpression": "#st = :sent",
                "ExpressionAttributeNames": {"#st": "status"},
                "ExpressionAttributeValues": encode_item(
                    **{
                        ":failed": OutboundStatus.FAILED.value,
                        ":sent": OutboundStatus.SENT.value,
                        ":reason": reason,
                        ":code": report.error_code,
                        ":now": utc_iso(now),
                    }
                ),
            }
        }
        event = self._table.event_put(
            case_id,
            now,
            "outbound_failed",
            None,
            suffix=action_id[:12],
            actor="platform",
            action_id=action_id,
            outbound=pointer.get("kind"),
            channel=report.channel.value,
            message_id=report.message_id,
            error_code=report.error_code,
            error_title=report.error_title,
            error_details=report.error_details,
            reported_at=utc_iso(report.at),
            reason=reason,
        )
        notice = notice_put(
            self._table.name,
            action_id=action_id,
            case_id=case_id,
            status=OutboundStatus.FAILED,
            kind=str(pointer.get("kind")),
            channel=report.channel.value,
            reason=reason,
            now=now,
            error_code=report.error_code,
        )
        return [update, event, notice]
