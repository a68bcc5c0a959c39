"""Cases in one DynamoDB table; every write that must be exactly-once is a transaction.

Key design (single table, see README):
  CASE#<id>            / CASE                     the case (GSI1: DAY#<date> / <created>#<id>)
  CASE#<id>            / MSG#<sent>#<fp>          each customer message of the case
  CASE#<id>            / EVENT#<at>#<kind>#<fp>   the case timeline
  DEDUP#<key digest>   / DEDUP                    "this message was recorded", -> case id
  DEDUP#change:<fp>    / DEDUP                    "this edit or deletion was noted"
  CASE#<id>            / PERSON#|HANDLE#<digest>  another identity of the author (GSI2)
  (GSI2: a case under PERSON#<digest of platform#author id>, see items.py)
  AUTHOR#<digest of platform#author id> / OPEN_CASE   the author's open case, -> case id
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.calls import stored
from socialcare.adapters.dynamodb.case_notes import CaseNotes
from socialcare.adapters.dynamodb.delivery_reports import DeliveryReports
from socialcare.adapters.dynamodb.identities import identities_of, identity_puts, new_identities
from socialcare.adapters.dynamodb.items import (
    author_pk,
    case_pk,
    decode_item,
    dedup_pk,
    encode_item,
    identity_pk,
    person_keys,
)
from socialcare.adapters.dynamodb.surveys import SurveyRecords
from socialcare.domain.cases import (
    CaseStatus,
    Recorded,
    RecordOutcome,
    author_key,
    case_id_for,
    message_fingerprint,
)
from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.messages import InboundMessage
from socialcare.domain.retention import DEDUP_RETENTION, expiry

_MAX_ATTEMPTS = 5
# Where the dedup marker and the author's open-case pointer sit in a new case's transaction.
_DEDUP_INDEX, _POINTER_INDEX = 0, 4


def _duplicate_in(refused: list[dict[str, Any] | None]) -> Recorded | None:
    """The message was recorded before: its dedup marker names the case."""
    seen = refused[_DEDUP_INDEX] if refused else None
    if seen and seen.get("case_id"):
        return Recorded(str(seen["case_id"]), RecordOutcome.DUPLICATE)
    return None


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class DynamoDBCaseStore(CaseNotes, SurveyRecords, DeliveryReports):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # --- recording messages ---------------------------------------------------------------

    def record(self, message: InboundMessage, now: datetime) -> Recorded:
        """One TransactWriteItems for a new case (the common delivery): a cancelled one
        names what stood in its way (ALL_OLD on its conditions): the duplicate's case, or
        the author's open case, which the message then joins (a second transaction)."""
        stale_case_id: str | None = None
        pointer: dict[str, Any] | None = None  # the author's open case, when there is one
        for _ in range(_MAX_ATTEMPTS):
            if pointer:
                open_case_id = str(pointer["case_id"])
                refused = self._transact_or_reasons(self._append_items(message, pointer, now))
                if refused is None:
                    return Recorded(open_case_id, RecordOutcome.APPENDED)
                if duplicate := _duplicate_in(refused):
                    return duplicate
                # The case closed under us: a new case, replacing the stale pointer.
                stale_case_id, pointer = open_case_id, None
                continue
            case_id = case_id_for(message)
            refused = self._transact_or_reasons(
                self._create_items(message, case_id, stale_case_id, now)
            )
            if refused is None:
                return Recorded(case_id, RecordOutcome.CREATED)
            if duplicate := _duplicate_in(refused):
                return duplicate
            pointer = refused[_POINTER_INDEX]
            if not (pointer and pointer.get("case_id")):
                # Refused, but not by what it could name: look again.
                pointer = self._get(encode_item(PK=author_pk(author_key(message)), SK="OPEN_CASE"))
        raise StorageUnavailable("too much contention on the author's open case")

    def _create_items(
        self, message: InboundMessage, case_id: str, stale_case_id: str | None, now: datetime
    ) -> list[dict[str, Any]]:
        created = utc_iso(now)
        pointer_condition = "attribute_not_exists(PK)"
        pointer_values = None
        if stale_case_id:
            pointer_condition += " OR case_id = :stale"
            pointer_values = encode_item(**{":stale": stale_case_id})
        case = encode_item(
            PK=case_pk(case_id),
            SK="CASE",
            entity="case",
            id=case_id,
            status=CaseStatus.NEW.value,
            platform=message.platform.value,
            channel=message.channel.value,
            public=message.public,
            author=message.author.model_dump(exclude_none=True),
            author_key=author_key(message),
            reply_to=message.reply_to.model_dump(exclude_none=True),
            language=message.language,
            first_message_at=utc_iso(message.sent_at),
            last_message_at=utc_iso(message.sent_at),
            message_count=1,
            customer_returns=0,
            created_at=created,
            updated_at=created,
            GSI1PK=f"DAY#{created[:10]}",
            GSI1SK=f"{created}#{case_id}",
            **person_keys(author_key(message), created, case_id),
        )
        identities = identities_of(message)
        pointer = encode_item(
            PK=author_pk(author_key(message)),
            SK="OPEN_CASE",
            case_id=case_id,
            since=created,
            # The author's other identities already in the person index (digests).
            identities=[identity_pk(i) for i in identities] or None,
        )
        put_pointer: dict[str, Any] = {
            "TableName": self._table,
            "Item": pointer,
            "ConditionExpression": pointer_condition,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if pointer_values:
            put_pointer["ExpressionAttributeValues"] = pointer_values
        return [
            self._dedup_put(message, case_id, now),
            {
                "Put": {
                    "TableName": self._table,
                    "Item": case,
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": {"TableName": self._table, "Item": self._message_item(message, case_id)}},
            self._event_put(case_id, now, "case_created", message, channel=message.channel.value),
            {"Put": put_pointer},
            *identity_puts(self._table, case_id, identities, created),
        ]

    def _append_items(
        self, message: InboundMessage, pointer: dict[str, Any], now: datetime
    ) -> list[dict[str, Any]]:
        case_id = str(pointer["case_id"])
        return [
            self._dedup_put(message, case_id, now),
            {
                "Update": {
                    "TableName": self._table,
                    "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
                    "UpdateExpression": (
                        "SET message_count = message_count + :one, "
                        "customer_returns = customer_returns + :one, "
                        "last_message_at = :sent, updated_at = :now"
                    ),
                    "ConditionExpression": (
                        "attribute_exists(PK) AND attribute_not_exists(closed_at)"
                    ),
                    "ExpressionAttributeValues": encode_item(
                        **{":one": 1, ":sent": utc_iso(message.sent_at), ":now": utc_iso(now)}
                    ),
                }
            },
            {"Put": {"TableName": self._table, "Item": self._message_item(message, case_id)}},
            self._event_put(
                case_id, now, "customer_returned", message, channel=message.channel.value
            ),
            *new_identities(self._table, message, pointer, now),
        ]

    def _dedup_put(self, message: InboundMessage, case_id: str, now: datetime) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table,
                "Item": encode_item(
                    PK=dedup_pk(message.dedup_key),
                    SK="DEDUP",
                    case_id=case_id,
                    recorded_at=utc_iso(now),
                    expires_at=expiry(now, DEDUP_RETENTION),
                ),
                "ConditionExpression": "attribute_not_exists(PK)",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def _message_item(self, message: InboundMessage, case_id: str) -> dict[str, Any]:
        return encode_item(
            PK=case_pk(case_id),
            SK=f"MSG#{utc_iso(message.sent_at)}#{message_fingerprint(message)}",
            entity="message",
            dedup_key=message.dedup_key,
            channel=message.channel.value,
            public=message.public,
            author=message.author.model_dump(exclude_none=True),
            reply_to=message.reply_to.model_dump(exclude_none=True),
            text=message.text,
            content_type=message.content_type,
            language=message.language,
            sent_at=utc_iso(message.sent_at),
            received_at=utc_iso(message.received_at),
            extra=message.extra or None,
            attachments=[a.model_dump(exclude_none=True) for a in message.attachments] or None,
        )

    def _event_put(
        self,
        case_id: str,
        now: datetime,
        kind: str,
        message: InboundMessage | None,
        *,
        suffix: str | None = None,
        **data: Any,
    ) -> dict[str, Any]:
        suffix = suffix or (message_fingerprint(message) if message else "0")
        return {
            "Put": {
                "TableName": self._table,
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

    # --- reading --------------------------------------------------------------------------

    def get_case(self, case_id: str) -> dict[str, Any] | None:
        # Imported here: the webhook, which only records, does not load derivation/routing.
        from socialcare.adapters.dynamodb.case_records import assemble_case

        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": encode_item(**{":pk": case_pk(case_id)}),
            "ConsistentRead": True,
        }
        while True:
            page = self._call(self._client.query, **kwargs)
            items.extend(decode_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return assemble_case(items)

    # --- plumbing -------------------------------------------------------------------------

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        response = self._call(
            self._client.get_item, TableName=self._table, Key=key, ConsistentRead=True
        )
        item = response.get("Item")
        return decode_item(item) if item else None

    def _transact_or_reasons(
        self, items: list[dict[str, Any]]
    ) -> list[dict[str, Any] | None] | None:
        """None when written; when a condition failed (nothing written), per item the
        existing item that failed its condition (decoded), or None."""
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if _error_code(error) != "TransactionCanceledException":
                raise StorageUnavailable(_error_code(error)) from error
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

    def _transact(self, items: list[dict[str, Any]]) -> bool:
        """True when written; False when a condition failed (nothing was written)."""
        return self._write(
            self._client.transact_write_items,
            "TransactionCanceledException",
            TransactItems=items,
        )

    def _conditional_update(
        self, case_id: str, update: str, condition: str, values: dict[str, Any] | None
    ) -> bool:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
            "UpdateExpression": update,
            "ConditionExpression": condition,
        }
        if values:
            kwargs["ExpressionAttributeValues"] = encode_item(**values)
        return self._write(self._client.update_item, "ConditionalCheckFailedException", **kwargs)

    @staticmethod
    def _write(operation: Any, condition_failed_code: str, **kwargs: Any) -> bool:
        try:
            operation(**kwargs)
        except ClientError as error:
            if _error_code(error) == condition_failed_code:
                return False
            raise StorageUnavailable(_error_code(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return True

    _call = staticmethod(stored)
