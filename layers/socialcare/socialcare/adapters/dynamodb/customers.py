"""Known customers, looked up by platform and author id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.domain.failures import StorageUnavailable

if TYPE_CHECKING:  # the webhook's triage lookups never need these
    from socialcare.domain.privacy import Held, Person


class DynamoDBCustomerDirectory:
    """Heat: one customer's key per new case (the customers table)."""

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


class DynamoDBCustomerRecords:
    """The customers table's entry of a person, for their rights over their data."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def find(self, person: Person) -> Held | None:
        found = self._call(
            self._client.get_item,
            TableName=self._table,
            Key=encode_item(customer_key=person.key),
            ConsistentRead=True,
        )
        item = found.get("Item")
        if item is None:
            return None
        from socialcare.adapters.dynamodb.case_records import plain_value
        from socialcare.domain.privacy import Held, HoldingKind

        entry = {k: plain_value(v) for k, v in decode_item(item).items()}
        return Held(HoldingKind.CUSTOMER_ENTRY, None, person.key, entry)

    def erase(self, held: Held) -> None:
        self._call(
            self._client.delete_item, TableName=self._table, Key=encode_item(customer_key=held.ref)
        )

    @staticmethod
    def _call(operation: Any, **kwargs: Any) -> dict[str, Any]:
        from socialcare.adapters.calls import stored

        return stored(operation, **kwargs)
