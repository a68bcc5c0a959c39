"""What the console's actions write on a case (ports/console_actions.ConsoleCases): the
reply lease (`lease_holder`, `lease_until` on the CASE item, one conditional UpdateItem),
the assignee, triage corrections, a crisis topic, reopening, and their timeline events.

Heat: one case's partition per action, people's pace; corrections also list the case
under TRIAGE_CORRECTION (one key, a few writes an hour: far under a partition's 1,000
WCU/s, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html).
Conditional updates return the item that failed them (ReturnValuesOnConditionCheckFailure,
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html), so a
refused claim names its holder without a second read."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import (
    about_case,
    author_pk,
    case_pk,
    decode_item,
    encode_item,
)
from socialcare.adapters.dynamodb.open_case_index import open_case_keys
from socialcare.adapters.dynamodb.table import CasesTable, error_code
from socialcare.domain.cases import TRIAGE_FLAGS, CaseStatus
from socialcare.domain.clock import utc_iso
from socialcare.domain.console_actions import CorrectedField, Correction, Lease, lease_of
from socialcare.domain.console_actions import lease_until as lease_end
from socialcare.domain.failures import StorageUnavailable

CORRECTIONS_PK = "TRIAGE_CORRECTION"
_OPEN = "attribute_exists(PK) AND attribute_not_exists(closed_at)"


class DynamoDBConsoleCases:
    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def claim(self, case_id: str, username: str, now: datetime) -> Lease | None:
        try:
            self._table.client.update_item(
                TableName=self._table.name,
                Key=self._key(case_id),
                UpdateExpression="SET lease_holder = :me, lease_until = :until",
                ConditionExpression=f"{_OPEN} AND (attribute_not_exists(lease_holder)"
                " OR lease_holder = :me OR lease_until <= :now)",
                ExpressionAttributeValues=encode_item(
                    **{":me": username, ":until": lease_end(now), ":now": int(now.timestamp())}
                ),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise StorageUnavailable(error_code(error)) from error
            old = error.response.get("Item")
            item = decode_item(old) if isinstance(old, dict) else {}
            lease = lease_of(item)
            if not item or item.get("closed_at") or lease is None:
                raise LookupError(f"case {case_id} does not exist or is closed") from None
            return lease
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return None

    def release(self, case_id: str, username: str) -> bool:
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=self._key(case_id),
            UpdateExpression="REMOVE lease_holder, lease_until",
            ConditionExpression="lease_holder = :me",
            ExpressionAttributeValues=encode_item(**{":me": username}),
        )

    def lease(self, case_id: str) -> Lease | None:
        item = self._table.get(self._key(case_id))
        return lease_of(item) if item else None

    def private_reply_sent(self, case_id: str) -> bool:
        item = self._table.get(self._key(case_id))
        return bool(item and item.get("first_private_response_at"))

    def record(self, case_id: str, kind: str, now: datetime, by: str, **data: Any) -> None:
        put = self._event(case_id, kind, now, by, **data)["Put"]
        self._table.write(self._table.client.put_item, "-", **put)

    def assign(self, case_id: str, assignee: str | None, now: datetime, by: str) -> bool:
        values: dict[str, Any] = {":at": utc_iso(now)}
        if assignee:
            values[":who"] = assignee
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": self._key(case_id),
                "UpdateExpression": (
                    "SET assignee = :who, updated_at = :at"
                    if assignee
                    else "SET updated_at = :at REMOVE assignee"
                ),
                "ConditionExpression": _OPEN,
                "ExpressionAttributeValues": encode_item(**values),
            }
        }
        event = self._event(case_id, "assigned", now, by, assignee=assignee or "")
        return self._table.transact([update, event])

    def correct(self, case_id: str, correction: Correction, now: datetime, by: str) -> bool:
        # The triage map, and what the inbox reads beside it (its index projects those
        # few attributes, not the map); a person's correction is a review.
        sets: dict[str, Any] = {"updated_at": utc_iso(now), "needs_review": False}
        if correction.field is CorrectedField.FLAGS:
            chosen = set(correction.after.split(",")) - {""}
            sets.update({f"triage.{flag}": flag in chosen for flag in TRIAGE_FLAGS})
            sets["flags"] = [flag for flag in TRIAGE_FLAGS if flag in chosen]
        else:
            sets[f"triage.{correction.field.value}"] = correction.after
            sets[correction.field.value] = correction.after
        fields = {"field": correction.field.value, "from": correction.before}
        listed = encode_item(
            PK=CORRECTIONS_PK,
            SK=case_pk(case_id),
            case_id=case_id,
            at=utc_iso(now),
            **about_case(case_id, CORRECTIONS_PK),
        )
        return self._table.transact(
            [
                self._table.case_update(
                    case_id, sets, condition="attribute_exists(PK) AND attribute_exists(triage)"
                ),
                self._event(case_id, "triage_correction", now, by, **fields, to=correction.after),
                {"Put": {"TableName": self._table.name, "Item": listed}},
            ]
        )

    def mark_crisis(self, case_id: str, topic: str, now: datetime, by: str) -> bool:
        sets = {"crisis_topic": topic, "updated_at": utc_iso(now)}
        return self._table.transact(
            [
                self._table.case_update(case_id, sets, condition="attribute_exists(PK)"),
                self._event(case_id, "crisis_marked", now, by, topic=topic),
            ]
        )

    def reopen(self, case_id: str, now: datetime, by: str) -> str | None:
        case = self._table.get(self._key(case_id))
        if case is None:
            return "missing"
        if not case.get("closed_at"):
            return "not_closed"
        keys = open_case_keys(case_id, str(case["created_at"]))
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": self._key(case_id),
                # The TTL would delete it (expires_at); its status is open again.
                # Back in the open cases' index (the inbox), as intake puts a new case.
                "UpdateExpression": "SET #s = :open, reopened_at = :at, updated_at = :at,"
                " GSI3PK = :open_pk, GSI3SK = :open_sk REMOVE closed_at, expires_at",
                "ConditionExpression": "closed_at = :closed",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": encode_item(
                    **{
                        ":open": CaseStatus.TRIAGED.value,
                        ":at": utc_iso(now),
                        ":closed": case["closed_at"],
                        ":open_pk": keys["GSI3PK"],
                        ":open_sk": keys["GSI3SK"],
                    }
                ),
            }
        }
        # The author writing again lands on this case, as on any open one.
        pointer = {
            "Put": {
                "TableName": self._table.name,
                "Item": encode_item(
                    PK=author_pk(case["author_key"]),
                    SK="OPEN_CASE",
                    case_id=case_id,
                    since=utc_iso(now),
                ),
                "ConditionExpression": "attribute_not_exists(PK) OR case_id = :case",
                "ExpressionAttributeValues": encode_item(**{":case": case_id}),
                # A refusal names the pointer it met, in CancellationReasons:
                # https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        event = self._event(case_id, "reopened", now, by, status=case.get("status"))
        refused = self._table.transact_or_reasons([update, pointer, event])
        if refused is None:
            return None
        return "author_has_open_case" if refused[1] is not None else "not_closed"

    def corrected_cases(self) -> list[str]:
        ids: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table.name,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": encode_item(**{":pk": CORRECTIONS_PK}),
        }
        while True:
            page = self._table.call(self._table.client.query, **kwargs)
            ids.extend(str(decode_item(i)["case_id"]) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return ids
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _event(self, case_id: str, kind: str, now: datetime, by: str, **data: Any) -> Any:
        # Two people acting in the same millisecond keep an event each.
        what = json.dumps([by, data], sort_keys=True, default=str)
        suffix = hashlib.sha256(what.encode("utf-8")).hexdigest()[:12]
        return self._table.event_put(case_id, now, kind, None, suffix=suffix, by=by, **data)

    @staticmethod
    def _key(case_id: str) -> dict[str, Any]:
        return encode_item(PK=case_pk(case_id), SK="CASE")
