"""The keys and small items outbound actions share with WhatsApp's statuses: where a send
is, where it is found by the platform's id for it, and the social team's notice of it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.items import about_case, encode_item, key_digest
from socialcare.domain.clock import utc_iso
from socialcare.domain.outbound import OutboundAction, OutboundStatus

UNCERTAIN_PK = "OUTBOUND_UNCERTAIN"


def outbound_key(action_id: str) -> dict[str, Any]:
    return encode_item(PK=f"OUTBOUND#{action_id}", SK="OUTBOUND")


def sent_key(platform_key: str) -> dict[str, Any]:
    """Where a send is found by the platform's id for it (a wamid holds the customer's
    phone, so by digest)."""
    return encode_item(PK=f"OUTBOUND#SENT#{key_digest(platform_key)}", SK="SENT")


def notice_put(
    table: str,
    *,
    action_id: str,
    case_id: str,
    status: OutboundStatus,
    kind: str,
    channel: str,
    reason: str | None,
    now: datetime,
    error_code: int | None = None,
) -> dict[str, Any]:
    """A send for the social team's next email: fate unknown, or reported failed."""
    return {
        "Put": {
            "TableName": table,
            "Item": encode_item(
                PK=UNCERTAIN_PK,
                SK=f"{utc_iso(now)}#{action_id}",
                id=action_id,
                case_id=case_id,
                status=status.value,
                kind=kind,
                channel=channel,
                reason=reason,
                error_code=error_code,
                updated_at=utc_iso(now),
                **about_case(case_id, f"{UNCERTAIN_PK}#{utc_iso(now)}#{action_id}"),
            ),
        }
    }


def sent_pointer(
    table: str, action: OutboundAction, message_id: str, now: datetime, retention: timedelta
) -> dict[str, Any]:
    """The send, found by the platform's id for it when a status about it comes."""
    pk = sent_key(f"{action.channel.value}:{message_id}")["PK"]["S"]
    return {
        "Put": {
            "TableName": table,
            "Item": encode_item(
                PK=pk,
                SK="SENT",
                action_id=action.id,
                case_id=action.case_id,
                kind=action.kind.value,
                channel=action.channel.value,
                expires_at=int((now + retention).timestamp()),
                **about_case(action.case_id, pk),
            ),
        }
    }
