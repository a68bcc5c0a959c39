"""The social team's one crisis digest a topic a minute:

  CRISIS_DIGEST#<topic> / CRISIS_DIGEST   sent_at: when the last digest (or alert) went

Claimed by a conditional write. Every triaged case of a topic in crisis would ask, and a
failed condition consumes a write unit
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate):
a refusal returns the item (ReturnValuesOnConditionCheckFailure), and the container asks
again only once that digest's minute is over, so the item takes one write a minute plus
at most one refusal per container and minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable, error_code
from socialcare.domain.clock import utc_iso
from socialcare.domain.crisis import CrisisDigestClaim
from socialcare.domain.failures import StorageUnavailable

# Kept this long after the last digest (TTL): a topic's next crisis starts afresh.
_KEPT = timedelta(days=1)


class DynamoDBCrisisDigests:
    """ports/email.CrisisDigests."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table
        self._next_due: dict[str, datetime] = {}  # topic -> when this container asks again

    def claim_crisis_digest(
        self, topic: str, now: datetime, interval: timedelta
    ) -> CrisisDigestClaim | None:
        due = self._next_due.get(topic)
        if due is not None and now < due:
            return None
        try:
            response = self._table.client.update_item(
                TableName=self._table.name,
                Key=encode_item(PK=f"CRISIS_DIGEST#{topic}", SK="CRISIS_DIGEST"),
                UpdateExpression="SET sent_at = :now, expires_at = :expires",
                ConditionExpression="attribute_not_exists(sent_at) OR sent_at <= :since",
                ExpressionAttributeValues=encode_item(
                    **{
                        ":now": utc_iso(now),
                        ":since": utc_iso(now - interval),
                        ":expires": int((now + _KEPT).timestamp()),
                    }
                ),
                ReturnValues="UPDATED_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise StorageUnavailable(error_code(error)) from error
            item = cast(dict[str, Any], error.response.get("Item") or {})
            held = decode_item(item)
            last = _moment(held.get("sent_at")) or now
            self._next_due[topic] = last + interval
            return None
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        self._next_due[topic] = now + interval
        previous = decode_item(response.get("Attributes") or {}).get("sent_at")
        return CrisisDigestClaim(topic, _moment(previous))


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None
