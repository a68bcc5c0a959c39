"""What the console's inbox and case view read besides the case itself:

  GSI3 OPEN#<shard>            every open case, as GSI3 projects it (open_case_index.py)
  GSI2 PERSON#<digest>         the author's cases (the person index, keys only), then
                               BatchGetItem of their CASE items, a few attributes
  CASE#<id> / VIEWER#<digest>  who has the case open: one small item per viewer, its
                               `until` a minute on (read filters by it; TTL removes it)

Heat: the inbox reads 16 shards, each about 1/16 of the open cases (10,000 open cases of
about 300 bytes: about 190 KB a shard, 24 read units eventually consistent); a viewer
writes one item of about 100 bytes per page view and refresh (1 WCU) in the case's own
partition. Keys never hold a username: the stream keeps changed keys for 24 hours."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.items import (
    PERSON_INDEX,
    case_pk,
    decode_item,
    encode_item,
    identity_pk,
    key_digest,
)
from socialcare.adapters.dynamodb.open_case_index import OPEN_CASES_INDEX, open_case_shards
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso

PRESENCE = timedelta(seconds=60)  # four refreshes of a case page (15 s each) missed: gone
_BATCH_GET_MAX = 100  # BatchGetItem's limit: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
_EARLIER_ATTRIBUTES = "id, #st, channel, platform, created_at, closed_at, category"


class DynamoDBOpenCases:
    """ports/console_inbox.OpenCases: every shard queried at once (16 threads)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def open_cases(self) -> list[dict[str, Any]]:
        shards = open_case_shards()
        with ThreadPoolExecutor(max_workers=len(shards)) as pool:
            pages = list(pool.map(self._shard, shards))
        return [item for page in pages for item in page]

    def _shard(self, key: str) -> list[dict[str, Any]]:
        return [decode_item(item) for item in self._query(key)]

    def _query(self, key: str) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self._table.name,
            "IndexName": OPEN_CASES_INDEX,
            "KeyConditionExpression": "GSI3PK = :k",
            "ExpressionAttributeValues": {":k": {"S": key}},
        }
        while True:
            page = self._table.call(self._table.client.query, **kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class DynamoDBPersonCases:
    """ports/console_inbox.PersonCases, through the person index (GSI2)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def cases_of_author(self, author_key: str, limit: int) -> list[dict[str, Any]]:
        page = self._table.call(
            self._table.client.query,
            TableName=self._table.name,
            IndexName=PERSON_INDEX,
            KeyConditionExpression="GSI2PK = :k",
            ExpressionAttributeValues={":k": {"S": identity_pk(author_key)}},
            ScanIndexForward=False,  # GSI2SK = <created_at>#<id>: newest first
            Limit=limit,
        )
        ids = list(
            dict.fromkeys(str(i["PK"]["S"]).removeprefix("CASE#") for i in page.get("Items", []))
        )
        return self._cases(ids[:_BATCH_GET_MAX])

    def _cases(self, ids: list[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        request = {
            self._table.name: {
                "Keys": [encode_item(PK=case_pk(i), SK="CASE") for i in ids],
                "ProjectionExpression": _EARLIER_ATTRIBUTES,
                "ExpressionAttributeNames": {"#st": "status"},
            }
        }
        found: list[dict[str, Any]] = []
        for _ in range(3):  # unprocessed keys (throttling), asked again a couple of times
            response = self._table.call(self._table.client.batch_get_item, RequestItems=request)
            found.extend(
                decode_item(i) for i in response.get("Responses", {}).get(self._table.name, [])
            )
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        return sorted(found, key=lambda c: str(c.get("created_at", "")), reverse=True)


class DynamoDBPresence:
    """ports/console_inbox.Presence: who has a case open, in the case's partition (an
    erasure or the case's expiry takes the items with it)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def seen(self, case_id: str, username: str, now: datetime) -> None:
        until = now + PRESENCE
        self._table.call(
            self._table.client.put_item,
            TableName=self._table.name,
            Item=encode_item(
                PK=case_pk(case_id),
                SK=f"VIEWER#{key_digest(username)}",
                entity="viewer",
                username=username,
                until=utc_iso(until),
                # TTL deletes within days, not at once: readers compare `until`.
                expires_at=int((until + timedelta(days=1)).timestamp()),
            ),
        )

    def viewers(self, case_id: str, now: datetime) -> list[str]:
        page = self._table.call(
            self._table.client.query,
            TableName=self._table.name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :viewer)",
            ExpressionAttributeValues=encode_item(
                **{":pk": case_pk(case_id), ":viewer": "VIEWER#"}
            ),
        )
        current = utc_iso(now)
        items = [decode_item(i) for i in page.get("Items", [])]
        return sorted(str(i["username"]) for i in items if str(i.get("until", "")) > current)
