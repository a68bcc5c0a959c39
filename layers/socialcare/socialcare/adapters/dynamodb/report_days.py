"""Where a report's cases come from: the cases table's day index (GSI1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.domain.ports import StorageUnavailable


class DynamoDBCaseDays:
    """The case items created on a UTC day: one Query on GSI1 per day, page by page."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def cases_created_on(self, day: str) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :day",
            "ExpressionAttributeValues": encode_item(**{":day": f"DAY#{day}"}),
        }
        while True:
            try:
                page = self._client.query(**kwargs)
            except (ClientError, BotoCoreError) as error:
                raise StorageUnavailable(type(error).__name__) from error
            for item in page.get("Items", []):
                yield decode_item(item)
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
