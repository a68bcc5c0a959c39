"""The saved replies in the cases table.

  SAVED_REPLIES / REPLY#<id>         each reply as it is now (live or retired)
  SAVED_REPLY#<id> / V#<000001>      each version: who, when, what changed, the words

The whole list is one partition, read whole by every search: a few hundred to a few
thousand replies of about 1.5 KB (a title, two languages of up to a few hundred
characters, tags) are 0.5-4.5 MB, one to five 1 MB Query pages
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html),
0.5 read units per 4 KB eventually consistent: 2,000 replies cost about 375 read units a
search, $0.000047 at $0.125 per million on demand
(https://aws.amazon.com/dynamodb/pricing/on-demand/). Writes are a community manager's
edits: a handful a day, far under a partition's 1,000 WCU/s. A version is never changed
or deleted, so the history is whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.saved_replies import SavedReply, SavedReplyFields, SavedReplyVersion

LIST_PK = "SAVED_REPLIES"


def _history_pk(reply_id: str) -> str:
    return f"SAVED_REPLY#{reply_id}"


@dataclass(frozen=True)
class DynamoDBSavedReplies:
    table: CasesTable

    def all(self) -> list[SavedReply]:
        return [_reply(item) for item in self._query(LIST_PK, forward=True, consistent=False)]

    def reply(self, reply_id: str) -> SavedReply | None:
        item = self.table.get(encode_item(PK=LIST_PK, SK=f"REPLY#{reply_id}"))
        return _reply(item) if item else None

    def save(self, reply: SavedReply, version: SavedReplyVersion, previous: int | None) -> bool:
        t = self.table
        if previous is None:
            condition, values = "attribute_not_exists(PK)", None
        else:
            condition, values = "version = :previous", encode_item(**{":previous": previous})
        put: dict[str, Any] = {
            "TableName": t.name,
            "Item": encode_item(
                PK=LIST_PK,
                SK=f"REPLY#{reply.id}",
                entity="saved_reply",
                reply_id=reply.id,
                version=reply.version,
                updated_by=reply.updated_by,
                updated_at=reply.updated_at,
                retired=reply.retired,
                **_fields(reply.fields),
            ),
            "ConditionExpression": condition,
        }
        if values:
            put["ExpressionAttributeValues"] = values
        kept = {
            "TableName": t.name,
            "Item": encode_item(
                PK=_history_pk(reply.id),
                SK=f"V#{version.version:06d}",
                entity="saved_reply_version",
                reply_id=reply.id,
                version=version.version,
                by=version.by,
                at=version.at,
                changed=list(version.changed),
                retired=version.retired,
                **_fields(version.fields),
            ),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
        return t.transact([{"Put": put}, {"Put": kept}])

    def history(self, reply_id: str) -> list[SavedReplyVersion]:
        items = self._query(_history_pk(reply_id), forward=False, consistent=True)
        return [
            SavedReplyVersion(
                reply_id=str(item["reply_id"]),
                version=int(item["version"]),
                by=str(item["by"]),
                at=str(item["at"]),
                changed=tuple(str(c) for c in item.get("changed") or ()),
                fields=_fields_of(item),
                retired=bool(item.get("retired")),
            )
            for item in items
        ]

    def _query(self, pk: str, *, forward: bool, consistent: bool) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": encode_item(**{":pk": pk}),
            "ScanIndexForward": forward,
            "ConsistentRead": consistent,
        }
        items: list[dict[str, Any]] = []
        while True:
            page = self.table.call(self.table.client.query, **kwargs)
            items.extend(decode_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _fields(fields: SavedReplyFields) -> dict[str, Any]:
    return {
        "title": fields.title,
        "texts": dict(fields.texts),
        "tags": list(fields.tags),
        "crisis_approved": fields.crisis_approved,
    }


def _fields_of(item: dict[str, Any]) -> SavedReplyFields:
    return SavedReplyFields(
        title=str(item.get("title", "")),
        texts={str(k): str(v) for k, v in (item.get("texts") or {}).items()},
        tags=tuple(str(t) for t in item.get("tags") or ()),
        crisis_approved=bool(item.get("crisis_approved")),
    )


def _reply(item: dict[str, Any]) -> SavedReply:
    return SavedReply(
        id=str(item["reply_id"]),
        fields=_fields_of(item),
        version=int(item["version"]),
        updated_by=str(item["updated_by"]),
        updated_at=str(item["updated_at"]),
        retired=bool(item.get("retired")),
    )
