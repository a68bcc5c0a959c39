"""A customer's message recorded once: a new case, or appended to the author's open case,
in one transaction.

The keys of a case, its messages and its author's open case: table.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.day_index import day_key
from socialcare.adapters.dynamodb.identities import identities_of, identity_puts, new_identities
from socialcare.adapters.dynamodb.items import (
    author_pk,
    case_pk,
    dedup_pk,
    encode_item,
    identity_pk,
    person_keys,
)
from socialcare.adapters.dynamodb.open_case_index import open_case_keys
from socialcare.adapters.dynamodb.table import CasesTable
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
from socialcare.domain.messages import InboundMessage, without_none
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


class DynamoDBMessageRecords:
    """Each customer message recorded once (ports/intake.MessageRecords).

    Heat: a delivery writes its own DEDUP#, CASE# and AUTHOR# keys (one case, message, author
    each); the case item's day-index copy goes to one of DAY_INDEX_SHARDS (day_index.py)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def record(self, message: InboundMessage, now: datetime) -> Recorded:
        """One TransactWriteItems for a new case (the common delivery): a cancelled one
        names what stood in its way (ALL_OLD on its conditions): the duplicate's case, or
        the author's open case, which the message then joins (a second transaction)."""
        stale_case_id: str | None = None
        pointer: dict[str, Any] | None = None  # the author's open case, when there is one
        for _ in range(_MAX_ATTEMPTS):
            if pointer:
                open_case_id = str(pointer["case_id"])
                refused = self._table.transact_or_reasons(self._append_items(message, pointer, now))
                if refused is None:
                    return Recorded(open_case_id, RecordOutcome.APPENDED)
                if duplicate := _duplicate_in(refused):
                    return duplicate
                # The case closed under us: a new case, replacing the stale pointer.
                stale_case_id, pointer = open_case_id, None
                continue
            case_id = case_id_for(message)
            refused = self._table.transact_or_reasons(
                self._create_items(message, case_id, stale_case_id, now)
            )
            if refused is None:
                return Recorded(case_id, RecordOutcome.CREATED)
            if duplicate := _duplicate_in(refused):
                return duplicate
            pointer = refused[_POINTER_INDEX]
            if not (pointer and pointer.get("case_id")):
                # Refused, but not by what it could name: look again.
                pointer = self._table.get(
                    encode_item(PK=author_pk(author_key(message)), SK="OPEN_CASE")
                )
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
            author=without_none(message.author),
            author_key=author_key(message),
            reply_to=without_none(message.reply_to),
            language=message.language,
            first_message_at=utc_iso(message.sent_at),
            last_message_at=utc_iso(message.sent_at),
            message_count=1,
            customer_returns=0,
            created_at=created,
            updated_at=created,
            GSI1PK=day_key(created[:10], case_id, self._table.day_shards),
            GSI1SK=f"{created}#{case_id}",
            **person_keys(author_key(message), created, case_id),
            **open_case_keys(case_id, created),
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
            "TableName": self._table.name,
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
                    "TableName": self._table.name,
                    "Item": case,
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": {"TableName": self._table.name, "Item": self._message_item(message, case_id)}},
            self._table.event_put(
                case_id, now, "case_created", message, channel=message.channel.value
            ),
            {"Put": put_pointer},
            *identity_puts(self._table.name, case_id, identities, created),
        ]

    def _append_items(
        self, message: InboundMessage, pointer: dict[str, Any], now: datetime
    ) -> list[dict[str, Any]]:
        case_id = str(pointer["case_id"])
        return [
            self._dedup_put(message, case_id, now),
            {
                "Update": {
                    "TableName": self._table.name,
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
            {"Put": {"TableName": self._table.name, "Item": self._message_item(message, case_id)}},
            self._table.event_put(
                case_id, now, "customer_returned", message, channel=message.channel.value
            ),
            *new_identities(self._table.name, message, pointer, now),
        ]

    def _dedup_put(self, message: InboundMessage, case_id: str, now: datetime) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table.name,
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
            author=without_none(message.author),
            reply_to=without_none(message.reply_to),
            text=message.text,
            content_type=message.content_type,
            language=message.language,
            sent_at=utc_iso(message.sent_at),
            received_at=utc_iso(message.received_at),
            extra=message.extra or None,
            attachments=[without_none(a) for a in message.attachments] or None,
        )
