"""A case's author under each of their identities in the person index: beside the case
item (indexed under the author id), one small item in the case's partition per other
identity a platform gave (a WhatsApp phone beside the business-scoped id, a username),
written in the same transaction as the message that brought it. The author's open-case
pointer remembers which are indexed, so a returning author costs no write until an
identity is new."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.items import author_pk, encode_item, identity_item, identity_pk
from socialcare.domain.cases import author_key, other_identities
from socialcare.domain.clock import utc_iso
from socialcare.domain.messages import InboundMessage


def identities_of(message: InboundMessage) -> list[str]:
    author = message.author
    return other_identities(message.platform.value, author.id, author.aliases, author.handle)


def identity_puts(
    table: str, case_id: str, identities: list[str], created: str
) -> list[dict[str, Any]]:
    return [
        {"Put": {"TableName": table, "Item": identity_item(case_id, identity, created)}}
        for identity in identities
    ]


def new_identities(
    table: str, message: InboundMessage, pointer: dict[str, Any], now: datetime
) -> list[dict[str, Any]]:
    """For a message joining the open case of `pointer`: the identities it gives that the
    case is not indexed under yet (a phone that comes along later), and the pointer
    knowing them; nothing (the usual case) when none is new."""
    known = set(pointer.get("identities") or ())
    new = [identity for identity in identities_of(message) if identity_pk(identity) not in known]
    if not new:
        return []
    case_id = str(pointer["case_id"])
    every = sorted(known | {identity_pk(identity) for identity in new})
    remembered = {
        "Update": {
            "TableName": table,
            "Key": encode_item(PK=author_pk(author_key(message)), SK="OPEN_CASE"),
            "UpdateExpression": "SET identities = :every",
            "ConditionExpression": "case_id = :case",
            "ExpressionAttributeValues": encode_item(**{":every": every, ":case": case_id}),
        }
    }
    since = str(pointer.get("since") or utc_iso(now))
    return [*identity_puts(table, case_id, new, since), remembered]
