"""The lock that lets one container at a time refresh X's token pair: X's refresh token
works once, so two containers refreshing with it at once leave one of them refused. One
item in the cases table, taken with a conditional PutItem and held for a lease, so a
container that died holding it keeps the others waiting one lease at most; released
with a DeleteItem conditional on its holder (a lease that ran out and was taken by
another container is never released by the first).

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import encode_item
from socialcare.domain.failures import StorageUnavailable

LOCK_PK = "LOCK#x_token_refresh"  # the IAM policies allow this one key, and only it
_KEY = {"PK": LOCK_PK, "SK": "LOCK"}
_FORGET_AFTER = 86_400  # DynamoDB's TTL removes an item left behind a day after its lease


class DynamoDBRefreshLock:
    """Heat: LOCK#x_token_refresh, one key, written only when X's pair is refreshed (hours
    apart)."""

    def __init__(
        self, client: Any, table_name: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._client = client
        self._table = table_name
        self._clock = clock

    def acquire(self, holder: str, lease_seconds: float) -> bool:
        """Taken, or extended by its holder, until now + `lease_seconds`; False while
        another holder's lease runs."""
        now = self._clock()
        lease_until = now + lease_seconds
        item = encode_item(
            **_KEY,
            holder=holder,
            lease_until=lease_until,
            expires_at=math.ceil(lease_until) + _FORGET_AFTER,
        )
        return self._conditional(
            self._client.put_item,
            TableName=self._table,
            Item=item,
            ConditionExpression="attribute_not_exists(PK) OR lease_until < :now OR holder = :me",
            ExpressionAttributeValues=encode_item(**{":now": now, ":me": holder}),
        )

    def release(self, holder: str) -> None:
        self._conditional(
            self._client.delete_item,
            TableName=self._table,
            Key=encode_item(**_KEY),
            ConditionExpression="holder = :me",
            ExpressionAttributeValues=encode_item(**{":me": holder}),
        )

    @staticmethod
    def _conditional(operation: Any, **request: Any) -> bool:
        try:
            operation(**request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise StorageUnavailable(type(error).__name__) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return True
