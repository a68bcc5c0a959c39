"""The alerts' claims: a case's urgent alert, its low score's alert and a topic's crisis
alert go out once, and the recent negative cases of a topic are counted:

  CRISIS#<topic> / MINUTE#<yyyy-mm-ddThh:mm>   `n`: the topic's negative cases created that
                                               minute (an atomic ADD per case; TTL)
  CRISIS#<topic>#<shard> / CASE#<created>#<id> the case was counted (its id for the alert's
                                               list; GSI2PK CASE#<id> for erasure; TTL)
  CRISIS#<topic> / ALERT                       when the topic's last alert went out

Heat, at a crisis of r negative cases/s on one topic (r = 200 at 1,000 deliveries/s, 30% of
them on the topic, less redeliveries): CRISIS#<topic> takes r one-unit ADDs (items under
1 KB), r window Queries of at most 61 items of about 60 bytes (under 4 KB: 1 read unit,
strongly consistent) and r alert GetItems (0.5 unit, eventually consistent): 200 WCU/s and
300 RCU/s, whatever the crisis's length; the COUNT this replaced read 5,137 units per case
ten minutes into such a crisis (both measured from the calls on moto; a Query is billed on
its items' summed size, 4 KB a read unit:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
The per-case items spread over CRISIS_CASE_SHARDS keys (25 WCU/s each) and are read only
when an alert goes. The note and the ADD are two writes, not one transaction: concurrent
transactions on one item cancel each other (TransactionConflict,
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling),
and a crisis's minute item takes hundreds a second.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.day_index import shard_of
from socialcare.adapters.dynamodb.items import about_case, case_pk, encode_item
from socialcare.adapters.dynamodb.surveys import LOW_SCORE_SK
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import StorageUnavailable

CRISIS_CASE_SHARDS = 8
_MINUTE = "%Y-%m-%dT%H:%M"


class DynamoDBCaseAlerts:
    """The alerts' claims (ports/alerts.CaseAlerts)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def record_crisis_alert(self, case_id: str, topic: str, now: datetime) -> None:
        self._table.transact(
            [
                self._table.case_update(
                    case_id,
                    {"crisis_alert_at": utc_iso(now)},
                    condition="attribute_exists(PK)",
                ),
                self._table.event(case_id, now, "crisis_alert", actor="workflow", topic=topic),
            ]
        )

    def claim_urgent_alert(self, case_id: str, now: datetime) -> bool:
        """One urgent alert per case: True for the caller that sends it (a retried
        triage step finds it claimed)."""
        return self._table.transact(
            [
                self._table.case_update(
                    case_id,
                    {"urgent_alert_at": utc_iso(now)},
                    condition="attribute_exists(PK) AND attribute_not_exists(urgent_alert_at)",
                ),
                self._table.event(case_id, now, "urgent_alert", actor="workflow"),
            ]
        )

    def release_urgent_alert(self, case_id: str) -> None:
        """The alert could not be sent: let the retried step claim it again."""
        self._table.call(
            self._table.client.update_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="REMOVE urgent_alert_at",
        )

    def count_negative(
        self, topic: str, case_id: str, created_at: str, window: timedelta, now: datetime
    ) -> int:
        """Note this negative case, add it to its minute's count, then count the topic's
        negative cases of the sliding window. Keyed by the case: the conditional note makes a
        retried step count it once; the count is added only by the step that wrote the note
        (and the note taken back when the count cannot be added, so a retry counts it)."""
        if self._note_case(topic, case_id, created_at, window, now):
            minute = _minute_sk(datetime.fromisoformat(created_at))
            try:
                self._table.call(
                    self._table.client.update_item,
                    TableName=self._table.name,
                    Key=encode_item(PK=_topic_pk(topic), SK=minute),
                    UpdateExpression="ADD n :one SET expires_at = if_not_exists(expires_at, :ttl)",
                    ExpressionAttributeValues=encode_item(
                        **{":one": 1, ":ttl": int((now + 2 * window).timestamp()) + 60}
                    ),
                )
            except StorageUnavailable:
                self._table.call(
                    self._table.client.delete_item,
                    TableName=self._table.name,
                    Key=encode_item(
                        PK=_case_note_pk(topic, case_id), SK=_case_note_sk(created_at, case_id)
                    ),
                )
                raise
        return self.count_negative_between(topic, now - window, None)

    def _note_case(
        self, topic: str, case_id: str, created_at: str, window: timedelta, now: datetime
    ) -> bool:
        """True for the step that notes the case first."""
        pk, sk = _case_note_pk(topic, case_id), _case_note_sk(created_at, case_id)
        return self._table.write(
            self._table.client.put_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Item=encode_item(
                PK=pk,
                SK=sk,
                expires_at=int((now + 2 * window).timestamp()),
                **about_case(case_id, f"{pk}#{sk}"),
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def count_negative_between(self, topic: str, since: datetime, until: datetime | None) -> int:
        """The minutes' counts from `since`'s minute up to (not at) `until`'s: the window is
        counted in whole minutes (its first minute whole), and a window and the one before
        it share no minute. At most 61 items of a few bytes each: strongly consistent, so the
        case just added is in the count."""
        first, last = _minute_sk(since), _minute_sk(until) if until else "MINUTE#~"
        kwargs: dict[str, Any] = {
            "TableName": self._table.name,
            "KeyConditionExpression": "PK = :pk AND SK BETWEEN :first AND :last",
            "ExpressionAttributeValues": encode_item(
                **{":pk": _topic_pk(topic), ":first": first, ":last": last}
            ),
            "ProjectionExpression": "SK, n",
            "ConsistentRead": True,
        }
        count = 0
        while True:
            page = self._table.call(self._table.client.query, **kwargs)
            count += sum(
                int(item["n"]["N"]) for item in page.get("Items", []) if item["SK"]["S"] != last
            )
            if "LastEvaluatedKey" not in page:
                return count
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def negative_case_ids(self, topic: str, since: datetime, limit: int) -> list[str]:
        """The newest first: at most `limit` notes (CASE#<created_at>#<id>) of each shard,
        merged. Read only when an alert goes, once per topic and window."""
        keys: list[str] = []
        for shard in range(CRISIS_CASE_SHARDS):
            page = self._table.call(
                self._table.client.query,
                TableName=self._table.name,
                KeyConditionExpression="PK = :pk AND SK BETWEEN :since AND :until",
                ExpressionAttributeValues=encode_item(
                    **{
                        ":pk": f"{_topic_pk(topic)}#{shard}",
                        ":since": f"CASE#{utc_iso(since)}",
                        ":until": "CASE#~",
                    }
                ),
                ScanIndexForward=False,
                Limit=limit,
                ProjectionExpression="SK",
            )
            keys.extend(str(item["SK"]["S"]) for item in page.get("Items", []))
        return [key.rsplit("#", 1)[1] for key in sorted(keys, reverse=True)[:limit]]

    def claim_crisis_alert(self, topic: str, window: timedelta, now: datetime) -> bool:
        """At most one alert per topic per window: True for the caller that sends it. In a
        crisis every negative case asks: a half-unit read sees the window's alert already
        sent, instead of a conditional write that fails for a full write unit (a stale read
        leaves the decision to the condition)."""
        sent = self._table.call(
            self._table.client.get_item,
            TableName=self._table.name,
            Key=encode_item(PK=_topic_pk(topic), SK="ALERT"),
            ProjectionExpression="sent_at",
        ).get("Item")
        if sent and sent["sent_at"]["S"] >= utc_iso(now - window):
            return False
        return self._table.write(
            self._table.client.put_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Item=encode_item(
                PK=_topic_pk(topic),
                SK="ALERT",
                sent_at=utc_iso(now),
                expires_at=int((now + 30 * window).timestamp()),
            ),
            ConditionExpression="attribute_not_exists(PK) OR sent_at < :window_start",
            ExpressionAttributeValues=encode_item(**{":window_start": utc_iso(now - window)}),
        )

    def claim_low_score_alert(self, case_id: str, now: datetime) -> bool:
        """The social team's alert for the case's low score, once."""
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK=LOW_SCORE_SK),
            UpdateExpression="SET alerted_at = :now",
            ConditionExpression="attribute_exists(PK) AND attribute_not_exists(alerted_at)",
            ExpressionAttributeValues=encode_item(**{":now": utc_iso(now)}),
        )

    def release_low_score_alert(self, case_id: str) -> None:
        self._table.call(
            self._table.client.update_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK=LOW_SCORE_SK),
            UpdateExpression="REMOVE alerted_at",
        )


def _topic_pk(topic: str) -> str:
    return f"CRISIS#{topic}"


def _case_note_pk(topic: str, case_id: str) -> str:
    return f"{_topic_pk(topic)}#{shard_of(case_id, CRISIS_CASE_SHARDS)}"


def _case_note_sk(created_at: str, case_id: str) -> str:
    return f"CASE#{created_at}#{case_id}"


def _minute_sk(at: datetime) -> str:
    return f"MINUTE#{at.astimezone(UTC).strftime(_MINUTE)}"
