"""Where a report's cases come from: the cases table's day index (GSI1), which holds the
day's case items and the anonymised facts erased cases left there (domain/case_facts.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.domain.failures import StorageUnavailable


class DynamoDBCaseDays:
    """The case items (and erased cases' facts) of a UTC day: one Query on GSI1 per day,
    page by page."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def cases_created_on(
        self, day: str, since: str | None = None, until: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """`since`/`until` (UTC ISO, until excluded) read only that part of the day: a
        local day spans two UTC days, and each is read for its own part only."""
        values: dict[str, Any] = {":day": f"DAY#{day}"}
        condition = "GSI1PK = :day"
        if since and until:
            # GSI1SK is "<created_at>#<id>": "#" sorts before every digit of a time.
            condition += " AND GSI1SK BETWEEN :since AND :until"
            values.update({":since": since, ":until": until})
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": encode_item(**values),
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
