"""Known customers, looked up by platform and author id."""

from __future__ import annotations

from typing import Any

from socialcare.adapters.dynamodb.items import encode_item
from socialcare.domain.ports import StorageUnavailable


class DynamoDBCustomerDirectory:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def reference(self, platform: str, author_id: str) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            found = self._client.get_item(
                TableName=self._table,
                Key=encode_item(customer_key=f"{platform}#{author_id}"),
                ProjectionExpression="customer_key, #reference",
                ExpressionAttributeNames={"#reference": "reference"},
            )
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error
        item = found.get("Item")
        if item is None:
            return None
        return str((item.get("reference") or {}).get("S", ""))
