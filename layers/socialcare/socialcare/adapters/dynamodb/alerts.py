"""The alerts' claims: a case's urgent alert, its low score's alert and a topic's crisis
alert go out once, and the recent negative cases of a topic are counted (TTL items under
CRISIS#<topic>)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.items import about_case, case_pk, encode_item
from socialcare.adapters.dynamodb.surveys import LOW_SCORE_SK
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso


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
        """Note this negative case, then count the topic's negative cases created within
        the sliding window. Keyed by the case: a retried step counts it once."""
        pk = f"CRISIS#{topic}"
        self._table.call(
            self._table.client.put_item,
            TableName=self._table.name,
            Item=encode_item(
                PK=pk,
                SK=f"CASE#{created_at}#{case_id}",
                expires_at=int((now + 2 * window).timestamp()),
                **about_case(case_id, f"{pk}#CASE#{created_at}"),
            ),
        )
        return self.count_negative_between(topic, now - window, None)

    def count_negative_between(self, topic: str, since: datetime, until: datetime | None) -> int:
        """Counted by DynamoDB (Select COUNT), page by page: no item is read back."""
        kwargs = self._negative_query(topic, since, until)
        kwargs.update(Select="COUNT")
        count = 0
        while True:
            page = self._table.call(self._table.client.query, **kwargs)
            count += int(page.get("Count", 0))
            if "LastEvaluatedKey" not in page:
                return count
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def negative_case_ids(self, topic: str, since: datetime, limit: int) -> list[str]:
        """The newest first: one page of at most `limit` keys (CASE#<created_at>#<id>)."""
        kwargs = self._negative_query(topic, since, None)
        kwargs.update(ScanIndexForward=False, Limit=limit, ProjectionExpression="SK")
        page = self._table.call(self._table.client.query, **kwargs)
        return [str(item["SK"]["S"]).rsplit("#", 1)[1] for item in page.get("Items", [])]

    def _negative_query(
        self, topic: str, since: datetime, until: datetime | None
    ) -> dict[str, Any]:
        """The topic's noted cases created from `since` up to (not at) `until`: a key
        CASE#<until>#<id> sorts after CASE#<until>, so BETWEEN leaves it out."""
        return {
            "TableName": self._table.name,
            "KeyConditionExpression": "PK = :pk AND SK BETWEEN :since AND :until",
            "ExpressionAttributeValues": encode_item(
                **{
                    ":pk": f"CRISIS#{topic}",
                    ":since": f"CASE#{utc_iso(since)}",
                    ":until": f"CASE#{utc_iso(until)}" if until else "CASE#~",
                }
            ),
            "ConsistentRead": True,
        }

    def claim_crisis_alert(self, topic: str, window: timedelta, now: datetime) -> bool:
        """At most one alert per topic per window: True for the caller that sends it."""
        return self._table.write(
            self._table.client.put_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Item=encode_item(
                PK=f"CRISIS#{topic}",
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
