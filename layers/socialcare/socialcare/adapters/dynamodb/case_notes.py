"""What happens on a case after a message: the brand's public reply (the first one sets
the first response time) and the customer's edit or deletion, noted once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.items import about_case, case_pk, dedup_pk, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.cases import change_fingerprint
from socialcare.domain.clock import utc_iso
from socialcare.domain.messages import BrandResponse, MessageChange
from socialcare.domain.retention import DEDUP_RETENTION, expiry


class DynamoDBCaseNotes:
    """The brand's replies and the customers' edits (ports/intake.CaseNotes).

    Heat: one case's partition and one DEDUP#change key per noted change."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def record_brand_response(self, response: BrandResponse, now: datetime) -> str | None:
        at = utc_iso(response.responded_at)
        return self._note_on_case_of(
            response.replied_key,
            now,
            # Keyed by the reply's own id: a redelivery rewrites the same event.
            lambda case_id: self._table.event_put(
                case_id,
                response.responded_at,
                "public_response",
                None,
                suffix=response.response_id,
                actor="brand",
                channel=response.channel.value,
                response_id=response.response_id,
            ),
            "SET first_public_response_at = if_not_exists(first_public_response_at, :at), "
            "updated_at = :now",
            {":at": at},
        )

    def record_message_change(self, change: MessageChange, now: datetime) -> str | None:
        fingerprint = change_fingerprint(change)
        return self._note_on_case_of(
            change.original_key,
            now,
            lambda case_id: self._table.event_put(
                case_id,
                change.changed_at,
                f"message_{change.kind.value}",
                None,
                suffix=fingerprint,
                actor="customer",
                channel=change.channel.value,
                text=change.text,
            ),
            "SET updated_at = :now",
            {},
            # Some platforms give a change no time of its own: noted once by what changed.
            once=f"DEDUP#change:{fingerprint}",
        )

    def _note_on_case_of(
        self,
        message_key: str,
        now: datetime,
        event: Callable[[str], dict[str, Any]],
        update: str,
        values: dict[str, Any],
        *,
        once: str | None = None,
    ) -> str | None:
        """Write `event(case id)` on the timeline of the case holding the message, and
        `update` on the case (and, with `once`, a marker that makes a redelivery a no-op);
        the case id, or None when no case holds that message."""
        seen = self._table.get(encode_item(PK=dedup_pk(message_key), SK="DEDUP"))
        if not seen:
            return None
        case_id = seen["case_id"]
        items = [
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": encode_item(PK=case_pk(case_id), SK="CASE"),
                    "UpdateExpression": update,
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": encode_item(**values, **{":now": utc_iso(now)}),
                }
            },
            event(case_id),
        ]
        if once:
            items.append(
                {
                    "Put": {
                        "TableName": self._table.name,
                        "Item": encode_item(
                            PK=once,
                            SK="DEDUP",
                            case_id=case_id,
                            expires_at=expiry(now, DEDUP_RETENTION),
                            **about_case(case_id, once),
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        if self._table.transact(items):
            return case_id
        noted_before = (
            once is not None and self._table.get(encode_item(PK=once, SK="DEDUP")) is not None
        )
        return case_id if noted_before else None
