"""The message search's inverted index in the cases table (ports/search.py):

  WORD#<sha256 of the word, 32 hex>#<shard of the case id, of 4> / <sent_at>#<case id>
      one entry per distinct word of a customer message; `GSI2PK=CASE#<id>` (erasure and
      expiry find it with the case's other items), TTL `expires_at` 90 days after sent_at.
      No text: the word is a digest, and the entry holds nothing else.

Heat at the crisis rate (650 new cases/s, 50 appended messages/s): a word in every message
writes 700 entries/s over its 4 shards, 175 WCU/s a shard (each item about 150 bytes,
1 WCU), and as much again in the keys-only person index: under the 700 we allow a key
(a partition's 1,000 WCU/s,
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html).
Written with BatchWriteItem (25 requests a call; UnprocessedItems asked again:
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.day_index import shard_of
from socialcare.adapters.dynamodb.items import case_pk, decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.message_search import index_expiry

WORD_SHARDS = 4
_BATCH_WRITE_MAX = 25  # BatchWriteItem's limit (URL above)
_BATCH_GET_MAX = (
    100  # https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
)
_ATTEMPTS = 6
# What the inbox's rows show of a case (GSI3's projection, closed cases' fields too).
_CASE_ATTRIBUTES = (
    "id, #st, channel, platform, #pub, #lang, created_at, last_message_at, deadline,"
    " department, priority, category, flags, confidence, assignee, lease_holder,"
    " lease_until, approval_pending, crisis_topic, needs_review, sla_breached, closed_at"
)
_NAMES = {"#st": "status", "#pub": "public", "#lang": "language"}


def word_pk(word: str, shard: int) -> str:
    digest = hashlib.sha256(word.encode("utf-8")).hexdigest()[:32]
    return f"WORD#{digest}#{shard}"


class DynamoDBSearchIndex:
    """ports/search.IndexedMessages and MessageSearch."""

    def __init__(self, table: CasesTable, pause: float = 0.05) -> None:
        self._table = table
        self._pause = pause  # before asking again for what was throttled (doubled each time)

    # --- writing (the stream function) ---------------------------------------------------

    def message(self, case_id: str, sort_key: str) -> dict[str, Any] | None:
        return self._table.get(encode_item(PK=case_pk(case_id), SK=sort_key))

    def index(self, case_id: str, sent_at: datetime, words: Iterable[str]) -> int:
        shard = shard_of(case_id, WORD_SHARDS)
        sort_key = f"{utc_iso(sent_at)}#{case_id}"
        requests = [
            {
                "PutRequest": {
                    "Item": encode_item(
                        PK=word_pk(word, shard),
                        SK=sort_key,
                        GSI2PK=case_pk(case_id),
                        GSI2SK=f"WORD#{sort_key}",
                        expires_at=index_expiry(sent_at),
                    )
                }
            }
            for word in dict.fromkeys(words)
        ]
        for start in range(0, len(requests), _BATCH_WRITE_MAX):
            self._write(requests[start : start + _BATCH_WRITE_MAX])
        return len(requests)

    def _write(self, requests: list[dict[str, Any]]) -> None:
        pause = self._pause
        for _ in range(_ATTEMPTS):
            answer = self._table.call(
                self._table.client.batch_write_item, RequestItems={self._table.name: requests}
            )
            requests = (answer.get("UnprocessedItems") or {}).get(self._table.name) or []
            if not requests:
                return
            time.sleep(pause)  # AWS asks for a backoff before unprocessed items go again
            pause *= 2
        raise StorageUnavailable("the table kept search index entries unprocessed")

    # --- reading (the console) -----------------------------------------------------------

    def postings(self, word: str, since: datetime, limit: int) -> list[tuple[str, str]]:
        keys = [word_pk(word, shard) for shard in range(WORD_SHARDS)]
        with ThreadPoolExecutor(max_workers=WORD_SHARDS) as pool:
            pages = list(pool.map(lambda key: self._newest(key, since, limit), keys))
        found = []
        for page in pages:
            for item in page:
                sent_at, _, case_id = str(item["SK"]["S"]).rpartition("#")
                found.append((sent_at, case_id))
        return found

    def _newest(self, key: str, since: datetime, limit: int) -> list[dict[str, Any]]:
        page = self._table.call(
            self._table.client.query,
            TableName=self._table.name,
            KeyConditionExpression="PK = :word AND SK >= :since",
            ExpressionAttributeValues=encode_item(**{":word": key, ":since": utc_iso(since)}),
            ProjectionExpression="SK",
            ScanIndexForward=False,
            Limit=limit,
        )
        return list(page.get("Items", []))

    def texts(self, case_id: str, since: datetime) -> list[str]:
        page = self._table.call(
            self._table.client.query,
            TableName=self._table.name,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :since AND :last",
            ExpressionAttributeValues=encode_item(
                **{":pk": case_pk(case_id), ":since": f"MSG#{utc_iso(since)}", ":last": "MSG#~"}
            ),
            ProjectionExpression="#t",
            ExpressionAttributeNames={"#t": "text"},
        )
        return [str(decode_item(i).get("text") or "") for i in page.get("Items", [])]

    def cases(self, case_ids: list[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(case_ids), _BATCH_GET_MAX):
            found.extend(self._batch(case_ids[start : start + _BATCH_GET_MAX]))
        return found

    def _batch(self, case_ids: list[str]) -> list[dict[str, Any]]:
        request: dict[str, Any] = {
            self._table.name: {
                "Keys": [encode_item(PK=case_pk(i), SK="CASE") for i in case_ids],
                "ProjectionExpression": _CASE_ATTRIBUTES,
                "ExpressionAttributeNames": _NAMES,
            }
        }
        found: list[dict[str, Any]] = []
        pause = self._pause
        for _ in range(_ATTEMPTS):
            answer = self._table.call(self._table.client.batch_get_item, RequestItems=request)
            items = answer.get("Responses", {}).get(self._table.name, [])
            found.extend(decode_item(i) for i in items)
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                return found
            time.sleep(pause)
            pause *= 2
        raise StorageUnavailable("the table kept case keys unprocessed")
