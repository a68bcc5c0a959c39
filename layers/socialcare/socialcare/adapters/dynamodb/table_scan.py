"""The whole cases table read at once: what an operator's look at a small stack (the
local stack's inspection, a fault scenario's tally) shows. Never on a request's path: a
scan reads every item of the table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socialcare.adapters.dynamodb.case_records import assemble_case
from socialcare.adapters.dynamodb.items import decode_item


class DynamoDBTableScan:
    """Heat: an operator's command, never traffic (a Scan spreads over every partition)."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def cases(self) -> list[dict[str, Any]]:
        """Every case as `get_case` shows it, oldest first."""
        partitions: dict[str, list[dict[str, Any]]] = {}
        for item in self._items():
            plain = decode_item(item)
            if plain["PK"].startswith("CASE#"):
                partitions.setdefault(plain["PK"], []).append(plain)
        cases = [assemble_case(items) for items in partitions.values()]
        return sorted((c for c in cases if c), key=lambda c: (c["created_at"], c["id"]))

    def outbound_actions(self) -> list[dict[str, Any]]:
        """Every action on the platforms, as recorded (sent, dry run, failed...)."""
        return [
            decode_item(item)
            for item in self._items()
            if item["PK"]["S"].startswith("OUTBOUND#") and item["SK"]["S"] == "OUTBOUND"
        ]

    def _items(self) -> Iterator[dict[str, Any]]:
        pages = self._client.get_paginator("scan").paginate(TableName=self._table)
        for page in pages:
            yield from page["Items"]
