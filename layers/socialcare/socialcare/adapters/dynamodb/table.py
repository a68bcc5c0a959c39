"""The cases table as every store of it sees it: the client, the table's name, and the
writes they share (transactions, conditional updates, a
case's timeline event). Each store (intake.py, alerts.py, case_states.py...) takes one
CasesTable; none inherits another.

Key design (single table, see README):
  CASE#<id>            / CASE                     the case (GSI1 DAY#<date>#<shard>)
  CASE#<id>            / MSG#<sent>#<fp>          each customer message of the case
  CASE#<id>            / EVENT#<at>#<kind>#<fp>   the case timeline
  DEDUP#<key digest>   / DEDUP                    "this message was recorded", -> case id
  DEDUP#change:<fp>    / DEDUP                    "this edit or deletion was noted"
  CASE#<id>            / PERSON#|HANDLE#<digest>  another identity of the author (GSI2)
  (GSI2: a case under PERSON#<digest of platform#author id>, see items.py)
  AUTHOR#<digest of platform#author id> / OPEN_CASE   the author's open case, -> case id
  ACTION#<opaque id> / ACTION              a derivation's link: task token, CSRF token, status
  CRISIS#<topic> / MINUTE#<yyyy-mm-ddThh:mm>  the topic's negative cases that minute (a count, TTL)
  CRISIS#<topic>#<shard> / CASE#<created_at>#<id>  a negative case on the topic (TTL)
  CRISIS#<topic> / ALERT                   when the last crisis alert went out
  CASE#<id> / EMAIL_OWED#<key>             an email SES would not send (GSI1: EMAIL_OWED#<shard>)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.calls import stored
from socialcare.adapters.dynamodb.day_index import DEFAULT_DAY_INDEX_SHARDS
from socialcare.adapters.dynamodb.items import case_pk, decode_item, encode_item
from socialcare.domain.cases import message_fingerprint
from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.messages import InboundMessage


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def raise_missing(case_id: str) -> NoReturn:
    raise LookupError(f"case {case_id} does not exist or is closed")


@dataclass(frozen=True)
class CasesTable:
    client: Any
    name: str
    # How many shards new items' day keys spread over (day_index.py; DAY_INDEX_SHARDS).
    day_shards: int = DEFAULT_DAY_INDEX_SHARDS

    @staticmethod
    def call(operation: Any, **kwargs: Any) -> dict[str, Any]:
        """A read or a query: a DynamoDB failure is StorageUnavailable."""
        return stored(operation, **kwargs)

    def get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        response = self.call(
            self.client.get_item, TableName=self.name, Key=key, ConsistentRead=True
        )
        item = response.get("Item")
        return decode_item(item) if item else None

    def transact_or_reasons(
        self, items: list[dict[str, Any]]
    ) -> list[dict[str, Any] | None] | None:
        """None when written; when a condition failed (nothing written), per item the
        existing item that failed its condition (decoded), or None."""
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise StorageUnavailable(error_code(error)) from error
            reasons = error.response.get("CancellationReasons") or []
            if not any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                raise StorageUnavailable("TransactionConflict") from error
            return [
                decode_item(r["Item"])
                if r.get("Code") == "ConditionalCheckFailed" and r.get("Item")
                else None
                for r in reasons
            ]
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return None

    def put_or_existing(self, put: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
        """A conditional PutItem: (True, None) when written; (False, the item that failed
        its condition, decoded, or None) when not. One write, where a transaction of one
        item bills two units per KB for the same guarantee.
        https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html"""
        try:
            self.client.put_item(**put, ReturnValuesOnConditionCheckFailure="ALL_OLD")
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise StorageUnavailable(error_code(error)) from error
            existing = error.response.get("Item")
            return False, decode_item(existing) if isinstance(existing, dict) else None
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return True, None

    def transact(self, items: list[dict[str, Any]]) -> bool:
        """True when written; False when a condition failed (nothing was written)."""
        return self.write(
            self.client.transact_write_items,
            "TransactionCanceledException",
            TransactItems=items,
        )

    def conditional_update(
        self, case_id: str, update: str, condition: str, values: dict[str, Any] | None
    ) -> bool:
        kwargs: dict[str, Any] = {
            "TableName": self.name,
            "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
            "UpdateExpression": update,
            "ConditionExpression": condition,
        }
        if values:
            kwargs["ExpressionAttributeValues"] = encode_item(**values)
        return self.write(self.client.update_item, "ConditionalCheckFailedException", **kwargs)

    @staticmethod
    def write(operation: Any, condition_failed_code: str, **kwargs: Any) -> bool:
        try:
            operation(**kwargs)
        except ClientError as error:
            if error_code(error) == condition_failed_code:
                return False
            raise StorageUnavailable(error_code(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return True

    def case_update(
        self,
        case_id: str,
        sets: dict[str, Any],
        *,
        condition: str,
        appends: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        names: dict[str, str] | None = None,
        removes: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """SET each of `sets`; append each value of `appends` to its list attribute;
        REMOVE each of `removes`; `values` and `names`: the condition's own placeholders."""
        names, paths = dict(names or {}), []
        for i, name in enumerate(sets):  # "a.b": a member of map a
            parts = {f"#f{i}p{j}" if j else f"#f{i}": p for j, p in enumerate(name.split("."))}
            names.update(parts)
            paths.append(".".join(parts))
        values = {**(values or {}), **{f":v{i}": value for i, value in enumerate(sets.values())}}
        clauses = [f"{path} = :v{i}" for i, path in enumerate(paths)]
        for i, (name, value) in enumerate((appends or {}).items()):
            names[f"#a{i}"] = name
            values[f":a{i}"] = [value]
            values[":empty"] = []
            clauses.append(f"#a{i} = list_append(if_not_exists(#a{i}, :empty), :a{i})")
        expression = "SET " + ", ".join(clauses)
        for i, name in enumerate(removes):
            names[f"#r{i}"] = name
        if removes:
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removes)))
        return {
            "Update": {
                "TableName": self.name,
                "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": encode_item(**values),
            }
        }

    def event_put(
        self,
        case_id: str,
        now: datetime,
        kind: str,
        message: InboundMessage | None,
        *,
        suffix: str | None = None,
        **data: Any,
    ) -> dict[str, Any]:
        """An event on the case's timeline, as a transaction's Put."""
        suffix = suffix or (message_fingerprint(message) if message else "0")
        return {
            "Put": {
                "TableName": self.name,
                "Item": encode_item(
                    PK=case_pk(case_id),
                    SK=f"EVENT#{utc_iso(now)}#{kind}#{suffix}",
                    entity="event",
                    kind=kind,
                    at=utc_iso(now),
                    data={k: v for k, v in data.items() if v is not None} or None,
                ),
            }
        }

    def event(self, case_id: str, now: datetime, kind: str, **data: Any) -> dict[str, Any]:
        return self.event_put(case_id, now, kind, None, **data)

    def case_item(self, case_id: str) -> dict[str, Any]:
        """The CASE item as stored; LookupError when there is none."""
        case = self.get(encode_item(PK=case_pk(case_id), SK="CASE"))
        if case is None:
            raise_missing(case_id)
        return case
