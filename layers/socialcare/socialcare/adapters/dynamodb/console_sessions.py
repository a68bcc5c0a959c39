"""Signed-out console sessions: one small item per session (`SESSION#<origin_jti>`),
kept until its last access token would have expired. DynamoDB's TTL deletes it within a
few days after `expires_at` (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html),
so a read also compares `until` with the clock. Outside the triage stream's filter (its
SKs are CASE, LOW_SCORE, SURVEY_OWED): writing one starts nothing."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.domain.failures import StorageUnavailable

SESSION_PREFIX = "SESSION#"  # the console function's IAM allows these keys (LeadingKeys)
_SK = "REVOKED"


class DynamoDBRevokedSessions:
    """Heat: one strongly consistent GetItem per console request (one read unit);
    one PutItem per sign-out. Each session is its own key: no hot partition."""

    def __init__(
        self, client: Any, table_name: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._client = client
        self._table = table_name
        self._clock = clock

    def revoke(self, session: str, until: int) -> None:
        item = encode_item(
            PK=SESSION_PREFIX + session, SK=_SK, until=until, expires_at=math.ceil(until)
        )
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(type(error).__name__) from error

    def is_revoked(self, session: str) -> bool:
        """Strongly consistent: a sign-out is refused from the next request on, even one
        a second container serves."""
        if not session:
            return False
        try:
            found = self._client.get_item(
                TableName=self._table,
                Key=encode_item(PK=SESSION_PREFIX + session, SK=_SK),
                ConsistentRead=True,
            ).get("Item")
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(type(error).__name__) from error
        return found is not None and float(decode_item(found)["until"]) >= self._clock()
