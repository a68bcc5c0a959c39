"""A case as the use cases read it: every item of its partition, assembled."""

from __future__ import annotations

from typing import Any

from socialcare.adapters.dynamodb.items import case_pk, decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.cases import Case


class DynamoDBCaseReader:
    """ports/cases.CaseReader. Heat: one case's partition per read."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def case(self, case_id: str) -> Case | None:
        # Imported here: the webhook, which only records, does not load derivation/routing.
        from socialcare.adapters.dynamodb.case_records import case_from_view

        view = self.get_case(case_id)
        return case_from_view(view) if view else None

    def get_case(self, case_id: str) -> dict[str, Any] | None:
        """The case's items assembled as stored (its timeline, messages, links)."""
        # Imported here: the webhook, which only records, does not load derivation/routing.
        from socialcare.adapters.dynamodb.case_records import assemble_case

        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table.name,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": encode_item(**{":pk": case_pk(case_id)}),
            "ConsistentRead": True,
        }
        while True:
            page = self._table.call(self._table.client.query, **kwargs)
            items.extend(decode_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return assemble_case(items)
