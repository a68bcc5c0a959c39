"""Brings items written before the person index into it (`socialcare privacy index`,
once after upgrading; safe to run again): one scan of the table, the only one socialcare
makes. A case gets its PERSON# keys (by digest: older versions wrote the raw author id)
and, when closed, its expiry; each other identity its author and messages carry (a
WhatsApp phone beside the business-scoped id, a username) gets its item in the case's
partition; an item outside a case's partition gets its CASE# keys; a duplicate-detection
record or open-case pointer keyed by the platform's ids is keyed again by their digest; a
case still open gets the open cases' keys (the console's inbox, GSI3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from socialcare.adapters.calls import every_item, stored
from socialcare.adapters.dynamodb.items import (
    about_case,
    author_pk,
    decode_item,
    dedup_pk,
    encode_item,
    identity_item,
    person_keys,
)
from socialcare.adapters.dynamodb.open_case_index import inbox_fields, open_case_keys
from socialcare.domain.cases import other_identities
from socialcare.domain.messages import Channel
from socialcare.domain.retention import DEDUP_RETENTION, expiry
from socialcare.domain.routing import Retention

_DIGEST = re.compile(r"[0-9a-f]{32}")
_CRISIS_CASE = re.compile(r"CASE#(?P<created>[^#]+)#(?P<case_id>\d{8}-[0-9a-f]{16})")


@dataclass
class Reindexed:
    scanned: int = 0
    cases: int = 0
    outside: int = 0
    rekeyed: int = 0
    identities: int = 0
    opened: int = 0  # open cases brought into the console's inbox (GSI3)


class PersonIndexMigration:
    """Heat: an operator's one-off migration (a Scan), never traffic."""

    def __init__(self, client: Any, table_name: str, retention: Retention) -> None:
        self._client = client
        self._table = table_name
        self._retention = retention

    def run(self) -> Reindexed:
        done = Reindexed()
        for raw in every_item(self._client.scan, TableName=self._table):
            done.scanned += 1
            self._bring_in(decode_item(raw), done)
        return done

    def _bring_in(self, item: dict[str, Any], done: Reindexed) -> None:
        pk, sk = str(item["PK"]), str(item["SK"])
        prefix, _, rest = pk.partition("#")
        if prefix == "CASE" and sk == "CASE":
            self._bring_in_case(item, rest, done)
        elif prefix == "CASE" and item.get("entity") == "message":
            platform = Channel(str(item["channel"])).platform.value
            self._index_identities(rest, platform, item, done)
        elif prefix in ("ACTION", "OUTBOUND") or pk == "OUTBOUND_UNCERTAIN":
            kind = f"{pk}#{sk}" if pk == "OUTBOUND_UNCERTAIN" else pk
            self._point_at_case(item, kind, done)
        elif prefix == "CRISIS" and "GSI2PK" not in item:
            found = _CRISIS_CASE.fullmatch(sk)
            if found:
                kind = f"{pk}#CASE#{found['created']}"
                self._set(pk, sk, about_case(found["case_id"], kind))
                done.outside += 1
        elif prefix == "DEDUP" and not _DIGEST.fullmatch(rest) and ":" in rest:
            if rest.startswith(("change:", "survey:")):
                self._point_at_case(item, pk, done)
            else:
                self._rekey(item, dedup_pk(rest), done)
        elif prefix == "AUTHOR" and not _DIGEST.fullmatch(rest):
            self._rekey(item, author_pk(rest), done)

    def _bring_in_case(self, item: dict[str, Any], case_id: str, done: Reindexed) -> None:
        """A case: its author's other identities, its person keys and its expiry."""
        self._index_identities(case_id, str(item.get("platform", "")), item, done)
        sets: dict[str, Any] = {}
        indexed = str(item.get("GSI2PK", "")).removeprefix("PERSON#")
        if not _DIGEST.fullmatch(indexed) and item.get("author_key"):
            sets.update(person_keys(item["author_key"], item["created_at"], item["id"]))
        if item.get("closed_at") and "expires_at" not in item:
            closed = datetime.fromisoformat(str(item["closed_at"]).replace("Z", "+00:00"))
            sets["expires_at"] = self._retention.closed_case_expiry(closed)
        if sets:
            self._set(str(item["PK"]), str(item["SK"]), sets)
            done.cases += 1
        if not item.get("closed_at") and "GSI3PK" not in item:
            self._open(item, case_id, done)

    def _open(self, item: dict[str, Any], case_id: str, done: Reindexed) -> None:
        """A case open before the console: into the open cases' index (GSI3), with what
        the inbox filters on; unless it closed since the scan read it."""
        sets = {
            **open_case_keys(case_id, str(item["created_at"])),
            **inbox_fields(item.get("triage") or {}),
        }
        names = {f"#f{i}": name for i, name in enumerate(sets)}
        values = {f":v{i}": value for i, value in enumerate(sets.values())}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=encode_item(PK=item["PK"], SK=item["SK"]),
                UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(sets))),
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(closed_at)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=encode_item(**values),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            return
        done.opened += 1

    def _point_at_case(self, item: dict[str, Any], kind: str, done: Reindexed) -> None:
        """An item about a case, given the index keys that find it with the case's."""
        if "GSI2PK" not in item and item.get("case_id"):
            self._set(str(item["PK"]), str(item["SK"]), about_case(str(item["case_id"]), kind))
            done.outside += 1

    def _index_identities(
        self, case_id: str, platform: str, item: dict[str, Any], done: Reindexed
    ) -> None:
        """An item for each other identity of the author of a case or message, unless
        there is one already (with its index keys)."""
        author = item.get("author") or {}
        created = str(item.get("created_at") or item.get("sent_at") or "")
        for identity in other_identities(
            platform, str(author.get("id", "")), author.get("aliases"), author.get("handle")
        ):
            try:
                self._client.put_item(
                    TableName=self._table,
                    Item=identity_item(case_id, identity, created),
                    ConditionExpression="attribute_not_exists(GSI2PK)",
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                continue
            done.identities += 1

    def _rekey(self, item: dict[str, Any], new_pk: str, done: Reindexed) -> None:
        """The same item under its digest key, then the old one gone (a rerun finds the
        digest already there and only deletes)."""
        moved = {k: v for k, v in item.items() if k != "PK"}
        if str(new_pk).startswith("DEDUP#") and "expires_at" not in moved:
            recorded = moved.get("recorded_at")
            if recorded:
                at = datetime.fromisoformat(str(recorded).replace("Z", "+00:00"))
                moved["expires_at"] = expiry(at, DEDUP_RETENTION)
        old_key = encode_item(PK=item["PK"], SK=item["SK"])
        stored(
            self._client.transact_write_items,
            TransactItems=[
                {"Put": {"TableName": self._table, "Item": encode_item(PK=new_pk, **moved)}},
                {"Delete": {"TableName": self._table, "Key": old_key}},
            ],
        )
        done.rekeyed += 1

    def _set(self, pk: str, sk: str, sets: dict[str, Any]) -> None:
        names = {f"#f{i}": name for i, name in enumerate(sets)}
        values = {f":v{i}": value for i, value in enumerate(sets.values())}
        stored(
            self._client.update_item,
            TableName=self._table,
            Key=encode_item(PK=pk, SK=sk),
            UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(sets))),
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=encode_item(**values),
        )
