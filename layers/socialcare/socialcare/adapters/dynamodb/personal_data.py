"""A person's items in the cases table, found through the person index (GSI2) and never
by a scan, then erased; the purge of a case whose item DynamoDB's TTL deleted.

  PERSON#<digest of platform#id> (GSI2)  -> the cases of an author id or alias: CASE
                                            items, and identity items in their partitions
  HANDLE#<digest of platform@name> (GSI2) -> the cases written under a username
  CASE#<id> (GSI2)                      -> the case's items outside its partition
  CASE#<id> (the table)                 -> the case, its messages, timeline, low score,
                                           its author's other identities
  DEDUP#<digest of a message's key>     -> from each message's key
  AUTHOR#<digest of platform#author id> -> the open-case pointer
  ERASED#<random> / FACT                <- an erased case's anonymised fact (GSI1: a shard of
                                           its day)
  PRIVACY_AUDIT / <at>#<request id>     <- what each erasure did, without the person
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.calls import every_item, stored
from socialcare.adapters.dynamodb.case_records import plain_value
from socialcare.adapters.dynamodb.day_index import DEFAULT_DAY_INDEX_SHARDS, day_key
from socialcare.adapters.dynamodb.items import (
    PERSON_INDEX,
    author_pk,
    case_pk,
    decode_item,
    dedup_pk,
    encode_item,
    identity_pk,
)
from socialcare.adapters.dynamodb.report_days import case_row
from socialcare.domain.case_facts import ErasedCase, fact_record
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.privacy import ERASED, ErasureAudit, Handle, Held, HoldingKind, Person
from socialcare.domain.retention import DEDUP_RETENTION, expiry

AUDIT_PK = "PRIVACY_AUDIT"
_BATCH = 25  # BatchWriteItem's and BatchGetItem's (100) limit, the lower one
_PARTITION_KINDS = {
    "case": HoldingKind.CASE,
    "message": HoldingKind.MESSAGE,
    "event": HoldingKind.TIMELINE_ENTRY,
    "low_score": HoldingKind.LOW_SCORE,
    "identity": HoldingKind.IDENTITY,
}


def _kind_outside(pk: str) -> HoldingKind:
    """An item outside a case's partition, by its key."""
    prefix = pk.split("#", 1)[0]
    return {
        "ACTION": HoldingKind.ACTION_LINK,
        "OUTBOUND": HoldingKind.OUTBOUND_MESSAGE,
        "OUTBOUND_UNCERTAIN": HoldingKind.UNCERTAIN_SEND,
        "CRISIS": HoldingKind.CRISIS_ITEM,
        "DEDUP": HoldingKind.DEDUP_RECORD,
        "WORD": HoldingKind.SEARCH_INDEX_ENTRY,
    }.get(prefix, HoldingKind.TIMELINE_ENTRY)


class DynamoDBPersonalData:
    """Heat: run by an erasure request or an expired case's purge, a case's keys at a time;
    an erased case's fact goes to a shard of its day (day_index.py) like the case did."""

    def __init__(
        self, client: Any, table_name: str, day_shards: int = DEFAULT_DAY_INDEX_SHARDS
    ) -> None:
        self._client = client
        self._table = table_name
        self._day_shards = day_shards

    # --- finding ----------------------------------------------------------------------------

    def case_ids_of(self, person: Person) -> list[str]:
        """Cases whose author had this id, as author id or alias. Cases an older version
        indexed under the raw id (before `socialcare privacy index`) are found too."""
        return self._indexed(identity_pk(person.key), f"PERSON#{person.key}")

    def case_ids_of_handle(self, handle: Handle) -> list[str]:
        return self._indexed(identity_pk(handle.key))

    def cases(self, case_ids: list[str]) -> list[Held]:
        """The case items alone (who wrote, when), for a handle's ids."""
        found = self._get_many((case_pk(case_id), "CASE") for case_id in case_ids)
        return [
            Held(
                HoldingKind.CASE,
                str(item["id"]),
                (item["PK"], item["SK"]),
                _without_keys(item),
                case_row(item),
            )
            for item in found
        ]

    def open_case_pointer(self, person: Person) -> Held | None:
        pointer = self._get(author_pk(person.key), "OPEN_CASE")
        if pointer is None:
            return None
        return Held(
            HoldingKind.OPEN_CASE_POINTER, pointer.get("case_id"), (pointer["PK"], pointer["SK"])
        )

    def _indexed(self, *keys: str) -> list[str]:
        case_ids: dict[str, None] = {}
        for key in keys:
            for found in self._query(
                IndexName=PERSON_INDEX,
                KeyConditionExpression="GSI2PK = :key",
                ExpressionAttributeValues=encode_item(**{":key": key}),
            ):
                if str(found["PK"]).startswith("CASE#"):
                    case_ids[str(found["PK"]).removeprefix("CASE#")] = None
        return list(case_ids)

    def case_items(self, case_id: str) -> list[Held]:
        """The case's partition, what points at it from outside, and the records that its
        messages were seen; the case item last."""
        partition = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=encode_item(**{":pk": case_pk(case_id)}),
            ConsistentRead=True,
        )
        held: list[Held] = []
        case: Held | None = None
        for item in partition:
            kind = _PARTITION_KINDS.get(str(item.get("entity")), HoldingKind.TIMELINE_ENTRY)
            if item["SK"] == "LOW_SCORE":
                kind = HoldingKind.LOW_SCORE
            found = Held(kind, case_id, (item["PK"], item["SK"]), _without_keys(item))
            if kind is HoldingKind.CASE:
                case = replace(found, row=case_row(item))
            else:
                held.append(found)
            if kind is HoldingKind.MESSAGE and item.get("dedup_key"):
                held.extend(self._dedup_records(case_id, str(item["dedup_key"])))
        outside = self._query(
            IndexName=PERSON_INDEX,
            KeyConditionExpression="GSI2PK = :case",
            ExpressionAttributeValues=encode_item(**{":case": case_pk(case_id)}),
        )
        for item in self._get_many((key["PK"], key["SK"]) for key in outside):
            kind = _kind_outside(str(item["PK"]))
            held.append(Held(kind, case_id, (item["PK"], item["SK"]), _without_keys(item)))
        return [*held, case] if case else held

    def _dedup_records(self, case_id: str, message_key: str) -> Iterator[Held]:
        # Records written before keys were digested still carry the key itself.
        for pk in (dedup_pk(message_key), f"DEDUP#{message_key}"):
            item = self._get(pk, "DEDUP")
            if item is not None and item.get("case_id") == case_id:
                yield Held(HoldingKind.DEDUP_RECORD, case_id, (pk, "DEDUP"), _without_keys(item))

    # --- erasing ----------------------------------------------------------------------------

    def erase(self, held: list[Held], now: datetime, erased: dict[str, ErasedCase]) -> None:
        """Cases' items last: an erasure cut short is found and finished by the next. Each
        case item goes in one transaction with the fact it leaves for the figures: never
        both, never neither."""
        kept_dedup = [
            item
            for item in held
            if item.kind is HoldingKind.DEDUP_RECORD and _still_retried(item, now)
        ]
        for item in kept_dedup:
            self._forget_case_of(item)
        anonymised = {item.ref for item in kept_dedup}
        cases = [item.ref for item in held if item.kind is HoldingKind.CASE]
        rest = [
            item.ref
            for item in held
            if item.kind is not HoldingKind.CASE and item.ref not in anonymised
        ]
        self._delete_all(rest)
        for pk, sk in dict.fromkeys(cases):
            fact = erased.get(pk.removeprefix("CASE#"))
            if fact is None:
                self._delete_all([(pk, sk)])
            else:
                self._replace_by_fact(pk, sk, fact)

    def _replace_by_fact(self, pk: str, sk: str, erased: ErasedCase) -> None:
        record = fact_record(erased.facts)
        fact_id = uuid.uuid4().hex  # names nothing: the fact must not lead back to the case
        created = record["created_at"]
        fact = encode_item(
            PK=f"ERASED#{fact_id}",
            SK="FACT",
            GSI1PK=day_key(created[:10], fact_id, self._day_shards),
            GSI1SK=f"{created}#{ERASED}#{fact_id}",
            expires_at=erased.expires_at,
            **record,
        )
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": self._table, "Item": fact}},
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": encode_item(PK=pk, SK=sk),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                ]
            )
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code != "TransactionCanceledException":  # else gone already: nothing to do
                raise StorageUnavailable(code) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error

    def purge_case(self, case_id: str) -> int:
        """What is left of a case whose item DynamoDB's TTL deleted; how many items."""
        held = self.case_items(case_id)
        self._delete_all([item.ref for item in held])
        return len(held)

    def _forget_case_of(self, item: Held) -> None:
        """Only the digest of the message's key stays, until the platforms stop retrying:
        a redelivery of the erased message must not open a case again."""
        pk, sk = item.ref
        recorded = _time(item.data.get("recorded_at"))
        if not pk.startswith("DEDUP#") or ":" in pk or recorded is None:
            self._delete_all([item.ref])
            return
        self._call(
            self._client.put_item,
            TableName=self._table,
            Item=encode_item(PK=pk, SK=sk, expires_at=expiry(recorded, DEDUP_RETENTION)),
        )

    def record_erasure(self, audit: ErasureAudit) -> None:
        self._call(
            self._client.put_item,
            TableName=self._table,
            Item=encode_item(
                PK=AUDIT_PK,
                SK=f"{audit.at}#{audit.request_id}",
                entity="erasure",
                at=audit.at,
                actor=audit.actor,
                counts=audit.counts,
                request_id=audit.request_id,
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    # --- plumbing ---------------------------------------------------------------------------

    def _delete_all(self, refs: list[tuple[str, str]]) -> None:
        unique = list(dict.fromkeys(refs))
        for start in range(0, len(unique), _BATCH):
            requests = [
                {"DeleteRequest": {"Key": encode_item(PK=pk, SK=sk)}}
                for pk, sk in unique[start : start + _BATCH]
            ]
            self._batch_write(requests)

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        for _ in range(8):
            answer = self._call(self._client.batch_write_item, RequestItems={self._table: requests})
            requests = (answer.get("UnprocessedItems") or {}).get(self._table) or []
            if not requests:
                return
        raise StorageUnavailable("the table kept items unprocessed")

    def _get_many(self, refs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
        unique = list(dict.fromkeys(refs))
        found: list[dict[str, Any]] = []
        for start in range(0, len(unique), 100):
            keys = [encode_item(PK=pk, SK=sk) for pk, sk in unique[start : start + 100]]
            for _ in range(8):
                answer = self._call(
                    self._client.batch_get_item,
                    RequestItems={self._table: {"Keys": keys, "ConsistentRead": True}},
                )
                found.extend(
                    decode_item(i) for i in (answer.get("Responses") or {}).get(self._table, [])
                )
                keys = ((answer.get("UnprocessedKeys") or {}).get(self._table) or {}).get(
                    "Keys"
                ) or []
                if not keys:
                    break
            else:
                raise StorageUnavailable("the table kept keys unprocessed")
        return found

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        answer = self._call(
            self._client.get_item,
            TableName=self._table,
            Key=encode_item(PK=pk, SK=sk),
            ConsistentRead=True,
        )
        item = answer.get("Item")
        return decode_item(item) if item else None

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        found = every_item(self._client.query, TableName=self._table, **kwargs)
        return [decode_item(item) for item in found]

    _call = staticmethod(stored)


def _without_keys(item: dict[str, Any]) -> dict[str, Any]:
    """What an item says, in JSON's types (its index keys repeat the person's ids and the
    case's)."""
    return {
        k: plain_value(v)
        for k, v in item.items()
        if k not in ("GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
    }


def _still_retried(item: Held, now: datetime) -> bool:
    recorded = _time(item.data.get("recorded_at"))
    return recorded is not None and now < recorded + DEDUP_RETENTION


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
