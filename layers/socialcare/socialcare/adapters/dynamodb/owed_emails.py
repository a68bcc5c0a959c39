"""Emails SES would not send, kept until they go (items in their case's partition, so an
erasure or expiry takes them with the case):

  CASE#<id> / EMAIL_OWED#<key>   the email as composed; GSI1PK EMAIL_OWED#<shard> (the
                                 case's, of OWED_EMAIL_SHARDS) lists them

Heat: when SES throttles in a crisis every derivation's and team email can be owed at
once, each a few KB (text and html, one write unit per KB) copied to GSI1: at 650 cases/s,
one email of 5 KB each is 3,250 WCU/s, five times a partition's limit in one key. 32
shards: about 100 WCU/s each, room for several emails per case. The
schedule's reader queries every shard and the unsharded EMAIL_OWED of items written before
the shards (read until it is empty; nothing writes it any more).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.calls import every_item
from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
from socialcare.adapters.dynamodb.day_index import shard_of
from socialcare.adapters.dynamodb.items import case_pk, decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.cases import Case
from socialcare.domain.clock import utc_iso
from socialcare.domain.email_delivery import EmailHold, OwedEmail

OWED_INDEX_KEY = "EMAIL_OWED"
OWED_EMAIL_SHARDS = 32


def owed_index_key(case_id: str) -> str:
    return f"{OWED_INDEX_KEY}#{shard_of(case_id, OWED_EMAIL_SHARDS)}"


def owed_index_keys() -> list[str]:
    """Every GSI1PK an owed email may carry: the legacy key, then each shard's."""
    return [OWED_INDEX_KEY, *(f"{OWED_INDEX_KEY}#{s}" for s in range(OWED_EMAIL_SHARDS))]


class DynamoDBOwedEmails:
    """Emails owed, and the social team's hourly claim (ports/owed_emails.OwedEmails)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table
        self._cases = DynamoDBCaseReader(table)

    def case(self, case_id: str) -> Case | None:
        """The run drops an email whose case is gone (erased) or no longer needs it."""
        return self._cases.case(case_id)

    def owe_email(self, owed: OwedEmail) -> bool:
        """Once per case and key (a retried step owes nothing more); the timeline says the
        email is owed, and why (not one waiting for the team's digest: nothing is wrong)."""
        at = utc_iso(owed.owed_at)
        item = encode_item(
            PK=case_pk(owed.case_id),
            SK=_sk(owed.key),
            entity="email_owed",
            case_id=owed.case_id,
            key=owed.key,
            to=list(owed.to),
            subject=owed.subject,
            text=owed.text,
            html=owed.html,
            hold=owed.hold.value,
            owed_at=at,
            action_id=owed.action_id,
            GSI1PK=owed_index_key(owed.case_id),
            GSI1SK=f"{at}#{owed.case_id}#{owed.key}",
        )
        put = {"TableName": self._table.name, "Item": item}
        put["ConditionExpression"] = "attribute_not_exists(PK)"
        if owed.hold is EmailHold.DIGEST:
            return self._table.transact([{"Put": put}])
        event = self._table.event_put(
            owed.case_id,
            owed.owed_at,
            "email_owed",
            None,
            suffix=owed.key,
            actor="workflow",
            to=", ".join(owed.to),
            hold=owed.hold.value,
        )
        return self._table.transact([{"Put": put}, event])

    def owed_emails(self) -> Iterator[OwedEmail]:
        """Page by page, the oldest first across the shards: each shard's pages are in
        GSI1SK order (it begins with owed_at), and a merge takes the oldest head."""
        shards = [
            every_item(
                self._table.client.query,
                TableName=self._table.name,
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :owed",
                ExpressionAttributeValues=encode_item(**{":owed": key}),
            )
            for key in owed_index_keys()
        ]
        items = heapq.merge(*shards, key=lambda item: str(item["GSI1SK"]["S"]))
        return (_owed(decode_item(item)) for item in items)

    def claim_owed_email(self, owed: OwedEmail, now: datetime) -> bool:
        """One sender at a time (two scheduled runs at once send it once)."""
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(owed.case_id), SK=_sk(owed.key)),
            UpdateExpression="SET claimed_at = :now",
            ConditionExpression="attribute_exists(PK) AND attribute_not_exists(claimed_at)",
            ExpressionAttributeValues=encode_item(**{":now": utc_iso(now)}),
        )

    def release_owed_email(self, owed: OwedEmail) -> None:
        self._table.call(
            self._table.client.update_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(owed.case_id), SK=_sk(owed.key)),
            UpdateExpression="REMOVE claimed_at",
            ConditionExpression="attribute_exists(PK)",
        )

    def owed_email_sent(self, owed: OwedEmail, now: datetime) -> None:
        self._table.transact(
            [
                {
                    "Delete": {
                        "TableName": self._table.name,
                        "Key": encode_item(PK=case_pk(owed.case_id), SK=_sk(owed.key)),
                    }
                },
                self._table.event_put(
                    owed.case_id,
                    now,
                    "owed_email_sent",
                    None,
                    suffix=owed.key,
                    actor="workflow",
                    to=", ".join(owed.to),
                ),
            ]
        )

    def drop_owed_email(self, owed: OwedEmail) -> None:
        """No timeline entry: the case may be gone, and a write would start it again."""
        self._table.call(
            self._table.client.delete_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(owed.case_id), SK=_sk(owed.key)),
        )

    def claim_team_email(self, case_id: str, now: datetime, interval: timedelta) -> bool:
        """On the CASE item: the last time the social team was emailed about it."""
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="SET team_email_at = :now",
            ConditionExpression=(
                "attribute_exists(PK) AND"
                " (attribute_not_exists(team_email_at) OR team_email_at <= :since)"
            ),
            ExpressionAttributeValues=encode_item(
                **{":now": utc_iso(now), ":since": utc_iso(now - interval)}
            ),
        )

    def release_team_email(self, case_id: str, claimed_at: datetime) -> None:
        self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="REMOVE team_email_at",
            ConditionExpression="team_email_at = :claimed",
            ExpressionAttributeValues=encode_item(**{":claimed": utc_iso(claimed_at)}),
        )


def _sk(key: str) -> str:
    return f"EMAIL_OWED#{key}"


def _owed(item: dict[str, Any]) -> OwedEmail:
    return OwedEmail(
        case_id=str(item["case_id"]),
        key=str(item["key"]),
        to=tuple(str(address) for address in item["to"]),
        subject=str(item["subject"]),
        text=str(item["text"]),
        html=str(item["html"]),
        hold=EmailHold(str(item["hold"])),
        owed_at=datetime.fromisoformat(str(item["owed_at"])),
        action_id=str(item["action_id"]) if item.get("action_id") else None,
    )
